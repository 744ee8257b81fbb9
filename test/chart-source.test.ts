import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BINDERHUB_CHART_REPOSITORY, cachedChartPath, CHARTS_LOCK_FILE, ChartSource, DEFAULT_BINDERHUB_CHART_VERSION, formatChartLock, sha256 } from '../lib/internal';
import { FIXTURE_CHART, packageChart } from './helpers';

describe('ChartSource', () => {
  test('repository renders the package charts.lock locks for the public repository, from the chart cache', () => {
    const tgz = packageChart(FIXTURE_CHART);
    const digest = sha256(fs.readFileSync(tgz));
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'locked-'));
    fs.mkdirSync(path.dirname(cachedChartPath(digest)), { recursive: true });
    fs.copyFileSync(tgz, cachedChartPath(digest));
    fs.writeFileSync(path.join(project, CHARTS_LOCK_FILE), formatChartLock({ charts: [{ name: 'binderhub', repository: BINDERHUB_CHART_REPOSITORY, version: '1.0.0-0.dev.git.3983.h383374de', digest }] }));
    const cwd = process.cwd();
    process.chdir(project);
    try {
      expect(ChartSource.repository().reference()).toEqual({ chart: cachedChartPath(digest) });
      expect(() => ChartSource.repository({ version: '1.0.0-0.dev.git.3990.h0123abc' }).reference())
        .toThrow('binderhub 1.0.0-0.dev.git.3990.h0123abc from https://jupyterhub.github.io/helm-chart is not the version charts.lock locks (1.0.0-0.dev.git.3983.h383374de); '
          + 'lock it with `npm run chart-update -- --version 1.0.0-0.dev.git.3990.h0123abc`, or leave the version out to render the locked one');
    } finally {
      process.chdir(cwd);
    }
    expect(DEFAULT_BINDERHUB_CHART_VERSION).toMatch(/^1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+$/);
  });

  test.each(['^1.0.0', '1.0', '>=1.0.0', 'latest', ''])('throws if the version %p is not exact', version => {
    expect(() => ChartSource.repository({ version })).toThrow(/is not an exact version; pin one, such as 1\.0\.0-0\.dev/);
  });

  test.each(['10.20.30', '1.2.3-rc.1', '1.2.3-x-y.z.10', '1.2.3+build', '1.2.3+build.12.ab', '1.2.3-rc.1+build-5.x'])('takes the exact version %p', version => {
    expect(ChartSource.repository({ version }).description).toBe(`binderhub ${version} from ${BINDERHUB_CHART_REPOSITORY}`);
  });

  test.each(['v1.2.3', '1.2.3-', '1.2.3-a..b', '1.2.3-a_b', '1.2.3+', '1.2.3+a..b', '1.2.3+a_b', '1.2.3+a.', '1.2.3 '])('throws if the version %p is no SemVer version', version => {
    expect(() => ChartSource.repository({ version })).toThrow(/is not an exact version; pin one/);
  });

  test.each(['jupyterhub', 'ftp://charts.example.org', 'https://', 'https:// charts.example.org', 'mirror https://charts.example.org', 'oci://registry.example.org/charts'])(
    'throws if the repository %p is not an http(s) URL (a repository with an index.yaml that lists digests)', url => {
      expect(() => ChartSource.repository({ url })).toThrow(`chart repository "${url}" is not an http(s) URL`);
    });

  test('refuses a repository URL with credentials, which charts.lock would commit, without quoting them', () => {
    expect(() => ChartSource.repository({ url: 'https://bot:chart-repo-token-8812@charts.example.org' }))
      .toThrow('chart repository "https://***@charts.example.org" holds credentials, which charts.lock would commit; give a repository that needs none');
  });

  test.each(['http://127.0.0.1:8080/charts', 'https://charts.example.org'])('takes the repository URL %p', url => {
    expect(ChartSource.repository({ url }).description).toBe(`binderhub from ${url} (the version charts.lock locks)`);
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
