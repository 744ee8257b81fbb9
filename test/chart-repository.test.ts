/**
 * The chart-repository path, end to end: a static chart repository on 127.0.0.1 (in a child process, so that it
 * answers while a render waits) serving the packaged test chart and the index helm writes for it; the chart is
 * locked by its digest in charts.lock, downloaded into the cache between a render's passes, and rendered from there.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { cachedChartPath, CHARTS_LOCK_FILE, ChartSource, formatChartLock, HelmChart, readChartMetadata, renderConcurrently, sha256, toolPath } from '../lib/internal';
import { fakeTokens, FIXTURE_CHART, packageChart } from './helpers';

const FIXTURE_VERSION = readChartMetadata(FIXTURE_CHART).version;
let server: ChildProcess;
let url: string;
let packaged: string;
const saved = { ...process.env };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-repo-'));
  packaged = packageChart(FIXTURE_CHART, dir);
  server = spawn(process.execPath, ['-e', `
    const http = require('http'), fs = require('fs'), path = require('path');
    http.createServer((req, res) => {
      const file = path.join(${JSON.stringify(dir)}, path.basename(req.url.split('?')[0]));
      if (!fs.existsSync(file)) { res.writeHead(404); return res.end('not found'); }
      res.writeHead(200); res.end(fs.readFileSync(file));
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
  `]);
  const port = await new Promise<string>(resolve => server.stdout!.once('data', chunk => resolve(String(chunk).trim())));
  url = `http://127.0.0.1:${port}`;
  execFileSync(toolPath('helm'), ['repo', 'index', dir, '--url', url]);
  // helm keeps downloaded indexes and charts under these folders: keep them out of the user's.
  for (const name of ['HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME']) process.env[name] = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-home-'));
});

afterAll(async () => {
  // Waits for the server to go, so that no child process outlives the file and holds jest's worker.
  if (server.exitCode === null && server.signalCode === null) {
    await new Promise(resolve => {
      server.once('exit', resolve);
      server.kill();
    });
  }
  process.env = saved;
});

function render(chart: ChartSource) {
  const scope = Testing.chart();
  new HelmChart(scope, 'h', { chart, releaseName: 'rel', namespace: 'ns', values: fakeTokens().toChartValues() });
  return Testing.synth(scope);
}

/** Renders `chart` as a synth does (so that a locked chart is downloaded first), in a project whose charts.lock locks `version`. */
async function renderLocked(version: string) {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'locked-'));
  const digest = sha256(fs.readFileSync(packaged));
  fs.writeFileSync(path.join(project, CHARTS_LOCK_FILE), formatChartLock({ charts: [{ name: 'binderhub', repository: url, version, digest }] }));
  const cwd = process.cwd();
  process.chdir(project);
  process.env.XDG_CACHE_HOME = path.join(project, 'cache'); // an empty cache: the chart is downloaded
  try {
    return await renderConcurrently(() => render(ChartSource.repository({ url })));
  } finally {
    process.chdir(cwd);
  }
}

test('a locked version from a chart repository renders as the same chart on disk does, once downloaded into the cache', async () => {
  expect(await renderLocked(FIXTURE_VERSION)).toEqual(render(ChartSource.local(FIXTURE_CHART)));
  expect(fs.existsSync(cachedChartPath(sha256(fs.readFileSync(packaged))))).toBe(true);
});

test('a locked version the repository does not list fails in one line that says how to pick one', async () => {
  await expect(renderLocked('1.0.0-0.dev.git.9999.hdeadbee'))
    .rejects.toThrow(/^binderhub 1\.0\.0-0\.dev\.git\.9999\.hdeadbee from http:\/\/127\.0\.0\.1:\d+, locked in charts\.lock, is not in the repository's index\.yaml; pick a listed version with `npm run chart-update`$/);
});
