import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Testing } from 'cdk8s';
import {
  binderHubValues, Builder, ChartSource, chartSupportProblem, ConfigError, DEFAULT_BINDERHUB_CHART_VERSION, OLDEST_SUPPORTED_CHART_BUILD,
  HelmChart, OLDEST_SUPPORTED_CHART_VERSION, parseChartMetadata, readChartMetadata, versionSupport,
} from '../lib/internal';
import { fakeTokens, FIXTURE_CHART, packageChart } from './helpers';
import { describeWithRealChart, editChartFile, unpackChart } from './real-chart';

/** A values schema whose image cleaner host settings are those of charts before build 3852, or of today. */
function schemaText(hostSettings: string[]): string {
  const properties = Object.fromEntries(hostSettings.map(key => [key, { type: 'string' }]));
  return JSON.stringify({ properties: { imageCleaner: { properties: { host: { additionalProperties: false, properties } } } } });
}
const OLD_SCHEMA = schemaText(['enabled', 'dockerSocket', 'dockerLibDir']);
const NEW_SCHEMA = schemaText(['dockerSocketDir', 'dockerSocketName', 'dockerLibDir']);

describe('versionSupport', () => {
  test.each([
    [DEFAULT_BINDERHUB_CHART_VERSION, 'supported'],
    [`1.0.0-0.dev.git.${OLDEST_SUPPORTED_CHART_BUILD}.h0123abc`, 'supported'],
    ['1.0.0-0.dev.git.3959.hb9fad995', 'supported'],
    [`1.0.0-0.dev.git.${OLDEST_SUPPORTED_CHART_BUILD - 1}.h0123abc`, 'too old'],
    ['1.0.0-0.dev.git.3506.hba24eb2a', 'too old'],
    ['0.2.0-3b53fce', 'too old'],
    ['0.2.0-n645.h06139f0', 'too old'],
    ['0.0.1-set.by.chartpress', 'unknown'],
    ['1.0.0', 'unknown'],
    ['1.0.1-0.dev.git.12.h0123abc', 'unknown'],
    ['11.0.0-0.dev.git.3506.h0123abc', 'unknown'],
    ['1.0.0-0.dev.git.3506.h0123abc.local', 'unknown'],
    ['0.2.0', 'too old'],
    ['0.12.0', 'too old'],
    ['0.2.10+build', 'too old'],
    ['10.2.0', 'unknown'],
  ])('%s is %s', (version, expected) => {
    expect(versionSupport(version)).toBe(expected);
  });

  test('the oldest supported build is the one that brought the image cleaner\'s dockerSocketDir', () => {
    expect(OLDEST_SUPPORTED_CHART_BUILD).toBe(3852);
    expect(OLDEST_SUPPORTED_CHART_VERSION).toBe('1.0.0-0.dev.git.3852');
  });
});

describe('chartSupportProblem', () => {
  test('refuses a chart that is not binderhub, asking whether BINDERHUB_CHART is one', () => {
    expect(chartSupportProblem({ name: 'jupyterhub', version: '4.2.0' })).toEqual({
      reason: 'it is the chart "jupyterhub" 4.2.0, not binderhub',
      fix: expect.stringMatching(/^is BINDERHUB_CHART a binderhub chart\?/),
    });
  });

  test('refuses versions older than the oldest supported build, naming both and how to pin a newer chart', () => {
    const problem = chartSupportProblem({ name: 'binderhub', version: '1.0.0-0.dev.git.3506.hba24eb2a' });
    expect(problem?.reason).toBe('it is binderhub 1.0.0-0.dev.git.3506.hba24eb2a, older than the oldest supported build 1.0.0-0.dev.git.3852');
    expect(problem?.fix).toMatch(/^pin binderhub 1\.0\.0-0\.dev\.git\.3852\.h<commit> or later: ChartSource\.repository\(\{ version \}\), or BINDERHUB_CHART/);
    expect(chartSupportProblem({ name: 'binderhub', version: '0.2.0-3b53fce' })?.reason).toMatch(/^it is binderhub 0\.2\.0-3b53fce, a pre-1\.0 chart of the 2019 guide's time, older than/);
  });

  test('where the version does not tell, a schema without imageCleaner.host.dockerSocketDir marks an old chart', () => {
    const checkout = { name: 'binderhub', version: '0.0.1-set.by.chartpress' };
    expect(chartSupportProblem({ ...checkout, valuesSchema: OLD_SCHEMA })?.reason).toMatch(/whose values schema has no imageCleaner\.host\.dockerSocketDir: a chart from before build 3852/);
    expect(chartSupportProblem({ ...checkout, valuesSchema: NEW_SCHEMA })).toBeUndefined();
    // A git checkout has no values.schema.json: it goes on to helm, and the image check catches its placeholder tags.
    expect(chartSupportProblem(checkout)).toBeUndefined();
    expect(chartSupportProblem({ ...checkout, version: '1.0.0', valuesSchema: OLD_SCHEMA })).toBeDefined();
  });

  test('where the version tells, it decides', () => {
    expect(chartSupportProblem({ name: 'binderhub', version: DEFAULT_BINDERHUB_CHART_VERSION, valuesSchema: NEW_SCHEMA })).toBeUndefined();
    expect(chartSupportProblem({ name: 'binderhub', version: DEFAULT_BINDERHUB_CHART_VERSION, valuesSchema: OLD_SCHEMA })).toBeUndefined();
    expect(chartSupportProblem({ name: 'binderhub', version: '1.0.0-0.dev.git.3506.hba24eb2a', valuesSchema: NEW_SCHEMA })).toBeDefined();
  });

  test.each([
    ['no JSON (helm reports it)', '{"properties": '],
    ['null', 'null'],
    ['no properties', '{}'],
    ['no imageCleaner', '{"properties": {}}'],
    ['no imageCleaner properties', '{"properties": {"imageCleaner": {}}}'],
    ['no imageCleaner.host', '{"properties": {"imageCleaner": {"properties": {}}}}'],
  ])('a schema with %s says nothing about the chart\'s age', (_, valuesSchema) => {
    expect(chartSupportProblem({ name: 'binderhub', version: '0.0.1-set.by.chartpress', valuesSchema })).toBeUndefined();
  });

  test('a schema whose imageCleaner.host lists no properties has no dockerSocketDir', () => {
    const valuesSchema = '{"properties": {"imageCleaner": {"properties": {"host": {"type": "object"}}}}}';
    expect(chartSupportProblem({ name: 'binderhub', version: '0.0.1-set.by.chartpress', valuesSchema })?.reason)
      .toBe('it is binderhub 0.0.1-set.by.chartpress, whose values schema has no imageCleaner.host.dockerSocketDir: a chart from before build 3852, the oldest supported');
  });
});

describe('parseChartMetadata', () => {
  const refusal = 'local chart /charts/x has no valid Chart.yaml (with name and version); give a binderhub chart directory or .tgz';
  test.each([
    ['an empty file', ''],
    ['no YAML', 'name: [binderhub'],
    ['null', 'null\n'],
    ['a string', 'binderhub 1.0.0\n'],
    ['a list', '- name: binderhub\n  version: 1.0.0\n'],
    ['no name', 'version: 1.0.0\n'],
    ['no version', 'name: binderhub\n'],
    ['an empty version', 'name: binderhub\nversion:\n'],
  ])('refuses a Chart.yaml that is %s, naming the chart', (_, chartYaml) => {
    expect(() => parseChartMetadata({ chartYaml }, '/charts/x')).toThrow(new ConfigError(refusal));
  });

  test('reads name and version, and keeps the schema', () => {
    expect(parseChartMetadata({ chartYaml: 'name: binderhub\nversion: 1.0.0-0.dev.git.3900.habc\n', valuesSchema: '{}' }, '/charts/x'))
      .toEqual({ name: 'binderhub', version: '1.0.0-0.dev.git.3900.habc', valuesSchema: '{}' });
  });
});

describe('readChartMetadata', () => {
  test('reads the top-level chart of a directory and of its package alike, never a subchart', () => {
    const fromDirectory = readChartMetadata(FIXTURE_CHART);
    expect(fromDirectory).toEqual({
      name: 'binderhub',
      version: '1.0.0-0.dev.git.3983.h383374de',
      valuesSchema: fs.readFileSync(path.join(FIXTURE_CHART, 'values.schema.json'), 'utf8'),
    });
    // The package holds binderhub/charts/jupyterhub/Chart.yaml and its values.schema.json as well.
    const tgz = packageChart(FIXTURE_CHART);
    expect(execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })).toContain('binderhub/charts/jupyterhub/Chart.yaml');
    expect(readChartMetadata(tgz)).toEqual(fromDirectory);
  });

  test.each(['ustar', 'gnu', 'pax'])('reads a package that tar wrote in %s format, with a long folder name', format => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tar-format-'));
    // Its files' paths are longer than a tar header's 100-byte name field; ustar cannot split a longer folder name.
    const chart = `binderhub-${'x'.repeat(85)}`;
    fs.mkdirSync(path.join(dir, chart, 'charts', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, chart, 'Chart.yaml'), 'apiVersion: v2\nname: binderhub\nversion: 1.0.0-0.dev.git.3900.habc\n');
    fs.writeFileSync(path.join(dir, chart, 'charts', 'sub', 'Chart.yaml'), 'apiVersion: v2\nname: sub\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(dir, chart, 'values.schema.json'), NEW_SCHEMA);
    const tgz = path.join(dir, 'chart.tgz');
    execFileSync('tar', [`--format=${format}`, '-czf', tgz, '-C', dir, chart]);
    expect(readChartMetadata(tgz)).toEqual({ name: 'binderhub', version: '1.0.0-0.dev.git.3900.habc', valuesSchema: NEW_SCHEMA });
  });

  test('finds the top-level Chart.yaml and schema whatever the order of the package\'s files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-order-'));
    fs.mkdirSync(path.join(dir, 'chart', 'charts', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'values.schema.json'), NEW_SCHEMA);
    fs.writeFileSync(path.join(dir, 'chart', 'charts', 'sub', 'Chart.yaml'), 'name: sub\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(dir, 'chart', 'charts', 'sub', 'values.schema.json'), OLD_SCHEMA);
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'name: binderhub\nversion: 1.0.0-0.dev.git.3900.habc\n');
    const tgz = path.join(dir, 'chart.tgz');
    execFileSync('tar', ['-czf', tgz, '-C', dir, 'chart/values.schema.json', 'chart/charts/sub/Chart.yaml', 'chart/charts/sub/values.schema.json', 'chart/Chart.yaml']);
    expect(readChartMetadata(tgz)).toEqual({ name: 'binderhub', version: '1.0.0-0.dev.git.3900.habc', valuesSchema: NEW_SCHEMA });
  });

  test('refuses in one line what is no chart package, or no chart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'not-a-chart-'));
    const empty = path.join(dir, 'empty.tgz');
    fs.writeFileSync(empty, '');
    expect(() => readChartMetadata(empty)).toThrow(/^local chart .*empty\.tgz is not a readable chart package \(.*\); give a binderhub chart directory or a \.tgz from `helm package` or `helm pull`$/);
    const gzipped = (name: string, content: Buffer) => {
      fs.writeFileSync(path.join(dir, name), zlib.gzipSync(content));
      return path.join(dir, name);
    };
    expect(() => readChartMetadata(gzipped('text.tgz', Buffer.from('not a tar archive\n'))))
      .toThrow(/is not a readable chart package \(not a tar archive: 18 bytes, not a whole number of 512-byte blocks\)/);
    expect(() => readChartMetadata(gzipped('block.tgz', Buffer.alloc(512, 'x'))))
      .toThrow(/is not a readable chart package \(not a tar archive: bad number field at byte 0\)/);
    const damaged = zlib.gunzipSync(fs.readFileSync(packageChart(FIXTURE_CHART)));
    damaged[0] ^= 1; // one bit of the first entry's name
    expect(() => readChartMetadata(gzipped('damaged.tgz', damaged))).toThrow(/\(not a tar archive: bad header checksum at byte 0\)/);
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'templates', 'x.yaml'), '');
    const noChartYaml = path.join(dir, 'no-chart-yaml.tgz');
    execFileSync('tar', ['-czf', noChartYaml, '-C', dir, 'chart']);
    expect(() => readChartMetadata(noChartYaml)).toThrow(/holds no <chart>\/Chart\.yaml/);
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'description: no name, no version\n');
    expect(() => readChartMetadata(path.join(dir, 'chart'))).toThrow(ConfigError);
    expect(() => readChartMetadata(path.join(dir, 'chart'))).toThrow(/has no valid Chart\.yaml \(with name and version\)/);
  });
});

describe('ChartSource refuses charts it cannot render, before helm runs', () => {
  test('a repository version older than the oldest supported build, without fetching anything', () => {
    // No URL is reachable here: only the version can refuse it.
    const url = 'http://127.0.0.1:9';
    expect(() => ChartSource.repository({ url, version: '1.0.0-0.dev.git.3506.hba24eb2a' }))
      .toThrow(/^binderhub 1\.0\.0-0\.dev\.git\.3506\.hba24eb2a from http:\/\/127\.0\.0\.1:9: it is binderhub 1\.0\.0-0\.dev\.git\.3506\.hba24eb2a, older than the oldest supported build 1\.0\.0-0\.dev\.git\.3852; pin binderhub/);
    expect(() => ChartSource.repository({ url, version: '0.2.0-3b53fce' })).toThrow(/a pre-1\.0 chart of the 2019 guide's time/);
    expect(() => ChartSource.repository({ url, version: `1.0.0-0.dev.git.${OLDEST_SUPPORTED_CHART_BUILD}.h0123abc` })).not.toThrow();
    expect(() => ChartSource.repository({ url, version: '1.0.0' })).not.toThrow();
    expect(() => ChartSource.repository()).not.toThrow();
  });

  test('a local chart that is not binderhub', () => {
    expect(() => ChartSource.local(path.join(FIXTURE_CHART, 'charts', 'jupyterhub')))
      .toThrow(/^local chart .*jupyterhub: it is the chart "jupyterhub" 4\.2\.0, not binderhub; is BINDERHUB_CHART a binderhub chart\?/);
  });
});

describeWithRealChart('ChartSource.local and chart versions', realChart => {
  /** A copy of the real chart as the published 2024 package 3506 is: its version, and a schema without dockerSocketDir. */
  function chartOf3506(): string {
    const dir = unpackChart(realChart);
    editChartFile(dir, 'Chart.yaml', text => text.replace(/^version: .*$/m, 'version: 1.0.0-0.dev.git.3506.hba24eb2a'));
    editChartFile(dir, 'values.schema.json', text => {
      const schema = JSON.parse(text);
      const host = schema.properties.imageCleaner.properties.host;
      delete host.properties.dockerSocketDir;
      delete host.properties.dockerSocketName;
      host.required = ['dockerSocket', 'dockerLibDir'];
      return JSON.stringify(schema, null, 2);
    });
    return dir;
  }

  test('the real chart is read in-process and accepted, as a package and unpacked', () => {
    const metadata = readChartMetadata(realChart);
    expect(metadata.version).toMatch(/^1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+$/);
    expect(versionSupport(metadata.version)).toBe('supported');
    expect(metadata.valuesSchema).toContain('dockerSocketDir');
    expect(readChartMetadata(unpackChart(realChart))).toEqual(metadata);
    expect(() => ChartSource.local(realChart)).not.toThrow();
  });

  test('without the refusal, helm would fail the copy of build 3506 on a setting the operator never wrote', () => {
    // A chart source that skips the check, as ChartSource.local did before.
    const dir = chartOf3506();
    const unchecked = new (class extends ChartSource {
      public readonly description = `local chart ${dir}`;
      public reference() { return { chart: dir }; }
    })();
    const scope = Testing.chart();
    const values = binderHubValues({ tokens: fakeTokens(), registryValues: {}, hubUrlValues: {}, builderValues: Builder.dind().bind(scope, 'rel') });
    expect(() => new HelmChart(scope, 'h', { chart: unchecked, releaseName: 'rel', namespace: 'ns', values }))
      // helm lists the properties in no fixed order (a Go map).
      .toThrow(/at '\/imageCleaner\/host': additional properties ('dockerSocketDir', 'dockerSocketName'|'dockerSocketName', 'dockerSocketDir') not allowed/);
  });

  test('build 3506 (2024) is refused up front, as a directory and as a package, instead of failing the schema on dockerSocketDir', () => {
    const dir = chartOf3506();
    const expected = /^local chart .*: it is binderhub 1\.0\.0-0\.dev\.git\.3506\.hba24eb2a, older than the oldest supported build 1\.0\.0-0\.dev\.git\.3852; pin binderhub 1\.0\.0-0\.dev\.git\.3852\.h<commit> or later: ChartSource\.repository\(\{ version \}\), or BINDERHUB_CHART set to a newer local chart$/;
    expect(() => ChartSource.local(dir)).toThrow(expected);
    expect(() => ChartSource.local(packageChart(dir))).toThrow(expected);
  });

  test('the 2019 0.2.0-3b53fce (Chart.yaml apiVersion v1) is refused up front', () => {
    const dir = unpackChart(realChart);
    editChartFile(dir, 'Chart.yaml', text => text.replace(/^apiVersion: v2$/m, 'apiVersion: v1').replace(/^version: .*$/m, 'version: 0.2.0-3b53fce'));
    fs.rmSync(path.join(dir, 'values.schema.json'));
    expect(() => ChartSource.local(dir)).toThrow(/^local chart .*: it is binderhub 0\.2\.0-3b53fce, a pre-1\.0 chart of the 2019 guide's time, older than the oldest supported build 1\.0\.0-0\.dev\.git\.3852; pin/);
  });

  test('a version that does not tell is decided by the schema', () => {
    const old = chartOf3506();
    editChartFile(old, 'Chart.yaml', text => text.replace(/^version: .*$/m, 'version: 0.0.1-set.by.chartpress'));
    expect(() => ChartSource.local(old)).toThrow(/it is binderhub 0\.0\.1-set\.by\.chartpress, whose values schema has no imageCleaner\.host\.dockerSocketDir/);
    // As a git checkout: no values.schema.json (chartpress generates it when it packages the chart).
    fs.rmSync(path.join(old, 'values.schema.json'));
    expect(() => ChartSource.local(old)).not.toThrow();
  });
});
