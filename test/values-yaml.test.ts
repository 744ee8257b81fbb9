import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readValuesFile, resolveGoYamlScalar, toolPath } from '../lib/internal';
import { configErrorMessage } from './helpers';

/** A chart whose one template prints the values helm read, as JSON. */
function probeChart(): string {
  const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'values-probe-'));
  fs.mkdirSync(path.join(chart, 'templates'));
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: probe\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(chart, 'templates', 'values.yaml'), '# values: {{ toJson .Values }}\n');
  return chart;
}

const chart = probeChart();

/** Writes `text` as a values file in the probe chart's folder and returns its path. */
function valuesFile(name: string, text: string): string {
  const file = path.join(chart, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The values the real helm reads from `file`, as its templates see them. */
function helmValues(file: string): unknown {
  const output = execFileSync(toolPath('helm'), ['template', 'probe', chart, '-f', file], { encoding: 'utf8', stdio: 'pipe' });
  return JSON.parse(/^# values: (.*)$/m.exec(output)![1]);
}

/** Plain scalars and what helm reads them as (each checked against the real helm below). */
const SCALARS: ReadonlyArray<[string, unknown]> = [
  ['40e9', 40e9], ['1e3', 1000], ['1E+3', 1000], ['+1e3', 1000], ['1e-7', 1e-7], ['1e21', 1e21], ['6.8523015e+5', 685230.15],
  ['0x1F', 31], ['0x_1F', 31], ['-0x1F', -31], ['0o17', 15], ['017', 15], ['08', 8], ['0b101', 5], ['-0b11', -3],
  ['1_000', 1000], ['1__0', 10], ['1_', 1], ['685_230.15', 685230.15], ['.5', 0.5], ['.5_0', 0.5], ['+.5', 0.5], ['-.5', -0.5],
  ['1.', 1], ['0.', 0], ['1.0', 1], ['+1', 1], ['-0', 0], ['1e-400', 0],
  ['99999999999999999999999', 1e23],
  ['yes', true], ['Yes', true], ['y', true], ['Y', true], ['on', true], ['ON', true], ['True', true], ['TRUE', true],
  ['no', false], ['n', false], ['off', false], ['Off', false], ['NO', false], ['False', false],
  ['null', null], ['Null', null], ['NULL', null], ['~', null], ['', null],
  ['tRue', 'tRue'], ['nULL', 'nULL'], ['1:20', '1:20'], ['_1', '_1'], ['1e', '1e'], ['1e+', '1e+'], ['0o8', '0o8'], ['.', '.'],
  ['+', '+'], ['1e400', '1e400'], ['-1e400', '-1e400'], ['0xFFFFFFFFFFFFFFFFFF', '0xFFFFFFFFFFFFFFFFFF'], ['+.nan', '+.nan'],
  ['._5', '._5'], ['2024-01-01', '2024-01-01'], ['1.2.3', '1.2.3'], ['"40e9"', '40e9'], ["'yes'", 'yes'], ['!!str 12', '12'],
  ['!!float 1', 1], ['!!int 0x1F', 31], ['!!bool yes', true], ['!!null ""', null], ['!!float "2"', 2],
];

describe('values files read as helm reads them (Go YAML\'s scalars, checked against the real helm)', () => {
  const file = valuesFile('scalars.yaml', `config:\n${SCALARS.map(([text], i) => `  v${i}: ${text}\n`).join('')}`);
  const helm = (helmValues(file) as { config: Record<string, unknown> }).config;
  const adopted = readValuesFile(file).config as Record<string, unknown>;

  test.each(SCALARS.map(([text, expected], i) => [text, expected, `v${i}`] as const))('%s reads as %p, as helm reads it', (_, expected, key) => {
    expect(helm[key]).toEqual(expected);
    expect(adopted[key]).toEqual(expected);
  });

  test('keys are read the same way and become their text: on and No keys are "true" and "false", 0x10 is "16"', () => {
    const keys = valuesFile('keys.yaml', 'config:\n  on: a\n  No: b\n  0x10: c\n  1_000: d\n  "yes": e\n');
    const expected = { config: { true: 'a', false: 'b', 16: 'c', 1000: 'd', yes: 'e' } };
    expect(helmValues(keys)).toEqual(expected);
    expect(readValuesFile(keys)).toEqual(expected);
  });

  test('mybinder\'s imageGCThresholdHigh: 40e9 is the number helm reads, not the text "40e9"', () => {
    const values = valuesFile('gc.yaml', 'imageCleaner:\n  imageGCThresholdHigh: 40e9\n  imageGCThresholdLow: 30e9\n');
    expect(readValuesFile(values)).toEqual({ imageCleaner: { imageGCThresholdHigh: 40_000_000_000, imageGCThresholdLow: 30_000_000_000 } });
  });
});

describe('what helm refuses or would change is refused naming the setting and the line', () => {
  /** adopt's one-line refusal of `text`, the file named {}, after checking that helm refuses or changes it too. */
  const refusal = (name: string, text: string): string => {
    const file = valuesFile(name, text);
    return configErrorMessage(() => readValuesFile(file)).replace(file, '{}');
  };
  const helmRefuses = (name: string) => expect(() => helmValues(path.join(chart, name))).toThrow();

  test('.inf and .nan, which helm refuses (its values pass through JSON)', () => {
    expect(refusal('inf.yaml', 'config:\n  BinderHub:\n    x: -.inf\n')).toBe(
      'values file {} line 3: setting config.BinderHub.x is .inf or .nan, which helm refuses (values pass through JSON); quote it or give a number');
    helmRefuses('inf.yaml');
    expect(refusal('nan.yaml', 'config:\n  x: !!float .NaN\n')).toMatch(/^values file \{\} line 2: setting config.x is .inf or .nan/);
    helmRefuses('nan.yaml');
  });

  test('a null key, which helm refuses', () => {
    expect(refusal('null-key.yaml', 'config:\n  ~: a\n')).toBe(
      'values file {} line 2: setting config, a key, is null (empty, ~ or null), which helm refuses as a key; quote it or remove it');
    helmRefuses('null-key.yaml');
  });

  test('a float key, which helm writes back as text of its own (1e+06)', () => {
    expect(refusal('float-key.yaml', 'config:\n  1000000.0: a\n')).toBe(
      'values file {} line 2: setting config, a key, is a number helm turns into text of its own (1e+06 for 1000000.0); quote the key');
    expect(helmValues(path.join(chart, 'float-key.yaml'))).toEqual({ config: { '1e+06': 'a' } });
  });

  test('a tag its value does not fit, which helm refuses', () => {
    expect(refusal('tag.yaml', 'config:\n  x: !!int 1.5\n')).toBe(
      'values file {} line 2: a value its YAML tag does not fit (such as !!int 1.5), which helm refuses; fix the value or drop the tag');
    helmRefuses('tag.yaml');
  });
});

test('resolveGoYamlScalar names the type Go YAML gives a plain scalar', () => {
  expect(resolveGoYamlScalar('40e9')).toEqual({ tag: 'float', value: 40e9 });
  expect(resolveGoYamlScalar('0x1F')).toEqual({ tag: 'int', value: 31 });
  expect(resolveGoYamlScalar('1e400')).toEqual({ tag: 'str', value: '1e400' });
});
