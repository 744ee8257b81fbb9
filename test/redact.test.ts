import { redact, redactUrl, registerSecrets, registerSecretValues } from '../lib';

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
