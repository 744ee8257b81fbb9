import { findDuplicateJsonKey } from '../lib/core/json-duplicates';

describe('findDuplicateJsonKey: the key a JSON text gives twice in one object (JSON.parse would keep the last)', () => {
  test.each([
    ['a top-level key', '{\n  "a": 1,\n  "a": 2\n}', { path: ['a'], line: 3 }],
    ['a key of a nested object', '{"x": {"a": 1,\n"a": 2}}', { path: ['x', 'a'], line: 2 }],
    ['a key of an object in a list, by its index', '{"list": [{"a": 1}, {"b": 1, "b": 2}]}', { path: ['list', 1, 'b'], line: 1 }],
    ['a key after a list closed', '{"l": [1, [2, 3]], "a": 1,\n\n"a": 2}', { path: ['a'], line: 3 }],
    ['a key holding an escaped quote', '{"a\\"b": 1, "a\\"b": 2}', { path: ['a"b'], line: 1 }],
    ['a key after a string ending in an escaped backslash', '{"a": "x\\\\", "b": 1, "b": 2}', { path: ['b'], line: 1 }],
    ['a key in an object of a top-level list', '[{"a": 1}, {"a": 1, "a": 2}]', { path: [1, 'a'], line: 1 }],
  ])('%s', (_, text, duplicate) => {
    expect(JSON.parse(text)).toBeDefined(); // each is valid JSON
    expect(findDuplicateJsonKey(text)).toEqual(duplicate);
  });

  test.each([
    ['the same key in sibling objects', '{"x": {"a": 1}, "y": {"a": 1}}'],
    ['the same key in objects of one list', '[{"a": 1}, {"a": 2}]'],
    ['a value equal to its key', '{"a": "a", "b": ["b", "b"]}'],
    ['braces, brackets, quotes and commas inside strings', '{"a": "{\\"a\\": [1,]}", "b": "}]"}'],
    ['a string alone', '"just a string"'],
    ['a number alone', '42'],
  ])('%s: none', (_, text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(findDuplicateJsonKey(text)).toBeUndefined();
  });
});
