/**
 * charts.lock, the chart cache and `npm run chart-update`, against a chart repository served on 127.0.0.1 by this
 * test: packages built from the real chart under other version labels, and an index.yaml each test writes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import {
  BinderHub, BinderHubApp, cachedChartPath, CHARTS_LOCK_FILE, ChartSource, formatChartLock, parseChartLock, Registry, SecretStore, sha256,
  synthesizeApp, toolPath, updateChartLock,
} from '../lib/internal';
import { describeWithRealChart, editChartFile, unpackChart } from './real-chart';

const OLD = '1.0.0-0.dev.git.3959.hb9fad995';
const NEW = '1.0.0-0.dev.git.3990.h0123abc';
const REFUSING = '1.0.0-0.dev.git.3995.h0badbad';

describeWithRealChart('chart-update and the chart cache', realChart => {
  const packages = new Map<string, Buffer>(); // by file name
  let server: http.Server;
  let url: string;
  let index = '';
  const saved = { cwd: process.cwd(), env: { ...process.env } };

  beforeAll(async () => {
    packages.set(`binderhub-${OLD}.tgz`, fs.readFileSync(realChart));
    packages.set(`binderhub-${NEW}.tgz`, repackage(realChart, NEW, dir => {
      editChartFile(dir, 'values.yaml', text => text.replace(`tag: "${OLD}"`, `tag: "${NEW}"`));
      // Its files go into Secret binder-secret, whose checksum the binder Deployment's pod template carries.
      editChartFile(dir, 'files/binderhub_config.py', text => `${text}\n# build 3990\n`);
    }));
    packages.set(`binderhub-${REFUSING}.tgz`, repackage(realChart, REFUSING, dir => editChartFile(dir, 'values.schema.json', text => {
      const schema = JSON.parse(text);
      delete schema.properties.replicas;
      return JSON.stringify(schema);
    })));
    server = http.createServer((request, response) => {
      const name = path.posix.basename(request.url ?? '');
      const body = name === 'index.yaml' ? Buffer.from(index) : packages.get(name);
      response.writeHead(body ? 200 : 404).end(body ?? 'not found');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/charts`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  beforeEach(() => {
    process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'chart-update-')));
    process.env.XDG_CACHE_HOME = path.resolve('cache');
    delete process.env.BINDERHUB_CHART;
    new SecretStore('secrets').init('prod', false, []);
    index = indexOf([OLD, NEW, '0.2.0-3b53fce', '1.0.0-0.dev.git.3506.hba24eb2a', '2.0.0']);
    writeLock(OLD);
  });

  afterEach(() => {
    process.chdir(saved.cwd);
    process.env = { ...saved.env };
  });

  /** index.yaml listing `versions`; those without a package here list the old one's digest and file. */
  function indexOf(versions: string[], digests: Record<string, string> = {}): string {
    const entries = versions.map(version => {
      const file = packages.has(`binderhub-${version}.tgz`) ? `binderhub-${version}.tgz` : `binderhub-${OLD}.tgz`;
      return { version, digest: digests[version] ?? sha256(packages.get(file)!), urls: [file], name: 'binderhub' };
    });
    return JSON.stringify({ apiVersion: 'v1', entries: { binderhub: entries } });
  }

  function writeLock(version: string): void {
    const digest = sha256(packages.get(`binderhub-${version}.tgz`)!);
    fs.writeFileSync(CHARTS_LOCK_FILE, formatChartLock({ charts: [{ name: 'binderhub', repository: url, version, digest }] }));
  }

  const lockedVersion = () => parseChartLock(fs.readFileSync(CHARTS_LOCK_FILE, 'utf8')).charts[0]?.version;

  const app = () => new BinderHubApp(scope => {
    new BinderHub(scope, 'prod', {
      namespace: 'binderhub-prod', tokens: scope.secrets('prod').tokens, registry: Registry.none(),
      chart: ChartSource.repository({ url }), chartValues: { replicas: 2 },
    });
  });

  async function update(options: { version?: string; check?: boolean } = {}): Promise<{ status: number; lines: string[] }> {
    const lines: string[] = [];
    const status = await updateChartLock(app(), { repository: url, check: false, ...options }, line => lines.push(line));
    return { status, lines };
  }

  async function binderImage(): Promise<string> {
    const { scope } = await synthesizeApp(app());
    const deployment = scope.charts.flatMap(chart => chart.toJson()).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'binder');
    return deployment.spec.template.spec.containers[0].image;
  }

  test('--check exits 1 naming the newer supported chart and 0 once the lock has it; unsupported versions are listed, never picked', async () => {
    const behind = await update({ check: true });
    expect(behind.status).toBe(1);
    expect(behind.lines).toContain('not supported yet, not picked: binderhub 2.0.0');
    expect(behind.lines.join('\n')).not.toMatch(/3506|0\.2\.0/);
    expect(behind.lines.at(-1)).toBe(`a newer supported chart exists: binderhub ${NEW} (charts.lock locks ${OLD}); run \`npm run chart-update\` and review what it changes`);
    expect(lockedVersion()).toBe(OLD);
    expect(fs.existsSync(path.resolve('cache'))).toBe(false); // --check downloads nothing
    writeLock(NEW);
    expect((await update({ check: true })).status).toBe(0);
  });

  test('an update moves the lock and prints the binder Deployment\'s restart; the next synth renders offline from the cache', async () => {
    const { status, lines } = await update();
    expect(status).toBe(0);
    expect(lines).toContain('deployment prod:');
    expect(lines).toContain('  restarts: Deployment/binderhub-prod/binder (checksum/config changed)');
    expect(lines).toContain(`    spec.template.spec.containers[name=binder].image: "quay.io/jupyterhub/k8s-binderhub:${OLD}" → "quay.io/jupyterhub/k8s-binderhub:${NEW}"`);
    expect(lines).toContain(`deployment prod: binder image quay.io/jupyterhub/k8s-binderhub:${NEW}; builds run the build image that binder image defaults to`);
    expect(lockedVersion()).toBe(NEW);
    index = 'the repository is gone';
    expect(await binderImage()).toBe(`quay.io/jupyterhub/k8s-binderhub:${NEW}`);
  });

  test('a cached chart with one byte changed is refused, naming both digests; nothing is written', async () => {
    await binderImage(); // downloads the locked chart into the cache
    const digest = sha256(packages.get(`binderhub-${OLD}.tgz`)!);
    const cached = fs.readFileSync(cachedChartPath(digest));
    cached[100] ^= 1;
    fs.writeFileSync(cachedChartPath(digest), cached);
    await expect(synthesizeApp(app())).rejects.toThrow(`has sha256 ${sha256(cached)}, not ${digest} (the digest its name claims); delete ${cachedChartPath(digest)}`);
  });

  test('an index whose digest does not match the package is refused naming the digests, by chart-update and by a synth', async () => {
    const wrong = 'f'.repeat(64);
    index = indexOf([OLD, NEW], { [NEW]: wrong });
    await expect(update()).rejects.toThrow(`has sha256 ${sha256(packages.get(`binderhub-${NEW}.tgz`)!)}, not ${wrong}; it was not kept`);
    expect(lockedVersion()).toBe(OLD);
    expect(fs.existsSync(cachedChartPath(wrong))).toBe(false);
    index = indexOf([OLD], { [OLD]: wrong });
    await expect(synthesizeApp(app())).rejects.toThrow(`the repository's index.yaml lists sha256 ${wrong}, not ${sha256(packages.get(`binderhub-${OLD}.tgz`)!)} that charts.lock locks`);
  });

  test('a chart whose values schema no longer takes a chartValues key is refused, naming the key; the lock stays', async () => {
    index = indexOf([OLD, REFUSING]);
    await expect(update()).rejects.toThrow(`binderhub ${REFUSING} from ${url}: its values schema does not accept prod: replicas; `);
    expect(lockedVersion()).toBe(OLD);
  });

  test('a chart missing from the lock is refused with the command that locks it', async () => {
    fs.writeFileSync(CHARTS_LOCK_FILE, formatChartLock({ charts: [] }));
    await expect(synthesizeApp(app())).rejects.toThrow(`charts.lock locks no binderhub chart from ${url}; lock one by its digest with `
      + `\`npm run chart-update -- --repository ${url} --version 1.0.0-0.dev.git.3983.h383374de\``);
  });
});

/** The chart `tgz` packaged by the real helm as `version`, after `edit` of an unpacked copy. */
function repackage(tgz: string, version: string, edit: (dir: string) => void): Buffer {
  const dir = unpackChart(tgz);
  edit(dir);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'repackaged-'));
  execFileSync(toolPath('helm'), ['package', dir, '--version', version, '--destination', out]);
  return fs.readFileSync(path.join(out, `binderhub-${version}.tgz`));
}
