/** Valid, fake registry credentials that the registry factories accept, for tests. */
import * as crypto from 'crypto';

/**
 * A private key in PKCS#8 PEM, as Google's key files hold one, made from `seed`: the same key on every run (so
 * snapshots stay stable) without key material in the repository.
 */
export function fakePrivateKeyPem(seed: string): string {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(crypto.createHash('sha256').update(`binderhub-cdk8s fake key ${seed}`).digest());
  const point = ecdh.getPublicKey(); // 0x04, then x and y
  const jwk = {
    kty: 'EC', crv: 'P-256', d: ecdh.getPrivateKey().toString('base64url'),
    x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url'),
  };
  return crypto.createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A service-account key file of project `projectId`, with a fake private key. */
export function fakeServiceAccountKey(projectId: string): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: 'fakekeyid',
    private_key: fakePrivateKeyPem(projectId),
    client_email: `binder-push@${projectId}.iam.gserviceaccount.com`,
  });
}

/** A service-account key of project binder-test-123. */
export const GCR_KEY = fakeServiceAccountKey('binder-test-123');
/** A registry password. */
export const REGISTRY_PASSWORD = 'fake-Registry-Password-42';
/** An Azure service principal's AppID. */
export const SP_ID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
