import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretStore } from '../lib';

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
