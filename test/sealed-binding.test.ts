/**
 * A kept ciphertext is bound to its value: a synth keeps a previous ciphertext only if it holds the value it stands
 * for, so a swapped or forged one is sealed anew and named (BinderHub.foreignCiphertexts, which check-dist reports).
 */
import { Testing } from 'cdk8s';
import { SealedValueKeys, SealingCertificate, SecretsMode } from '../lib/internal';
import { fakeTokenValues, find } from './helpers';
import { controllerKeys, REGISTRY_PASSWORD, sealingTestDeployment, unseal } from './sealing';

const keys = controllerKeys();
const certificate = SealingCertificate.fromPem(keys.certificate, 'cert.pem');
const tokens = fakeTokenValues('prod');
const API_TOKEN = 'hub.services.binder.apiToken';
const COOKIE_SECRET = 'hub.config.JupyterHub.cookie_secret';

/** A sealed synth of the test deployment after `previous`: its objects and the entries it named. */
function synthAfter(previous: any[]): { objects: any[]; foreign: ReadonlyArray<string> } {
  const deployment = sealingTestDeployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, previous }));
  return { objects: Testing.synth(deployment), foreign: deployment.foreignCiphertexts };
}

/** `objects` with SealedSecret `name`'s encryptedData changed by `change`. */
function withEncryptedData(objects: any[], name: string, change: (data: Record<string, string>) => Record<string, string>): any[] {
  return objects.map(o => o.kind === 'SealedSecret' && o.metadata.name === name
    ? { ...o, spec: { ...o.spec, encryptedData: change({ ...o.spec.encryptedData }) } } : o);
}

const encrypted = (objects: any[], name: string): Record<string, string> => find(objects, 'SealedSecret', name).spec.encryptedData;
const open = (objects: any[], name: string, key: string) => unseal(keys.privateKey, encrypted(objects, name)[key], Buffer.from(`binder/${name}`)).toString();

describe('a kept ciphertext must hold its value', () => {
  const first = synthAfter([]).objects;

  test('an honest previous synth is kept byte-identical, and nothing is named', () => {
    const again = synthAfter(first);
    expect(again.objects).toEqual(first);
    expect(again.foreign).toEqual([]);
  });

  test('two ciphertexts of one SealedSecret swapped: both are sealed anew, to their own values, and named', () => {
    const swapped = withEncryptedData(first, 'hub', data => ({ ...data, [API_TOKEN]: data[COOKIE_SECRET], [COOKIE_SECRET]: data[API_TOKEN] }));
    expect(unseal(keys.privateKey, encrypted(swapped, 'hub')[API_TOKEN], Buffer.from('binder/hub')).toString()).toBe(tokens.cookieSecret);

    const { objects, foreign } = synthAfter(swapped);

    expect(foreign).toEqual([`SealedSecret binder/hub key ${COOKIE_SECRET}`, `SealedSecret binder/hub key ${API_TOKEN}`]);
    expect(open(objects, 'hub', API_TOKEN)).toBe(tokens.binderApiToken);
    expect(open(objects, 'hub', COOKIE_SECRET)).toBe(tokens.cookieSecret);
    expect(encrypted(objects, 'hub')[API_TOKEN]).not.toBe(encrypted(swapped, 'hub')[API_TOKEN]);
    // The other values of the Secret, and the other SealedSecrets, keep their ciphertexts.
    const { [API_TOKEN]: _a, [COOKIE_SECRET]: _c, ...rest } = encrypted(objects, 'hub');
    const { [API_TOKEN]: _b, [COOKIE_SECRET]: _d, ...restBefore } = encrypted(first, 'hub');
    expect(rest).toEqual(restBefore);
    expect(Object.keys(rest)).toHaveLength(3);
    expect(encrypted(objects, 'binder-secret')).toEqual(encrypted(first, 'binder-secret'));
  });

  test('a value someone sealed with the public certificate is sealed anew and named', () => {
    const forged = certificate.seal(Buffer.from('{"auths":{"evil.example.org":{}}}'), Buffer.from('binder/binder-build-docker-config'));
    const tampered = withEncryptedData(first, 'binder-build-docker-config', data => ({ ...data, 'config.json': forged }));

    const { objects, foreign } = synthAfter(tampered);

    expect(foreign).toEqual(['SealedSecret binder/binder-build-docker-config key config.json']);
    expect(encrypted(objects, 'binder-build-docker-config')['config.json']).not.toBe(forged);
    const auth = Buffer.from(`bot:${REGISTRY_PASSWORD}`).toString('base64');
    expect(JSON.parse(open(objects, 'binder-build-docker-config', 'config.json'))).toEqual({ auths: { 'https://index.docker.io/v1/': { auth } } });
  });

  test('a ciphertext from another Secret with the same key name is sealed anew and named', () => {
    const moved = withEncryptedData(first, 'binder-secret', data => ({ ...data, 'values.yaml': encrypted(first, 'hub')['values.yaml'] }));
    expect(synthAfter(moved).foreign).toEqual(['SealedSecret binder/binder-secret key values.yaml']);
  });

  test('a ciphertext that is not one at all (a number, short base64) is sealed anew and named', () => {
    const junk = withEncryptedData(first, 'hub', data => ({ ...data, [API_TOKEN]: 42 as any, 'values.yaml': 'QUJD' }));
    expect(synthAfter(junk).foreign).toEqual([`SealedSecret binder/hub key ${API_TOKEN}`, 'SealedSecret binder/hub key values.yaml']);
  });

  test('a ciphertext with a wrong 2-byte header, or too short for one, is sealed anew and named, without a failure', () => {
    // The controller takes the header as the wrapped key's length: with any other length it reads the wrong bytes as the key.
    const blob = Buffer.from(encrypted(first, 'hub')[API_TOKEN], 'base64');
    const misheaded = Buffer.concat([Buffer.from([0x01, 0x01]), blob.subarray(2)]).toString('base64');
    const spoiled = withEncryptedData(first, 'hub', data => ({ ...data, [API_TOKEN]: misheaded, [COOKIE_SECRET]: '', 'values.yaml': 'QQ==' }));

    const { objects, foreign } = synthAfter(spoiled);

    expect(foreign).toEqual([
      'SealedSecret binder/hub key hub.config.JupyterHub.cookie_secret',
      'SealedSecret binder/hub key hub.services.binder.apiToken',
      'SealedSecret binder/hub key values.yaml',
    ]);
    expect(open(objects, 'hub', API_TOKEN)).toBe(tokens.binderApiToken);
    expect(open(objects, 'hub', COOKIE_SECRET)).toBe(tokens.cookieSecret);
  });

  test('a changed value is sealed anew without being named', () => {
    const deployment = sealingTestDeployment(Testing.app(), SecretsMode.sealed({ certificate: keys.certificate, previous: first }), 'ghp_otherFakeToken42');
    expect(deployment.foreignCiphertexts).toEqual([]);
  });

  test('a replaced wrapped key keeps the tail but opens to no value: only the controller could tell, and it refuses', () => {
    const honest = Buffer.from(encrypted(first, 'hub')[API_TOKEN], 'base64');
    const other = Buffer.from(certificate.seal(Buffer.from(tokens.binderApiToken), Buffer.from('binder/hub')), 'base64');
    const spliced = Buffer.concat([other.subarray(0, 2 + 256), honest.subarray(2 + 256)]).toString('base64');
    expect(() => unseal(keys.privateKey, spliced, Buffer.from('binder/hub'))).toThrow(/Unsupported state or unable to authenticate data/);
  });
});

describe('the deployment\'s keys for its sealed values', () => {
  test('the fingerprints are keyed with the deployment\'s key for them, so the same tokens give the same fingerprints in every version', () => {
    // `printf '%s' binderhub-cdk8s/sealed-fingerprint | openssl dgst -sha256 -hmac <the build token secret of fakeTokenValues('prod')>`
    const fingerprintKey = Buffer.from('dbfbc050425a2d41f35a986fbdd6f458ec51245635154528365cf340b8ec814b', 'hex');
    const expected = new SealedValueKeys(fingerprintKey, certificate, 'strict').fingerprint({ namespace: 'binder', name: 'hub', key: API_TOKEN }, Buffer.from(tokens.binderApiToken));
    const hub = find(synthAfter([]).objects, 'SealedSecret', 'hub');
    expect(JSON.parse(hub.metadata.annotations['binderhub-cdk8s.io/sealed-fingerprints'])[API_TOKEN]).toBe(expected);
  });

  test('inline mode seals nothing, so it names no foreign ciphertext', () => {
    expect(sealingTestDeployment(Testing.app(), SecretsMode.inline()).foreignCiphertexts).toEqual([]);
  });
});

describe('SealedValueKeys', () => {
  const fingerprintKey = Buffer.alloc(32, 7);
  const values = new SealedValueKeys(fingerprintKey, certificate, 'strict');
  const slot = { namespace: 'binder', name: 'hub', key: API_TOKEN };
  const value = Buffer.from('the-value');

  test('the session key is stable for a value and differs for any other value, key, Secret, scope or certificate', () => {
    const sessionKey = values.sessionKey(slot, value);
    expect(sessionKey).toHaveLength(32);
    expect(values.sessionKey(slot, Buffer.from('the-value'))).toEqual(sessionKey);
    const others = [
      values.sessionKey(slot, Buffer.from('the-valuf')),
      values.sessionKey({ ...slot, key: COOKIE_SECRET }, value),
      values.sessionKey({ ...slot, name: 'binder-secret' }, value),
      values.sessionKey({ ...slot, namespace: 'other' }, value),
      new SealedValueKeys(fingerprintKey, certificate, 'namespace-wide').sessionKey(slot, value),
      new SealedValueKeys(fingerprintKey, SealingCertificate.fromPem(controllerKeys().certificate, 'c'), 'strict').sessionKey(slot, value),
      new SealedValueKeys(Buffer.alloc(32, 8), certificate, 'strict').sessionKey(slot, value),
    ];
    expect(new Set([sessionKey, ...others].map(k => k.toString('hex'))).size).toBe(8);
  });

  test('the fingerprint and the session key are fixed functions of their inputs, so an upgrade re-seals nothing', () => {
    // `printf '%s' '["AA:BB","strict","binder","hub","k"]the-value' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>`,
    // with the key 07 x 32 for the fingerprint, and for the session key the HMAC of binderhub-cdk8s/sealed-session-key
    // under that key (fb38ac2c...6598).
    const fixed = new SealedValueKeys(Buffer.alloc(32, 7), { fingerprint: 'AA:BB' } as SealingCertificate, 'strict');
    const at = { namespace: 'binder', name: 'hub', key: 'k' };
    expect(fixed.fingerprint(at, Buffer.from('the-value'))).toBe('71d7509e452cdfee0162a303e0424db379591e2b1f9186792201adde98443873');
    expect(fixed.sessionKey(at, Buffer.from('the-value')).toString('hex')).toBe('1d406461714a7dbe8b2a2f955e8589de5579db693dae2281b56d67ac587e7946');
  });

  test('no session key is ever published: it is not the fingerprint the annotation holds', () => {
    expect(values.fingerprint(slot, value)).toMatch(/^[0-9a-f]{64}$/);
    expect(values.fingerprint(slot, value)).not.toBe(values.sessionKey(slot, value).toString('hex'));
  });

  test('what is sealed with it opens with the controller\'s key, and sealsValue tells it from other ciphertexts', () => {
    const sealed = certificate.seal(value, Buffer.from('binder/hub'), values.sessionKey(slot, value));
    expect(unseal(keys.privateKey, sealed, Buffer.from('binder/hub')).toString()).toBe('the-value');
    expect(certificate.sealsValue(sealed, value, values.sessionKey(slot, value))).toBe(true);
    expect(certificate.sealsValue(sealed, Buffer.from('the-valuf'), values.sessionKey(slot, Buffer.from('the-valuf')))).toBe(false);
    expect(certificate.sealsValue(certificate.seal(value, Buffer.from('binder/hub')), value, values.sessionKey(slot, value))).toBe(false);
    expect(certificate.sealsValue(undefined, value, values.sessionKey(slot, value))).toBe(false);
  });

  test('sealsValue wants the 2-byte header to give the wrapped key\'s length (256 bytes for 2048 bits), and refuses a blob too short for one', () => {
    const sessionKey = values.sessionKey(slot, value);
    const blob = Buffer.from(certificate.seal(value, Buffer.from('binder/hub'), sessionKey), 'base64');
    expect(blob.subarray(0, 2)).toEqual(Buffer.from([0x01, 0x00]));
    const withHeader = (header: number[]) => Buffer.concat([Buffer.from(header), blob.subarray(2)]).toString('base64');
    expect(certificate.sealsValue(withHeader([0x01, 0x00]), value, sessionKey)).toBe(true);
    expect(certificate.sealsValue(withHeader([0x01, 0x01]), value, sessionKey)).toBe(false);
    expect(certificate.sealsValue(withHeader([0x00, 0xff]), value, sessionKey)).toBe(false);
    expect(certificate.sealsValue('', value, sessionKey)).toBe(false);
    expect(certificate.sealsValue('QQ==', value, sessionKey)).toBe(false);
  });
});
