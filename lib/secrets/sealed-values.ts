import * as crypto from 'crypto';
import { SealingCertificate, SealingScope } from './seal';

/** Where a sealed value belongs: its Secret and key. */
export interface SealedValueSlot {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
}

/**
 * The keyed hash and the session key of each value a deployment seals, both bound to the certificate, the scope,
 * the Secret, the key and the value, and keyed with a secret of the deployment's (derived from its build token
 * secret), so neither tells anything about the value to whoever reads dist/.
 *
 * Why a derived session key binds a kept ciphertext to its value, without the controller's private key: a sealed
 * value is `RSA-OAEP(session key) || AES-256-GCM(session key, value)`. With the session key derived from the value,
 * `sealsValue` recomputes the AES-GCM part and compares it with the ciphertext's tail, so a ciphertext sealed for
 * another value, another key or by someone else (with the public certificate) does not match and is sealed anew.
 * The RSA part stays randomized and cannot be checked here, but it cannot change the value either: the controller
 * opens the tail only with the session key that the RSA part holds, and the GCM tag admits only the one key the
 * tail was made with; wrapping that key takes knowing it, which takes the deployment's secret. A changed RSA part
 * only makes the controller fail to unseal. Deterministic AES under a key used for one value alone never reuses a
 * nonce with two plaintexts, and shows only whether a value is unchanged, which the fingerprint shows already.
 */
export class SealedValueKeys {
  /** Its own key, so that no session key is ever a published fingerprint. */
  private readonly sessionKeySecret: Buffer;

  /** @param fingerprintKey the deployment's secret key for sealed values */
  constructor(private readonly fingerprintKey: Buffer, private readonly certificate: SealingCertificate, private readonly scope: SealingScope) {
    this.sessionKeySecret = crypto.createHmac('sha256', fingerprintKey).update('binderhub-cdk8s/sealed-session-key').digest();
  }

  /** The keyed hash the SealedSecret's annotation records for the value, hex: equal for an unchanged value. */
  public fingerprint(slot: SealedValueSlot, value: Buffer): string {
    return this.keyed(this.fingerprintKey, slot, value).toString('hex');
  }

  /** The AES-256 key the value is sealed with. */
  public sessionKey(slot: SealedValueSlot, value: Buffer): Buffer {
    return this.keyed(this.sessionKeySecret, slot, value);
  }

  private keyed(key: Buffer, slot: SealedValueSlot, value: Buffer): Buffer {
    return crypto.createHmac('sha256', key)
      .update(JSON.stringify([this.certificate.fingerprint, this.scope, slot.namespace, slot.name, slot.key]))
      .update(value)
      .digest();
  }
}
