/** What `SealingCertificate.fromPem` and `SecretsMode.sealed` refuse, each in one line naming the file and the fix. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, scopeAnnotations, SealingCertificate, SecretsMode } from '../lib/internal';
import { certificateValidBetween, controllerKeys } from './sealing';

const DAY = 24 * 3600 * 1000;
const keys = controllerKeys();

function ecCertificate(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'k'),
    '-out', path.join(dir, 'c'), '-days', '1', '-subj', '/CN=x'], { stdio: 'ignore' });
  return fs.readFileSync(path.join(dir, 'c'), 'utf8');
}

/** The base64 lines of a PEM private key: none may show in a message. */
function keyLines(pem: string): string[] {
  return pem.split('\n').filter(line => /^[A-Za-z0-9+/=]{16,}$/.test(line));
}

describe('SealingCertificate.fromPem refuses', () => {
  const cases: Array<[string, () => [string, Date?], RegExp]> = [
    ['a file without a certificate', () => ['hello'],
      /^c\.pem holds no PEM certificate; fetch the controller's with `kubeseal --fetch-cert > c\.pem`$/],
    ['a certificate block that does not decode', () => ['-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'],
      /^c\.pem is not a readable certificate; fetch the controller's certificate with `kubeseal --fetch-cert > c\.pem`$/],
    ['an expired certificate', () => [keys.certificate, new Date(Date.now() + 90 * DAY)],
      /^c\.pem expired on .*; fetch the controller's current certificate with `kubeseal --fetch-cert > c\.pem`$/],
    ['a certificate not valid yet', () => [keys.certificate, new Date(Date.now() - 2 * DAY)],
      /^c\.pem is not valid before .* GMT; check this machine's clock, or fetch the controller's current certificate with `kubeseal --fetch-cert > c\.pem`$/],
    ['a key that is not RSA', () => [ecCertificate()],
      /^c\.pem holds an ec key; sealed-secrets controllers use RSA: fetch the controller's certificate with `kubeseal --fetch-cert > c\.pem`$/],
    ['an RSA-1024 key', () => [controllerKeys(30, 1024).certificate],
      /^c\.pem holds a 1024-bit RSA key, too weak to seal with \(2048 bits at least\); fetch the controller's certificate with `kubeseal --fetch-cert > c\.pem`$/],
    ['an RSA-512 key', () => [controllerKeys(30, 512).certificate],
      /^c\.pem holds a 512-bit RSA key, too weak to seal with \(2048 bits at least\)/],
  ];
  test.each(cases)('%s', (_, input, message) => {
    const [pem, now] = input();
    let error: unknown;
    try {
      SealingCertificate.fromPem(pem, 'c.pem', now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  test.each([
    ['before the certificate', (k: { certificate: string; privateKey: string }) => k.privateKey + k.certificate],
    ['after the certificate', (k: { certificate: string; privateKey: string }) => k.certificate + k.privateKey],
    ['as a traditional RSA key', (k: { certificate: string; privateKey: string }) => k.certificate
      + k.privateKey.replace(/(BEGIN|END) PRIVATE KEY/g, '$1 RSA PRIVATE KEY')],
  ])('a file that bundles a private key %s, without echoing it', (_, bundle) => {
    const pem = bundle(keys);
    expect(() => SealingCertificate.fromPem(pem, 'c.pem')).toThrow(
      /^c\.pem holds a private key: a sealing certificate must be public; remove the key from the file \(and if it is the controller's, rotate it\), or fetch the certificate alone with `kubeseal --fetch-cert > c\.pem`$/);
    try {
      SealingCertificate.fromPem(pem, 'c.pem');
    } catch (error) {
      for (const line of keyLines(keys.privateKey)) expect((error as Error).message).not.toContain(line);
    }
  });

  test('a 2048-bit certificate valid now is read', () => {
    expect(SealingCertificate.fromPem(keys.certificate, 'c.pem').fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});

describe('a certificate is valid from its notBefore to its notAfter, both included, as openssl and kubeseal take them', () => {
  const pem = certificateValidBetween('20300101000000Z', '20300201000000Z');
  const read = (now: string) => SealingCertificate.fromPem(pem, 'c.pem', new Date(now));

  test.each(['2030-01-01T00:00:00.000Z', '2030-01-15T12:00:00.000Z', '2030-02-01T00:00:00.000Z'])('read at %s', now => {
    expect(read(now).fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  test('refused a millisecond before notBefore', () => {
    expect(() => read('2029-12-31T23:59:59.999Z')).toThrow(
      /^c\.pem is not valid before Jan  1 00:00:00 2030 GMT; check this machine's clock, or fetch the controller's current certificate with `kubeseal --fetch-cert > c\.pem`$/);
  });

  test('refused a millisecond after notAfter', () => {
    expect(() => read('2030-02-01T00:00:00.001Z')).toThrow(
      /^c\.pem expired on Feb  1 00:00:00 2030 GMT; fetch the controller's current certificate with `kubeseal --fetch-cert > c\.pem`$/);
  });
});

describe('scopeAnnotations', () => {
  test('strict, the default, tells the controller nothing; the wider scopes each write their one annotation', () => {
    expect(scopeAnnotations('strict')).toEqual({});
    expect(scopeAnnotations('namespace-wide')).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(scopeAnnotations('cluster-wide')).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });
});

describe('SecretsMode.sealed', () => {
  test('names the certificate "certificate" in its errors unless told its source', () => {
    expect(() => SecretsMode.sealed({ certificate: 'nope' }))
      .toThrow(/^certificate holds no PEM certificate; fetch the controller's with `kubeseal --fetch-cert > certificate`$/);
  });

  test('names the certificate source in its errors', () => {
    expect(() => SecretsMode.sealed({ certificate: 'nope', certificateSource: 'sealed-secrets/prod.pem' }))
      .toThrow(/^sealed-secrets\/prod\.pem holds no PEM certificate/);
  });

  test.each(['Strict', 'namespace', '', 42])('refuses the unknown scope %p from a caller without types', scope => {
    expect(() => SecretsMode.sealed({ certificate: keys.certificate, scope: scope as any }))
      .toThrow(/^SecretsMode\.sealed scope .* is not a sealing scope; use 'strict' \(the default\), 'namespace-wide' or 'cluster-wide'$/);
  });
});
