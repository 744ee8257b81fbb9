import { redact, redactUrl, registerSecrets, registerSecretValues } from '../lib/internal';

describe('redactUrl', () => {
  test.each([
    ['https://bot:s3cret@registry.example.org/v2/', 'https://***@registry.example.org/v2/'],
    ['http://token@203.0.113.7', 'http://***@203.0.113.7'],
    ['https://bot:p@ss@host', 'https://***@host'],
    ['bot:s3cret@host', '***@host'],
    ['see https://bot:s3cret@host', '***@host'],
    ['https://@host', 'https://***@host'],
    ['https://hub.example.org/', 'https://hub.example.org/'],
    ['hub', 'hub'],
  ])('%s reads %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('redact', () => {
  test('replaces each registered value, and its base64 form, wherever it appears', () => {
    registerSecrets('first-REDACT-value-1', 'second-REDACT-value-2');
    const base64 = Buffer.from('second-REDACT-value-2').toString('base64');
    expect(redact(`a first-REDACT-value-1 b first-REDACT-value-1 c ${base64}`)).toBe('a *** b *** c ***');
  });

  test('redacts registered values of 6 characters or more; shorter ones, which would redact ordinary words, stay', () => {
    registerSecrets('Qz5x9', 'Qz6x9K', undefined);
    expect(redact('Qz5x9 and Qz6x9K')).toBe('Qz5x9 and ***');
  });

  test('a Secret\'s decoded data and its stringData are registered', () => {
    registerSecretValues({ kind: 'Secret', data: { key: Buffer.from('data-REDACT-value-3').toString('base64') }, stringData: { pw: 'string-REDACT-value-4' } });
    expect(redact('data-REDACT-value-3 string-REDACT-value-4')).toBe('*** ***');
  });

  test('a Secret whose data is null (a hand-edited file) still has its stringData registered', () => {
    registerSecretValues({ kind: 'Secret', data: null, stringData: { pw: 'string-REDACT-value-5' } });
    expect(redact('string-REDACT-value-5')).toBe('***');
  });
});

describe('redact: secrets inside larger values', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const TOKEN = 'c0ffee'.repeat(10) + 'beef';

  test('a server quoting the first 40 characters of a Secret\'s data value (the base64 of values.yaml) has them redacted', () => {
    const valuesYaml = `config:\n  BinderHub:\n    build_token_secret: ${TOKEN}\n  GitHubRepoProvider:\n    access_token: ghp_redactTestToken42\n`;
    registerSecretValues({ kind: 'Secret', data: { 'values.yaml': b64(valuesYaml) } });
    const quote = b64(valuesYaml).slice(0, 40);
    expect(redact(`admission webhook "check.example.org" denied the request: data[values.yaml] starts "${quote}...", which is not allowed`))
      .toBe('admission webhook "check.example.org" denied the request: data[values.yaml] starts "***...", which is not allowed');
  });

  test.each([0, 1, 2])('the base64 of a larger value holding a registered token %i bytes into a 3-byte group is redacted', shift => {
    registerSecrets(TOKEN);
    const encoded = b64(`${'#'.repeat(shift)}build_token_secret: ${TOKEN}\nother: 1\n`);
    expect(redact(`invalid value "${encoded}"`)).toBe('invalid value "***"');
  });

  test('ordinary words, paths and base64 of other values stay', () => {
    registerSecrets(TOKEN);
    const text = `Error from server (Invalid): /api/v1/namespaces/prod/secrets/binder-secret: data[x] "${b64('an ordinary value of some length')}" is invalid`;
    expect(redact(text)).toBe(text);
  });
});
