import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BINDERHUB_CHART_REPOSITORY, ChartSource, DEFAULT_BINDERHUB_CHART_VERSION } from '../lib/internal';
import { FIXTURE_CHART, packageChart } from './helpers';

describe('ChartSource', () => {
  test('repository defaults to the public chart repository at the pinned development version', () => {
    expect(ChartSource.repository().reference()).toEqual({ chart: 'binderhub', repo: BINDERHUB_CHART_REPOSITORY, version: DEFAULT_BINDERHUB_CHART_VERSION });
    expect(DEFAULT_BINDERHUB_CHART_VERSION).toMatch(/^1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+$/);
  });

  test.each(['^1.0.0', '1.0', '>=1.0.0', 'latest', ''])('throws if the version %p is not exact', version => {
    expect(() => ChartSource.repository({ version })).toThrow(/is not an exact version; pin one, such as 1\.0\.0-0\.dev/);
  });

  test.each(['10.20.30', '1.2.3-rc.1', '1.2.3-x-y.z.10', '1.2.3+build', '1.2.3+build.12.ab', '1.2.3-rc.1+build-5.x'])('takes the exact version %p', version => {
    expect(ChartSource.repository({ version }).reference()).toEqual({ chart: 'binderhub', repo: BINDERHUB_CHART_REPOSITORY, version });
  });

  test.each(['v1.2.3', '1.2.3-', '1.2.3-a..b', '1.2.3-a_b', '1.2.3+', '1.2.3+a..b', '1.2.3+a_b', '1.2.3+a.', '1.2.3 '])('throws if the version %p is no SemVer version', version => {
    expect(() => ChartSource.repository({ version })).toThrow(/is not an exact version; pin one/);
  });

  test.each(['jupyterhub', 'ftp://charts.example.org', 'https://', 'https:// charts.example.org', 'mirror https://charts.example.org'])('throws if the repository %p is not an http(s) or oci URL', url => {
    expect(() => ChartSource.repository({ url })).toThrow(`chart repository "${url}" is not an http(s) or oci URL`);
  });

  test.each(['http://127.0.0.1:8080/charts', 'https://charts.example.org', 'oci://registry.example.org/charts'])('takes the repository URL %p', url => {
    expect(ChartSource.repository({ url }).reference()).toEqual({ chart: 'binderhub', repo: url, version: DEFAULT_BINDERHUB_CHART_VERSION });
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

  test('a missing local chart says how to fetch one', () => {
    expect(() => ChartSource.local('/no/such/chart')).toThrow(`local chart /no/such/chart does not exist; give a binderhub chart directory or packaged .tgz (on a machine with internet: \`helm pull binderhub --repo ${BINDERHUB_CHART_REPOSITORY} --version <version>\`)`);
  });

  test('a package is a .tgz or .tar.gz, not a copy named after one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-name-'));
    const tgz = packageChart(FIXTURE_CHART);
    for (const name of ['binderhub.tgz.orig', 'binderhub.tar.gz~']) {
      fs.copyFileSync(tgz, path.join(dir, name));
      expect(() => ChartSource.local(path.join(dir, name))).toThrow(/is neither a chart directory nor a \.tgz/);
    }
    fs.copyFileSync(tgz, path.join(dir, 'binderhub.tar.gz'));
    expect(ChartSource.local(path.join(dir, 'binderhub.tar.gz')).reference()).toEqual({ chart: path.join(dir, 'binderhub.tar.gz') });
  });
});
