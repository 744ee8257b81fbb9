import * as crypto from 'crypto';
import { ConfigError } from './errors';

/**
 * Offline sealing for Bitnami sealed-secrets, as `kubeseal --cert` does: each value is encrypted with a fresh
 * AES-256-GCM session key, which is encrypted with RSA-OAEP (SHA-256) for the controller's public key, with the
 * scope label as OAEP label. Only the controller's private key opens it, and only for the name and namespace
 * (or namespace) the label binds it to.
 */

/** Which Secrets a sealed value may become. */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

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

/** A sealed-secrets controller's certificate (`kubeseal --fetch-cert`). */
export class SealingCertificate {
  /**
   * Reads the first certificate of a PEM file. It must hold an RSA key and must not have expired at `now`.
   * @param source names the file in errors
   */
  public static fromPem(pem: string, source: string, now: Date = new Date()): SealingCertificate {
    const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
    if (!block) {
      throw new ConfigError(`${source} holds no PEM certificate; fetch the controller's with \`kubeseal --fetch-cert > ${source}\``);
    }
    let certificate: crypto.X509Certificate;
    try {
      certificate = new crypto.X509Certificate(block[0]);
    } catch {
      throw new ConfigError(`${source} is not a readable certificate; fetch the controller's with \`kubeseal --fetch-cert > ${source}\``);
    }
    if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
      throw new ConfigError(`${source} holds a ${certificate.publicKey.asymmetricKeyType} key; sealed-secrets controllers use RSA`);
    }
    if (now > new Date(certificate.validTo)) {
      throw new ConfigError(`${source} expired on ${certificate.validTo}; fetch the controller's current certificate with \`kubeseal --fetch-cert\``);
    }
    return new SealingCertificate(certificate.publicKey, certificate.fingerprint256);
  }

  private constructor(
    /** The controller's public key. */
    public readonly publicKey: crypto.KeyObject,
    /** The certificate's SHA-256 fingerprint: re-sealing is needed when it changes. */
    public readonly fingerprint: string,
  ) {}

  /** Seals one value for `label` (see `encryptionLabel`); base64, as `spec.encryptedData` holds it. */
  public seal(plaintext: Buffer, label: Buffer): string {
    const sessionKey = crypto.randomBytes(32);
    const wrappedKey = crypto.publicEncrypt(
      { key: this.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
      sessionKey,
    );
    // A zero nonce is safe: the key encrypts this one value only.
    const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(wrappedKey.length);
    return Buffer.concat([length, wrappedKey, body]).toString('base64');
  }
}
