import { likelyMeant, misspellingHint } from '../lib/core/unexpected-keys';

const EXPECTED = ['tokens', 'credentials'];

describe('likelyMeant: the expected name an unexpected key most likely misspells', () => {
  test.each([
    ['credential', 'credentials'], ['Credentials', 'credentials'], ['credentail', 'credentials'], ['crdentails', 'credentials'],
    ['token', 'tokens'], ['tokesn', 'tokens'], ['TOKENS', 'tokens'],
  ])('%s: %s', (key, meant) => {
    expect(likelyMeant([key], EXPECTED)).toBe(meant);
  });

  test.each([['registryPassword'], ['cred'], ['tokenizer'], ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'], ['x'.repeat(100)]])(
    '%s: none (three or more edits from every name, or too long to be a misspelling)', key => {
      expect(likelyMeant([key], EXPECTED)).toBeUndefined();
    });

  test('of several keys, the first that misspells a name decides', () => {
    expect(likelyMeant(['unrelated', 'tokns', 'credentails'], EXPECTED)).toBe('tokens');
  });
});

test('misspellingHint says the name, or nothing', () => {
  expect(misspellingHint(['credentail'], EXPECTED)).toBe(' (did you mean "credentials"?)');
  expect(misspellingHint(['ghp_0123456789'], EXPECTED)).toBe('');
});
