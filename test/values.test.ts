import { deepMerge, hasPath, isEmptyValue, isPlainObject, valueTexts } from '../lib/internal';

describe('deepMerge', () => {
  test('merges objects key by key and replaces arrays and scalars, as helm merges values files', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const override = { a: { c: [3], e: true }, d: 'y' };
    expect(deepMerge(base, override)).toEqual({ a: { b: 1, c: [3], e: true }, d: 'y' });
  });

  test('leaves its inputs alone', () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: 2 } };
    deepMerge(base, override);
    expect(base).toEqual({ a: { b: 1 } });
    expect(override).toEqual({ a: { c: 2 } });
  });

  test('an object replaces a scalar and a scalar an object', () => {
    expect(deepMerge({ a: 1, b: { c: 1 } }, { a: { x: 1 }, b: 2 })).toEqual({ a: { x: 1 }, b: 2 });
  });
});

describe('hasPath', () => {
  test('finds a set path, also when its value is null or false', () => {
    expect(hasPath({ a: { b: null } }, 'a.b')).toBe(true);
    expect(hasPath({ a: { b: false } }, 'a.b')).toBe(true);
    expect(hasPath({ a: { b: 1 } }, 'a.c')).toBe(false);
    expect(hasPath({ a: 1 }, 'a.b')).toBe(false);
    expect(hasPath({ 'podAnnotations': { 'checksum/hub-url': 'x' } }, 'podAnnotations.checksum/hub-url')).toBe(true);
  });

  test('a path into a list or through null is not set: values files address lists as a whole', () => {
    expect(hasPath({ a: ['x'] }, 'a.0')).toBe(false);
    expect(hasPath({ a: null }, 'a.b')).toBe(false);
    expect(hasPath({ a: 'text' }, 'a.length')).toBe(false);
  });
});

describe('isPlainObject', () => {
  test('is true only for a map, not for null, a list or a scalar', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject('a')).toBe(false);
    expect(isPlainObject(1)).toBe(false);
    expect(isPlainObject(undefined)).toBe(false);
  });
});

describe('isEmptyValue (adopt: a setting that sets nothing needs no prop)', () => {
  test.each<[string, unknown]>([['null', null], ['an empty string', ''], ['an empty list', []], ['an empty map', {}]])(
    '%s sets nothing', (_, value) => {
      expect(isEmptyValue(value)).toBe(true);
    },
  );

  test.each<[string, unknown]>([
    ['false', false], ['0', 0], ['a string', 'x'], ['a space', ' '], ['a list of one empty string', ['']], ['a map with a null', { a: null }],
  ])('%s sets something', (_, value) => {
    expect(isEmptyValue(value)).toBe(false);
  });
});

describe('valueTexts (the texts registered as secrets and looked for in rendered objects)', () => {
  test('every text, however deep, but the names of list entries: an env variable\'s name is no secret, and messages keep it', () => {
    const values = { extraEnv: [{ name: 'DB_PASSWORD', value: 'pw-text-1' }, 'plain-item'], hub: { db: { url: 'url-text-2', name: 'map-name-3' } } };
    expect(valueTexts(values)).toEqual(['pw-text-1', 'plain-item', 'url-text-2', 'map-name-3']);
  });
});
