import { execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Testing } from 'cdk8s';
import {
  BinderHub, BinderHubProps, BinderHubTokens, ChartSource, ConfigError, DeploymentsScope, deploymentsOf, discoverApp, HubUrlRecords, ManifestObject,
  ProjectInputs, Registry, SecretsMode, SecretStore, toolPath,
} from '../lib/internal';
import example from '../main';
import { editChartFile } from './real-chart';

/** The test double of the binderhub chart. */
export const FIXTURE_CHART = path.join(__dirname, 'fixtures', 'binderhub');

/** A copy of the test chart, in a folder of its own, with `file` changed by `edit`. */
export function editedFixtureChart(file: string, edit: (text: string) => string): string {
  const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'edited-chart-')), 'binderhub');
  fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
  editChartFile(chart, file, edit);
  return chart;
}

const ROOT = path.join(__dirname, '..');

/** Runs git in `cwd` as a test committer; its output. */
export const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], { cwd, encoding: 'utf8' });

/** A working folder as a clone has it: the example (main.ts) and its sealing certificate, nothing else yet. */
export function exampleWorkspace(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.copyFileSync(path.join(ROOT, 'main.ts'), path.join(dir, 'main.ts'));
  fs.mkdirSync(path.join(dir, 'sealed-secrets'));
  fs.copyFileSync(path.join(ROOT, 'sealed-secrets', 'prod.pem'), path.join(dir, 'sealed-secrets', 'prod.pem'));
  return dir;
}

/**
 * The example synthesized once for a suite (`prepare`, then init-secrets and synth, with the test chart), and a copy of
 * it for each test: `folder()` is the running test's copy, `objectsOf(file)` the objects of one of its files.
 */
export function synthesizedExamplePerTest(prefix: string, prepare: (dir: string) => void = () => undefined): { folder: () => string; objectsOf: (file: string) => any[] } {
  let synthesized: string;
  let copy: string;
  beforeAll(() => {
    synthesized = exampleWorkspace(prefix);
    prepare(synthesized);
    expect(runCommand('init-secrets', synthesized).status).toBe(0);
    expect(runCommand('synth', synthesized).status).toBe(0);
  });
  beforeEach(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.cpSync(synthesized, copy, { recursive: true });
  });
  return {
    folder: () => copy,
    objectsOf: file => (yaml.loadAll(fs.readFileSync(path.join(copy, file), 'utf8')) as any[]).filter(Boolean),
  };
}

/**
 * A project folder of an operator's own: a main.ts that defines one deployment per name listed in its local module
 * deployments/site.ts (each pushing to a test registry, built in its own dind, with the given chartValues), importing the library by its package name.
 */
export function projectWorkspace(names: string[], chartValues: object = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    'import { BinderHub, BinderHubApp, Registry } from \'binderhub-cdk8s\';',
    'import { NAMES, VALUES } from \'./deployments/site\';',
    '',
    'export default new BinderHubApp(app => {',
    '  for (const name of NAMES) {',
    '    const registry = Registry.dockerHub({ username: \'testbot\', password: \'test-registry-password\', imagePrefix: `testorg/${name}-` });',
    '    new BinderHub(app, name, { tokens: app.secrets(name).tokens, registry, chartValues: VALUES });',
    '  }',
    '});',
    '',
  ].join('\n'));
  writeSite(dir, names, chartValues);
  return dir;
}

/** Rewrites deployments/site.ts of a projectWorkspace: the names of its deployments and their chartValues. */
export function writeSite(dir: string, names: string[], chartValues: object = {}): void {
  fs.mkdirSync(path.join(dir, 'deployments'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'deployments', 'site.ts'),
    `export const NAMES: string[] = ${JSON.stringify(names)};\nexport const VALUES = ${JSON.stringify(chartValues)};\n`);
}

/**
 * A helm that logs when each render starts and ends (`[start|end, milliseconds, release]`), pausing `pause` seconds
 * first (long enough to see overlap), then runs the real helm.
 */
export function loggingHelm(pause = 0): { helm: string; log: () => Array<[string, number, string]> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logging-helm-'));
  const log = path.join(dir, 'log');
  const helm = path.join(dir, 'helm');
  fs.writeFileSync(helm, `#!/bin/sh\necho "start $(date +%s%N) $2" >> "${log}"\nsleep ${pause}\n"${toolPath('helm')}" "$@"\nstatus=$?\n`
    + `echo "end $(date +%s%N) $2" >> "${log}"\nexit $status\n`, { mode: 0o755 });
  const read = () => fs.existsSync(log)
    ? fs.readFileSync(log, 'utf8').trim().split('\n').map(line => line.split(' ')).map(([what, ns, release]) => [what, Number(ns) / 1e6, release] as [string, number, string])
    : [];
  return { helm, log: read };
}

/** What a finished command printed, and how it exited. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout, then stderr. */
  readonly output: string;
}

/** The environment of a command run as its npm script: the test chart unless `env` sets BINDERHUB_CHART. */
const commandEnv = (env: Record<string, string | undefined>) => ({ ...process.env, BINDERHUB_CHART: FIXTURE_CHART, CDK8S_OUTDIR: undefined, ...env });

const RUN = path.join(ROOT, 'scripts', 'run.js');

/**
 * Runs a command in `cwd` as its npm script does (`node scripts/run.js <command> [args]`, built by `npm test`), with
 * the test chart unless `env` sets BINDERHUB_CHART.
 */
export function runCommand(command: string, cwd: string, env: Record<string, string | undefined> = {}, args: string[] = []): CommandResult {
  const result = spawnSync(process.execPath, [RUN, command, ...args], { cwd, encoding: 'utf8', env: commandEnv(env) });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

/**
 * Runs `file` with `args` without blocking this process, whose event loop may be serving a fake API server
 * (test/support/fake-kube-api.ts) that the program calls.
 */
export function spawnAsync(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => { stdout += chunk; });
    child.stderr.on('data', chunk => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', status => resolve({ status, stdout, stderr, output: stdout + stderr }));
  });
}

/** runCommand without blocking this process (see spawnAsync). */
export function runCommandAsync(command: string, cwd: string, env: Record<string, string | undefined> = {}, args: string[] = []): Promise<CommandResult> {
  return spawnAsync(process.execPath, [RUN, command, ...args], { cwd, env: commandEnv(env) });
}

/** Packages the chart in `chartDir` with the pinned helm into `destination` (a fresh folder unless given); returns the .tgz. */
export function packageChart(chartDir: string, destination = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'))): string {
  const output = execFileSync(toolPath('helm'), ['package', chartDir, '--destination', destination], { encoding: 'utf8' });
  return output.trim().replace(/^.*saved it to: /s, '');
}

export const TOKEN_NAMES = ['proxySecretToken', 'binderApiToken', 'cookieSecret', 'cryptKeeperKey', 'buildTokenSecret'] as const;

/** Deterministic fake token values (so snapshots are stable), distinct per seed and token. */
export function fakeTokenValues(seed: string): Record<string, string> {
  return Object.fromEntries(TOKEN_NAMES.map(name => [name, crypto.createHash('sha256').update(`fake-${seed}-${name}`).digest('hex')]));
}

export function fakeTokens(seed = 'test'): BinderHubTokens {
  return BinderHubTokens.fromValues(fakeTokenValues(seed), 'test tokens');
}

/** The registry test deployments push to unless a test picks another: the default builder (dind) needs one. */
export const TEST_REGISTRY = Registry.dockerHub({ username: 'testbot', password: 'test-registry-password', imagePrefix: 'testorg/binder-test-' });

/**
 * The props of a test deployment: the fixture chart, TEST_REGISTRY, and Secrets inline (chosen explicitly, as the
 * default keeps them out of the deployment's file) so that tests read what the chart put in them.
 */
function testProps(props: Partial<BinderHubProps>, id: string): BinderHubProps {
  return { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(id), registry: TEST_REGISTRY, secrets: SecretsMode.inline(), ...props };
}

/** Synthesizes one BinderHub deployment from the fixture chart and returns its objects, Secrets included. */
export function synthBinderHub(props: Partial<BinderHubProps> = {}, id = 'test'): any[] {
  return Testing.synth(new BinderHub(Testing.app(), id, testProps(props, id)));
}

/** The manifest file a synth writes for deployment `id` (fixture chart unless `props.chart`), as `npm run synth` writes it. */
export function synthManifest(props: Partial<BinderHubProps> = {}, id = 'test'): string {
  const app = Testing.app();
  new BinderHub(app, id, testProps(props, id));
  app.synth();
  return fs.readFileSync(path.join(app.outdir, `${id}.k8s.yaml`), 'utf8');
}

/** The message of what `act` throws; fails the test if it throws nothing (unlike `not.toThrow(regex)`, which then passes). */
export function thrownMessage(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** The message of the ConfigError (the operator's one-line error) that `act` throws; fails the test on any other outcome. */
export function configErrorMessage(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

export function find(objects: any[], kind: string, name: string): any {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) {
    throw new Error(`no ${kind} ${name} among ${objects.map(o => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found;
}

/** The value of `key` in a Secret, from `stringData` or decoded from `data`. */
export function secretValue(secret: any, key: string): string {
  if (secret.stringData?.[key] !== undefined) return secret.stringData[key];
  return Buffer.from(secret.data[key], 'base64').toString('utf8');
}

/**
 * The objects as a snapshot may show them: every Secret value is replaced by a short hash of it, so a
 * snapshot shows that a value changed but never holds one.
 */
export function withoutSecretValues(objects: any[]): any[] {
  return objects.map(o => {
    if (o.kind !== 'Secret') return o;
    const hashed = (values?: Record<string, string>) => values && Object.fromEntries(Object.entries(values).map(([k, v]) =>
      [k, `<secret sha256:${crypto.createHash('sha256').update(v).digest('hex').slice(0, 12)}>`]));
    return { ...o, data: hashed(o.data), stringData: hashed(o.stringData) };
  });
}

/**
 * The example's inputs in a fresh folder: secrets generated for the deployments it defines (with placeholders for
 * the credentials they ask for, as init-secrets writes them), the test chart, no hub URLs, no previous synth.
 */
export function exampleInputs(): ProjectInputs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  const secrets = new SecretStore(path.join(dir, 'secrets'));
  for (const read of discoverApp(example).secrets) secrets.init(read.name, false, read.credentials);
  return { secrets, chart: ChartSource.local(FIXTURE_CHART), hubUrls: new HubUrlRecords(path.join(dir, 'hub-urls')), previous: [] };
}

/** The example (main.ts) defined from `inputs` in an app of its own, which synthesizes into a fresh folder. */
export function defineExample(inputs: ProjectInputs): { app: DeploymentsScope; deployments: BinderHub[] } {
  const app = new DeploymentsScope(inputs, 'synth', fs.mkdtempSync(path.join(os.tmpdir(), 'example-out-')));
  example.define(app);
  return { app, deployments: deploymentsOf(app) };
}

/**
 * Every object's kind is in the prune allowlist unless it is a Namespace or a PersistentVolumeClaim, which never
 * are, and every entry names the kind of some object.
 */
export function expectAllowlistCoversKinds(objects: ManifestObject[], allowlist: string[]): void {
  const neverPruned = (o: ManifestObject) => o.apiVersion === 'v1' && (o.kind === 'Namespace' || o.kind === 'PersistentVolumeClaim');
  const entry = (o: ManifestObject) => `${o.apiVersion === 'v1' ? 'core/v1' : o.apiVersion}/${o.kind}`;
  expect(objects.filter(o => !neverPruned(o) && !allowlist.includes(entry(o))).map(entry)).toEqual([]);
  expect(allowlist.filter(e => !objects.some(o => entry(o) === e))).toEqual([]);
  expect(allowlist.filter(e => /\/(Namespace|PersistentVolumeClaim)$/.test(e))).toEqual([]);
}

/**
 * A clock that stands still but for `advance`: Date.now, which deadlines and elapsed times are read from, is mocked
 * (the caller restores it with jest.restoreAllMocks).
 */
export function fakeClock(): { advance: (ms: number) => void } {
  let now = 1_800_000_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  return { advance: ms => { now += ms; } };
}
