import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BinderHubTokens, CREDENTIAL_PLACEHOLDER, SecretStore } from '../lib/internal';

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

  test('a folder at the secrets file is named a folder, with no chmod advice (its mode is no file\'s)', () => {
    const store = tempStore();
    fs.mkdirSync(store.fileFor('a'), { recursive: true });
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} is a folder, not a regular file`));
  });

  test('a read error without a code is named "an error"', () => {
    const store = tempStore();
    store.init('a');
    const file = store.fileFor('a');
    const realFs: typeof fs = require('fs');
    const spy = jest.spyOn(realFs, 'openSync').mockImplementation(() => {
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

describe('SecretStore.load: what it refuses to read', () => {
  /** A store whose file for "a" holds `content` (mode 0600); returns the store. */
  function storeWith(content: string | Buffer): SecretStore {
    const store = tempStore();
    store.init('a');
    fs.writeFileSync(store.fileFor('a'), content);
    return store;
  }
  const tokens = () => JSON.stringify(BinderHubTokens.generate().values);

  test('a FIFO at the secrets file is refused at once, naming it, instead of hanging', () => {
    const store = tempStore();
    fs.mkdirSync(store.directory, { recursive: true });
    execFileSync('mkfifo', ['-m', '600', store.fileFor('a')]);
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} is a FIFO (named pipe), not a regular file`));
  });

  test('a secrets file larger than a Secret can hold (a huge credential) is refused naming the file and the limit', () => {
    const store = storeWith(`{"tokens": ${tokens()}, "credentials": {"registryPassword": "${'x'.repeat(1024 * 1024)}"}}`);
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} is larger than 1 MiB, the most this file may hold`));
  });

  test('a credential with a Latin-1 byte is refused naming the line, not replaced by U+FFFD', () => {
    const store = storeWith(Buffer.concat([Buffer.from(`{"tokens": ${tokens()},\n"credentials": {"registryPassword": "caf`), Buffer.from([0xe9]), Buffer.from('-secret"}}')]));
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} line 2: a byte that is no UTF-8 (Latin-1?); save the file as UTF-8`));
  });

  test('a secrets file in UTF-16 or with a byte-order mark is named as such, not as broken JSON', () => {
    const text = `{"tokens": ${tokens()}}`;
    const utf16 = storeWith(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(() => utf16.load('a')).toThrow(new Error(`${utf16.fileFor('a')} is UTF-16; save it as UTF-8`));
    const bom = storeWith(`\ufeff${text}`);
    expect(() => bom.load('a')).toThrow(new Error(`${bom.fileFor('a')} starts with a byte-order mark; save it as UTF-8 without one`));
  });

  test('a credential given twice is refused naming the key and the line of the second, never a value', () => {
    const store = storeWith(`{"tokens": ${tokens()},\n"credentials": {\n"githubAccessToken": "ghp_first-value",\n"githubAccessToken": "ghp_second-value"}}`);
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} line 4: "credentials.githubAccessToken" is given twice; keep one and fix it by hand (JSON would silently take the last)`));
  });

  test('a key we do not know given twice is refused without naming it (it may be a secret pasted as a key)', () => {
    const store = storeWith(`{"tokens": ${tokens()}, "credentials": {"ghp_pasted-secret": 1,\n "ghp_pasted-secret": 2}}`);
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} line 2: a key is given twice in one object; keep one and fix it by hand (JSON would silently take the last)`));
  });

  test('a secrets file that is a link to an open file: the advice names the target, not a chmod that would change it through the link', () => {
    const store = tempStore();
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shared-')), 'prod.json');
    fs.writeFileSync(target, JSON.stringify({ tokens: BinderHubTokens.generate().values }), { mode: 0o644 });
    fs.mkdirSync(store.directory, { recursive: true });
    fs.symlinkSync(target, store.fileFor('a'));
    expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} is a link to ${fs.realpathSync(target)}, of mode 0644, so group or others may read or change its tokens; `
      + 'replace the link by a copy only you can read (`chmod 600` would change the mode of that file itself)'));
  });

  test('a secrets folder that cannot be looked into is named, not reported missing (init-secrets would rotate the tokens)', () => {
    const store = tempStore();
    store.init('a');
    const realFs: typeof fs = require('fs');
    const spy = jest.spyOn(realFs, 'statSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied, stat'), { code: 'EACCES' });
    });
    try {
      expect(() => store.load('a')).toThrow(new Error(`${store.fileFor('a')} cannot be looked at (EACCES): let the user who runs this open the folder ${store.directory}: `
        + `chown it to that user, then \`chmod 700 ${store.directory}\``));
    } finally {
      spy.mockRestore();
    }
  });
});
