import * as crypto from 'crypto';
import { ConfigError } from '../core/errors';

/**
 * Offline sealing for Bitnami sealed-secrets, in `kubeseal --cert`'s format: each value is encrypted with its own
 * AES-256-GCM session key, which is encrypted with RSA-OAEP (SHA-256) for the controller's public key, with the
 * scope label as OAEP label. Only the controller's private key opens it, and only for the name and namespace
 * (or namespace) the label binds it to.
 */

/** Which Secrets a sealed value may become. */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

const SEALING_SCOPES: ReadonlyArray<unknown> = ['strict', 'namespace-wide', 'cluster-wide'];

/** Fails on a scope that is none of SealingScope's, as a caller without types may pass; `setting` names it. */
export function checkSealingScope(setting: string, scope: unknown): asserts scope is SealingScope {
  if (!SEALING_SCOPES.includes(scope)) {
    throw new ConfigError(`${setting} ${JSON.stringify(scope)} is not a sealing scope; use 'strict' (the default), 'namespace-wide' or 'cluster-wide'`);
  }
}

/** The annotations that tell the controller a non-strict scope. */
export function scopeAnnotations(scope: SealingScope): Record<string, string> {
  switch (scope) {
    case 'strict': return {};
    case 'namespace-wide': return { 'sealedsecrets.bitnami.com/namespace-wide': 'true' };
    case 'cluster-wide': return { 'sealedsecrets.bitnami.com/cluster-wide': 'true' };
  }
}

/** The OAEP label a value is sealed with: `namespace/name` (strict), `namespace`, or empty (cluster-wide). */
export function encryptionLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  switch (scope) {
    case 'strict': return Buffer.from(`${namespace}/${name}`);
    case 'namespace-wide': return Buffer.from(namespace);
    case 'cluster-wide': return Buffer.alloc(0);
  }
}

/** The smallest RSA key we seal for; sealed-secrets controllers make 4096-bit keys. */
const MIN_RSA_BITS = 2048;

/** Any PEM private key: PKCS#8 (plain or encrypted), or a traditional RSA, EC or OpenSSH one. */
const PRIVATE_KEY_HEADER = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** A sealed-secrets controller's certificate (`kubeseal --fetch-cert`). */
export class SealingCertificate {
  /**
   * Reads the first certificate of a PEM file. It must hold an RSA key of 2048 bits or more, be valid at `now`, and
   * come without a private key.
   * @param source names the file in errors
   */
  public static fromPem(pem: string, source: string, now: Date = new Date()): SealingCertificate {
    const fetchCert = `\`kubeseal --fetch-cert > ${source}\``;
    // Checked on the PEM headers alone, so the key is never parsed, and never quoted.
    if (PRIVATE_KEY_HEADER.test(pem)) {
      throw new ConfigError(`${source} holds a private key: a sealing certificate must be public; remove the key from the file `
        + `(and if it is the controller's, rotate it), or fetch the certificate alone with ${fetchCert}`);
    }
    const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
    if (!block) {
      throw new ConfigError(`${source} holds no PEM certificate; fetch the controller's with ${fetchCert}`);
    }
    let certificate: crypto.X509Certificate;
    try {
      certificate = new crypto.X509Certificate(block[0]);
    } catch {
      throw new ConfigError(`${source} is not a readable certificate; fetch the controller's certificate with ${fetchCert}`);
    }
    const key = certificate.publicKey;
    if (key.asymmetricKeyType !== 'rsa') {
      throw new ConfigError(`${source} holds an ${key.asymmetricKeyType} key; sealed-secrets controllers use RSA: fetch the controller's certificate with ${fetchCert}`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    // Below 2048 bits RSA is breakable; below 784, RSA-OAEP-SHA-256 cannot even wrap a 32-byte key.
    if (bits < MIN_RSA_BITS) {
      throw new ConfigError(`${source} holds a ${bits}-bit RSA key, too weak to seal with (${MIN_RSA_BITS} bits at least); `
        + `fetch the controller's certificate with ${fetchCert}`);
    }
    if (now < new Date(certificate.validFrom)) {
      throw new ConfigError(`${source} is not valid before ${certificate.validFrom}; check this machine's clock, or fetch the controller's `
        + `current certificate with ${fetchCert}`);
    }
    if (now > new Date(certificate.validTo)) {
      throw new ConfigError(`${source} expired on ${certificate.validTo}; fetch the controller's current certificate with ${fetchCert}`);
    }
    return new SealingCertificate(key, certificate.fingerprint256);
  }

  private constructor(
    /** The controller's public key. */
    public readonly publicKey: crypto.KeyObject,
    /** The certificate's SHA-256 fingerprint: re-sealing is needed when it changes. */
    public readonly fingerprint: string,
  ) {}

  /**
   * Seals one value for `label` (see `encryptionLabel`); base64, as `spec.encryptedData` holds it. The session key
   * is random unless given: `SealedValueKeys.sessionKey` derives one that binds the ciphertext to its value.
   */
  public seal(plaintext: Buffer, label: Buffer, sessionKey: Buffer = crypto.randomBytes(32)): string {
    const wrappedKey = crypto.publicEncrypt(
      { key: this.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
      sessionKey,
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(wrappedKey.length);
    return Buffer.concat([length, wrappedKey, sealedBody(plaintext, sessionKey)]).toString('base64');
  }

  /**
   * Whether `sealed` is `plaintext` sealed for this certificate under `sessionKey`: a wrapped key of this key's size,
   * then exactly the AES-GCM body that `seal` makes. The wrapped key itself only the controller can check.
   */
  public sealsValue(sealed: unknown, plaintext: Buffer, sessionKey: Buffer): boolean {
    if (typeof sealed !== 'string') return false;
    const blob = Buffer.from(sealed, 'base64');
    const wrappedLength = Math.ceil((this.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    const body = sealedBody(plaintext, sessionKey);
    return blob.length === 2 + wrappedLength + body.length && blob.readUInt16BE(0) === wrappedLength
      && blob.subarray(2 + wrappedLength).equals(body);
  }
}

/** AES-256-GCM of `plaintext` under `sessionKey`, tag appended. A zero nonce is safe: the key encrypts this one value only. */
function sealedBody(plaintext: Buffer, sessionKey: Buffer): Buffer {
  const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}
