/**
 * The chart-repository path, end to end with the real helm: a static chart repository on 127.0.0.1 (in a child
 * process, since helm runs synchronously here) serving the packaged test chart and its index.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ChartSource, HelmChart, readChartMetadata, toolPath } from '../lib/internal';
import { fakeTokens, FIXTURE_CHART, packageChart } from './helpers';

const FIXTURE_VERSION = readChartMetadata(FIXTURE_CHART).version;
let server: ChildProcess;
let url: string;
const saved = { ...process.env };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-repo-'));
  packageChart(FIXTURE_CHART, dir);
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

test('a pinned version from a chart repository renders as the same chart on disk does', () => {
  expect(render(ChartSource.repository({ url, version: FIXTURE_VERSION }))).toEqual(render(ChartSource.local(FIXTURE_CHART)));
});

test('an unknown version fails in one line that says how to give a local chart', () => {
  expect(() => render(ChartSource.repository({ url, version: '1.0.0-0.dev.git.9999.hdeadbee' })))
    .toThrow(/^binderhub 1\.0\.0-0\.dev\.git\.9999\.hdeadbee from http:\/\/127\.0\.0\.1:\d+ was not found in the repository \(.*\); pick a published version, or to render without the network, set BINDERHUB_CHART/);
});
