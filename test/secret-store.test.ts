import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CREDENTIAL_PLACEHOLDER, requiredCredential, SecretStore } from '../lib';

function tempStore(): SecretStore {
  return new SecretStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-')), 'secrets'));
}

describe('SecretStore', () => {
  test('init writes a mode 0600 file whose tokens load back', () => {
    const store = tempStore();
    expect(store.init('staging')).toBe('created');
    const file = store.fileFor('staging');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const loaded = store.load('staging');
    expect(loaded.tokens.values).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')).tokens);
    expect(loaded.credentials).toEqual({});
  });

  test('init never overwrites an existing file without force', () => {
    const store = tempStore();
    store.init('a');
    const before = fs.readFileSync(store.fileFor('a'), 'utf8');
    expect(store.init('a')).toBe('kept');
    expect(fs.readFileSync(store.fileFor('a'), 'utf8')).toBe(before);
  });

  test('init with force rotates the tokens and keeps the credentials', () => {
    const store = tempStore();
    store.init('a');
    const file = store.fileFor('a');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    content.credentials = { githubAccessToken: 'ghp_examplevalue' };
    fs.writeFileSync(file, JSON.stringify(content));
    expect(store.init('a', true)).toBe('rotated');
    const rotated = store.load('a');
    expect(rotated.credentials).toEqual({ githubAccessToken: 'ghp_examplevalue' });
    expect(rotated.tokens.values.proxySecretToken).not.toBe(content.tokens.proxySecretToken);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(store.directory)).toEqual(['a.json']);
  });

  test('init writes placeholders for needed credentials; load reports them; given ones are kept', () => {
    const store = tempStore();
    store.init('a', false, ['registryPassword']);
    const fresh = store.load('a');
    expect(fresh.credentials).toEqual({ registryPassword: 'REPLACE-ME (written by npm run init-secrets)' });
    expect(fresh.placeholders).toEqual(['registryPassword']);
    const file = store.fileFor('a');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    content.credentials.registryPassword = 'dckr_pat_realvalue';
    fs.writeFileSync(file, JSON.stringify(content));
    store.init('a', true, ['registryPassword']);
    expect(store.load('a').credentials.registryPassword).toBe('dckr_pat_realvalue');
    expect(store.load('a').placeholders).toEqual([]);
    expect(CREDENTIAL_PLACEHOLDER).toBe('REPLACE-ME (written by npm run init-secrets)');
  });

  test('a required credential that is missing names the file and the setting', () => {
    const store = tempStore();
    store.init('a');
    expect(() => requiredCredential(store.load('a'), 'registryPassword'))
      .toThrow(/a\.json has no credentials\.registryPassword, which this deployment needs; add it to the file's "credentials"/);
  });

  test('throws if the file is missing, naming the command that writes it', () => {
    expect(() => tempStore().load('prod')).toThrow(/secrets file .*prod\.json for deployment "prod" does not exist; run `npm run init-secrets -- prod`/);
  });

  test('throws if the file is not JSON, without quoting it', () => {
    const store = tempStore();
    store.init('a');
    const secret = 'ghp_doNotEchoThisValue123';
    fs.writeFileSync(store.fileFor('a'), `{"credentials": {"githubAccessToken": "${secret}"`);
    expect(() => store.load('a')).toThrow(/a\.json is not valid JSON/);
    expect(() => store.load('a')).not.toThrow(new RegExp(secret));
  });

  test('throws on an unknown or empty credential, naming it', () => {
    const store = tempStore();
    store.init('a');
    const file = store.fileFor('a');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...content, credentials: { githubAcessToken: 'abcdefgh' } }));
    expect(() => store.load('a')).toThrow(/unknown credential "githubAcessToken"; expected any of githubAccessToken/);
    fs.writeFileSync(file, JSON.stringify({ ...content, credentials: { registryPassword: '' } }));
    expect(() => store.load('a')).toThrow(/credential "registryPassword" must be a non-empty string/);
  });
});
