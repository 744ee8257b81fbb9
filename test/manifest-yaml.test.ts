import { ChartSource, patchHubUrl, stringifyManifests, NON_STRING_PLAIN_SCALARS, synthesizeFiles } from '../lib/internal';
import { Yaml } from 'cdk8s';
import { Document } from 'cdk8s/node_modules/yaml';
import { defineExample, exampleInputs } from './helpers';
import { describeWithRealChart } from './real-chart';

/** The serializer it must equal, byte for byte. */
const expectSameAsCdk8s = (...documents: unknown[]) => expect(stringifyManifests(...documents)).toBe(Yaml.stringify(...documents));

test('the plain scalars quoted as another type are exactly the tests of the YAML 1.1 schema cdk8s writes with', () => {
  const { tags, compat } = new Document(null, { version: '1.1' }).schema;
  const tests = tags.filter(tag => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test).map(tag => (tag as { test: RegExp }).test);
  expect(NON_STRING_PLAIN_SCALARS.map(String)).toEqual(tests.map(String));
  expect(compat).toBeNull();
});

/** Scalars of every class the serializer tells apart, and the edges between them. */
const TRICKY_STRINGS = [
  '', ' ', 'a', 'yes', 'Yes', 'YES', 'y', 'Y', 'n', 'No', 'on', 'On', 'OFF', 'off', 'true', 'False', 'TRUE', 'yEs', '~', 'null', 'Null', 'NULL', 'nULL',
  '0', '00', '0087', '0089', '08', '-0', '+1', '1_000', '0b101', '0b2', '0x1F', '0xg', '1e3', '1E-3', '1e', 'e3', '.5', '1.', '.', '-.', '1.2.3',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', 'inf', 'NaN', '12:30', '1:20:30.5', '190:20:30', '12:60', '2001-12-14', '2001-1-4',
  '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43Z', '20011214', '<<', '<', '<<<',
  '---', '--- x', '---x', '...', '... x', '..', '--', '%x', 'a%', '@x', '`x', '!x', '&x', '*x', '|x', '>x', "'x", '"x', '#x', 'x #y', 'x#y',
  'x# y', 'x:', 'x: y', 'x:y', 'http://a.b/c', '- x', '-', '-x', '?', '? x', '?x', '[x]', 'x]', '{x}', 'x}', 'x,y', ',x', ' x', 'x ', '\tx', 'x\t', 'x\ty',
  'a\nb', 'a\n', 'a\n\n', 'a\n\n\n', '\n', '\n\n', '\na', '\n\na', ' \n', ' a\nb', '  a\n b\n', 'a \nb', 'a\n b', 'a\n\tb', '\ta\n', 'a\n ', 'a\n\t',
  'a\r\nb', 'x\u0000', '\u0007', '\u001b[0m', '\u007f', '\u0085', '\u00a0', 'a\u00a0', '\u2028', '\u2029', 'a\u2028---x', 'a\u2029...', 'a\u2028%x', 'a\r---', '\ufeffx', 'é', 'naïve: yes', '😀',
  '\ud800', 'x\udfff', 'a"b', "a'b", `a'"b`, '"', "'", '\\', 'a\\nb', 'a \\n', 'a\\', '#!/bin/sh\nset -e\n', 'line one\n\n  indented\nlast',
  '{"json": [1, 2]}', 'key=value', 'a'.repeat(40), `${'a'.repeat(38)}\nb`, 'b'.repeat(1030),
];

const TRICKY_NUMBERS = [0, -0, 1, -1, 42, 0.1, -2.5, 1e21, 1e-7, 123456789012, Number.MAX_SAFE_INTEGER, 2 ** 60, 5e-324, 1.7976931348623157e308];

/** A small seeded generator (mulberry32), so the corpus is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters that change how a scalar is written, alone or next to each other. */
const TRICKY_CHARACTERS = [...' \n\n\t:#-?"\'\\|>.019aeyxn_%@{[,&*!`~<', '\r', '\u0001', 'é', '\u0085', '\u2028', '😀'];

/** Data of the shapes cdk8s's `toJson` gives, its scalars drawn from the lists above or built from tricky characters. */
function corpus(seed: number, count: number): unknown[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const string = (): string => {
    const roll = next();
    if (roll < 0.45) return pick(TRICKY_STRINGS);
    if (roll < 0.6) return `${pick(TRICKY_STRINGS)}${pick(TRICKY_CHARACTERS)}${pick(TRICKY_STRINGS)}`;
    return Array.from({ length: Math.floor(next() * 10) }, () => pick(TRICKY_CHARACTERS)).join('');
  };
  const scalar = (): unknown => {
    const roll = next();
    if (roll < 0.65) return string();
    if (roll < 0.8) return pick(TRICKY_NUMBERS);
    if (roll < 0.9) return next() < 0.5;
    return next() < 0.8 ? null : undefined;
  };
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth > 3 || roll < 0.5) return scalar();
    const size = Math.floor(next() * 4);
    if (roll < 0.75) return Array.from({ length: size }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: size }, () => [string(), value(depth + 1)]));
  };
  return Array.from({ length: count }, (_, i) => i % 2 === 0
    ? Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 4) }, () => [string(), value(1)]))
    : Array.from({ length: 1 + Math.floor(next() * 3) }, () => value(1)));
}

test('5000 generated documents of tricky scalars and shapes are written exactly as cdk8s writes them, alone and together', () => {
  const documents = corpus(36, 5000);
  for (const document of documents) expectSameAsCdk8s(document);
  expectSameAsCdk8s(...documents);
});

test.each(TRICKY_STRINGS.map(s => [JSON.stringify(s).slice(0, 60), s]))('%s is written as cdk8s writes it as a key, a value and an item at several depths', (_, s) => {
  expectSameAsCdk8s({ [s]: s, list: [s, [s], { [s]: [s] }], deeper: { [s]: { [s]: s } } });
});

test('what is not plain JSON data, or shares an object, is written by cdk8s itself, the same', () => {
  const shared = { app: 'binder' };
  class Kind { readonly kind = 'Pod'; }
  const documents: unknown[] = [
    { metadata: { labels: shared }, spec: { selector: { matchLabels: shared } } }, [shared, shared],
    { when: new Date(0) }, { map: new Map([['a', 1]]) }, { object: new Kind() }, { nan: NaN, inf: -Infinity },
    { [`${'k'.repeat(1030)}`]: 1 }, { ['\u0001'.repeat(600)]: 1 },
    'a string', 42, null, undefined, [], {}, Object.create(null),
  ];
  for (const document of documents) expectSameAsCdk8s(document);
  expectSameAsCdk8s(...documents);
});

test('every manifest the example synthesizes (test chart) is written as cdk8s writes it', () => {
  const { app } = defineExample(exampleInputs());
  for (const chart of app.charts) expectSameAsCdk8s(...chart.toJson());
});

test('synth and the hub URL post-step write the example\'s manifests themselves: no document or scalar goes to Yaml.stringify', () => {
  const { app } = defineExample(exampleInputs());
  const yamlStringify = jest.spyOn(Yaml, 'stringify');
  try {
    const files = synthesizeFiles(app);
    const patched = patchHubUrl(files.get('staging.k8s.yaml')!, 'http://203.0.113.7/');
    expect(patched.changed).toBe(true);
    expect(yamlStringify).not.toHaveBeenCalled();
  } finally {
    yamlStringify.mockRestore();
  }
});

describeWithRealChart('the example\'s manifests', chart => {
  test('every manifest the example synthesizes with the real chart is written as cdk8s writes it', () => {
    const { app } = defineExample({ ...exampleInputs(), chart: ChartSource.local(chart) });
    for (const chart of app.charts) expectSameAsCdk8s(...chart.toJson());
  }, 120_000);
});
