/** Valid, fake registry credentials that the registry factories accept, for tests. */

/** A service-account key of project binder-test-123 (fake key material). */
export const GCR_KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'binder-test-123',
  private_key_id: 'fakekeyid',
  private_key: '-----BEGIN PRIVATE KEY-----\nFAKE-KEY-MATERIAL-FOR-TESTS\n-----END PRIVATE KEY-----\n',
  client_email: 'binder-push@binder-test-123.iam.gserviceaccount.com',
});
/** A registry password. */
export const REGISTRY_PASSWORD = 'fake-Registry-Password-42';
/** An Azure service principal's AppID. */
export const SP_ID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
