import { deepMerge, hasPath } from '../lib';

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
});
