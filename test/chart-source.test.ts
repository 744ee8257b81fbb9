import * as path from 'path';
import { BINDERHUB_CHART_REPOSITORY, ChartSource, DEFAULT_BINDERHUB_CHART_VERSION } from '../lib';
import { FIXTURE_CHART, packageChart } from './helpers';

describe('ChartSource', () => {
  test('repository defaults to the public chart repository at the pinned development version', () => {
    expect(ChartSource.repository().reference()).toEqual({ chart: 'binderhub', repo: BINDERHUB_CHART_REPOSITORY, version: DEFAULT_BINDERHUB_CHART_VERSION });
    expect(DEFAULT_BINDERHUB_CHART_VERSION).toMatch(/^1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+$/);
  });

  test.each(['^1.0.0', '1.0', '>=1.0.0', 'latest', ''])('throws if the version %p is not exact', version => {
    expect(() => ChartSource.repository({ version })).toThrow(/is not an exact version; pin one, such as 1\.0\.0-0\.dev/);
  });

  test('throws if the repository is not a URL', () => {
    expect(() => ChartSource.repository({ url: 'jupyterhub' })).toThrow(/chart repository "jupyterhub" is not an http\(s\) or oci URL/);
  });

  test('local accepts a chart directory and a packaged .tgz, as absolute paths', () => {
    expect(ChartSource.local(path.relative(process.cwd(), FIXTURE_CHART)).reference()).toEqual({ chart: FIXTURE_CHART });
    const tgz = packageChart(FIXTURE_CHART);
    expect(ChartSource.local(tgz).reference()).toEqual({ chart: tgz });
  });

  test('throws if the local chart is missing, or is not a chart', () => {
    expect(() => ChartSource.local('/no/such/chart')).toThrow(/local chart \/no\/such\/chart does not exist; give a binderhub chart directory or packaged \.tgz/);
    expect(() => ChartSource.local(__dirname)).toThrow(/is a directory without Chart\.yaml/);
    expect(() => ChartSource.local(__filename)).toThrow(/is neither a chart directory nor a \.tgz/);
  });
});
