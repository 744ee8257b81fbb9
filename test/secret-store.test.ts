import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CREDENTIAL_PLACEHOLDER, SecretStore } from '../lib';

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

  test('by default the files live in secrets/, relative to the working directory', () => {
    const store = new SecretStore();
    expect(store.directory).toBe('secrets');
    expect(store.fileFor('prod')).toBe('secrets/prod.json');
  });

  test('init writes the tokens, then the credentials, as JSON indented by two spaces and ending in a newline', () => {
    const store = tempStore();
    store.init('a', false, ['registryPassword']);
    expect(fs.readFileSync(store.fileFor('a'), 'utf8')).toMatch(new RegExp([
      '^\\{',
      '  "tokens": \\{',
      '    "proxySecretToken": "[0-9a-f]{64}",',
      '    "binderApiToken": "[0-9a-f]{64}",',
      '    "cookieSecret": "[0-9a-f]{64}",',
      '    "cryptKeeperKey": "[0-9a-f]{64}",',
      '    "buildTokenSecret": "[0-9a-f]{64}"',
      '  \\},',
      '  "credentials": \\{',
      '    "registryPassword": "REPLACE-ME \\(written by npm run init-secrets\\)"',
      '  \\}',
      '\\}',
      '$',
    ].join('\n')));
  });

  test('a path that cannot be read as a file is named with the error code, and no advice that would rotate the tokens', () => {
    const store = tempStore();
    fs.mkdirSync(store.fileFor('a'), { recursive: true, mode: 0o700 });
    const file = store.fileFor('a');
    expect(() => store.load('a')).toThrow(
      `${file} cannot be read (EISDIR); let the user who runs this read it: chown it to that user, then \`chmod 600 ${file}\``);
  });

  test('a read error without a code is named "an error"', () => {
    const store = tempStore();
    store.init('a');
    const file = store.fileFor('a');
    const realFs: typeof fs = require('fs');
    const spy = jest.spyOn(realFs, 'readFileSync').mockImplementation(() => {
      throw new Error('no code');
    });
    try {
      expect(() => store.load('a')).toThrow(
        `${file} cannot be read (an error); let the user who runs this read it: chown it to that user, then \`chmod 600 ${file}\``);
    } finally {
      spy.mockRestore();
    }
  });

  test('a file for its owner only loads, whatever the owner\'s own bits', () => {
    const store = tempStore();
    store.init('a');
    for (const mode of [0o600, 0o400, 0o700]) {
      fs.chmodSync(store.fileFor('a'), mode);
      expect(() => store.load('a')).not.toThrow();
    }
  });
});
