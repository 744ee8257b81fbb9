/**
 * `npm run bench -- [--runs 5] [--sizes 1,10,50] [--busy 1]`: measures, side by side and interleaved in one run, the wall
 * time of a synth of one deployment (app start included) against a raw `helm template` of the same chart and
 * values, and how a synth of 1, 10 and 50 deployments grows; then the hub URL post-step on the largest output.
 * Each case runs in a project folder of its own, so each synth follows its own previous one as an operator's does
 * (renders started early on the same values); one more case changes its values at every run.
 * Prints medians beside the targets. The chart is BINDERHUB_CHART when set, else the real upstream chart in
 * ../shared/charts when it is there, else the test chart; the first line says which.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BENCH_USAGE, BenchOptions, DEFAULT_KUBE_VERSION, DEFAULT_SECRETS_DIR, HelmRender, parseBenchArgs, parseKubeVersion, patchHubUrl, projectRoot, readRenderPlan, RENDER_PLAN_FILE,
  runMain, SecretStore, servedApiVersions, spawnHelm, toolPath, writeFileAtomic,
} from '../lib/internal';

/** The app file the bench synthesizes (see bin/bench-app.ts): BINDERHUB_BENCH_COUNT deployments. */
const BENCH_APP = [
  'import { BinderHub, BinderHubApp, Registry, SecretsMode } from \'binderhub-cdk8s\';',
  '',
  '// BINDERHUB_BENCH_VARIANT changes the values, as an edit of main.ts would.',
  'const imagePrefix = `benchorg/binder-v${process.env.BINDERHUB_BENCH_VARIANT ?? 0}-`;',
  'const registry = Registry.dockerHub({ username: \'benchbot\', password: \'bench-registry-password\', imagePrefix });',
  'export default new BinderHubApp(app => {',
  '  for (let i = 0; i < Number(process.env.BINDERHUB_BENCH_COUNT); i++) {',
  '    new BinderHub(app, `bench-${i}`, { tokens: app.secrets(`bench-${i}`).tokens, registry, secrets: SecretsMode.inline() });',
  '  }',
  '});',
  '',
].join('\n');

runMain(async () => {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(BENCH_USAGE);
    return;
  }
  await bench(args);
});

/** The real upstream chart that the shared material keeps beside the project, if it is there. */
function realChart(): string | undefined {
  const dir = path.join(projectRoot(), '..', 'shared', 'charts');
  const packages = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => /^binderhub-.*\.tgz$/.test(f)).sort() : [];
  return packages.length > 0 ? path.join(dir, packages[packages.length - 1]) : undefined;
}

function timed(command: string, argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { seconds: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${argv.join(' ')} failed: ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

/** How long a busy process spins at most: it stops by itself even if the bench is killed. */
const BUSY_LIMIT_MS = 60 * 60 * 1000;

/** `count` processes that each keep a core busy until killed, or for BUSY_LIMIT_MS at most. */
function busyProcesses(count: number): ChildProcess[] {
  const spin = `const end = Date.now() + ${BUSY_LIMIT_MS}; let x = 0; while (Date.now() < end) x = (x + 1) % 1e9;`;
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
}

/**
 * The CPU time (user and system, in seconds) of this process's finished children, where Linux tells it
 * (/proc/self/stat, in clock ticks of 1/100 s); undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime and cstime, fields 16 and 17
  } catch {
    return undefined;
  }
}

/**
 * The seconds helm alone takes for `renders`, run as a synth runs them (one per core at a time, values on standard
 * input), with no synth around them: what many deployments cannot beat on this machine at this moment.
 */
async function helmAlone(renders: HelmRender[]): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < renders.length) {
      const result = await spawnHelm(renders[next++]).result;
      if (result.status !== 0) throw new Error(`helm failed: ${result.stderr}`);
    }
  };
  await Promise.all(Array.from({ length: os.availableParallelism() }, worker));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Measures and prints; the workspace is removed at the end. */
async function bench({ runs, sizes, busy }: BenchOptions): Promise<void> {
  const chart = process.env.BINDERHUB_CHART ?? realChart() ?? path.join(projectRoot(), 'test', 'fixtures', 'binderhub');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'binderhub-bench-'));
  /**
   * A project folder for one case, so each finds the calls its own previous synth left (an operator's next synth):
   * main.ts, the secrets files of `count` deployments, and node_modules (where a project's compiled main.ts is kept).
   */
  const project = (name: string, count: number) => {
    const folder = path.join(workspace, name);
    fs.mkdirSync(path.join(folder, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.ts'), BENCH_APP);
    const store = new SecretStore(path.join(folder, DEFAULT_SECRETS_DIR));
    for (let i = 0; i < count; i++) store.init(`bench-${i}`);
    return folder;
  };
  // The app starts as the npm scripts start it, through scripts/run.js (bundle and code cache), and compiles its main.ts.
  const benchApp = (folder: string, appArgs: string[], variant = '0') => timed(process.execPath, [path.join(projectRoot(), 'scripts', 'run.js'), 'bench-app', ...appArgs],
    { cwd: folder, env: { ...process.env, BINDERHUB_BENCH_VARIANT: variant } });
  const spinning = busyProcesses(busy);
  try {
    process.env.BINDERHUB_CHART = chart; // for the app, as for any synth
    const folders = new Map(sizes.map(n => [n, project(`synth-${n}`, n)]));
    const startFolder = project('start', 0);
    const changedFolder = project('changed', 1);
    for (const [n, folder] of folders) benchApp(folder, [String(n)]); // as after any real synth: files in the page cache, code cache written
    benchApp(changedFolder, ['1']);
    benchApp(folders.get(sizes[0])!, ['1', '--dump-values']);
    // The same flags HelmChart passes: the Kubernetes version and the APIs it serves.
    const kube = parseKubeVersion(DEFAULT_KUBE_VERSION);
    const helmArgs = ['template', '-f', path.join(folders.get(sizes[0])!, 'values.yaml'), '--namespace', 'bench-0', '--kube-version', kube.version,
      '--api-versions', servedApiVersions(kube.minor).join(','), 'bench-0', chart];
    timed(toolPath('helm'), helmArgs);
    // The largest case's calls, as its synth left them (the project's helm, the same arguments and values).
    const largest = Math.max(...sizes);
    const largestCalls = readRenderPlan(path.join(folders.get(largest)!, DEFAULT_SECRETS_DIR, RENDER_PLAN_FILE));

    const helmTimes: number[] = [];
    const nodeTimes: number[] = [];
    const startTimes: number[] = [];
    const changedTimes: number[] = [];
    const helmCpu: number[] = [];
    const aloneTimes: number[] = [];
    const synth: Record<number, { seconds: number[]; rssKiB: number[] }> = Object.fromEntries(sizes.map(n => [n, { seconds: [], rssKiB: [] }]));
    for (let run = 0; run < runs; run++) {
      // Interleaved: each run measures every case once, so noise from the shared machine hits all of them alike.
      const cpuBefore = childrenCpuSeconds();
      helmTimes.push(timed(toolPath('helm'), helmArgs).seconds);
      if (cpuBefore !== undefined) helmCpu.push(childrenCpuSeconds()! - cpuBefore);
      nodeTimes.push(timed(process.execPath, ['-e', '0']).seconds);
      startTimes.push(benchApp(startFolder, ['0']).seconds);
      // Values that differ from the previous synth's: the render started early is of no use.
      changedTimes.push(benchApp(changedFolder, ['1'], String(run + 1)).seconds);
      for (const n of sizes) {
        const { seconds, stdout } = benchApp(folders.get(n)!, [String(n)]);
        synth[n].seconds.push(seconds);
        synth[n].rssKiB.push(JSON.parse(stdout.trim().split('\n').pop()!).maxRssKiB);
      }
      if (largest > 1) aloneTimes.push(await helmAlone(largestCalls));
    }

    const helm = median(helmTimes);
    const one = median(synth[sizes[0]].seconds);
    console.log(`binderhub-cdk8s bench: ${os.cpus().length} cores${busy ? ` (${busy} kept busy)` : ''}, chart ${chart}, ${runs} interleaved runs, medians`);
    console.log(`raw helm template (1 deployment):  ${helm.toFixed(3)} s`);
    console.log(`synth of 1 deployment:             ${one.toFixed(3)} s   ratio synth / helm = ${(one / helm).toFixed(2)}   (target <= 2.00)`);
    const start = median(startTimes);
    console.log(`  of which the app's fixed start (node, cdk8s, an empty synth): ${start.toFixed(3)} s; the rest, ${(one - start).toFixed(3)} s, `
      + `is ${((one - start) / helm).toFixed(2)} x helm`);
    const changed = median(changedTimes);
    console.log(`  after its values changed (no render started early): ${changed.toFixed(3)} s, ${(changed / helm).toFixed(2)} x helm`);
    console.log(`  node's own start (node -e 0): ${median(nodeTimes).toFixed(3)} s`);
    console.log('');
    console.log('deployments | wall (s) | per deployment (s) | per deployment / raw helm | peak RSS of the app (MiB)');
    for (const n of sizes) {
      const wall = median(synth[n].seconds);
      console.log(`${String(n).padStart(11)} | ${wall.toFixed(3).padStart(8)} | ${(wall / n).toFixed(3).padStart(18)} | `
        + `${(wall / n / helm).toFixed(2).padStart(25)} | ${(median(synth[n].rssKiB) / 1024).toFixed(0).padStart(25)}`);
    }
    console.log('targets at 50 deployments: per deployment / raw helm <= 0.75, peak RSS <= 150 MiB');
    if (aloneTimes.length > 0) {
      const alone = median(aloneTimes);
      console.log(`floor: helm alone on the same ${largest} calls, ${os.availableParallelism()} at a time, no synth around them: ${alone.toFixed(3)} s, `
        + `${(alone / largest).toFixed(3)} s per deployment, ${(alone / largest / helm).toFixed(2)} x raw helm; `
        + `the synth of ${largest} took ${(median(synth[largest].seconds) / alone).toFixed(2)} x that`);
    }
    if (helmCpu.length > 0) {
      const cpu = helmCpu.reduce((a, b) => a + b, 0) / helmCpu.length;
      console.log(`helm's own CPU time per render: ${cpu.toFixed(3)} s (${(cpu / helm).toFixed(2)} x raw helm's wall time)`);
    }

    const dist = path.join(folders.get(largest)!, `dist-${largest}`);
    const files = fs.readdirSync(dist).filter(f => f.endsWith('.k8s.yaml'));
    const patchTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = process.hrtime.bigint();
      for (const file of files) {
        const target = path.join(dist, file);
        const patch = patchHubUrl(fs.readFileSync(target, 'utf8'), `http://203.0.113.${run + 1}/`);
        if (patch.changed) writeFileAtomic(target, patch.manifest);
      }
      patchTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    console.log('');
    console.log(`hub URL post-step on the ${largest}-deployment output: ${median(patchTimes).toFixed(3)} s for ${files.length} files `
      + `(${(median(patchTimes) / files.length * 1000).toFixed(1)} ms a file; target <= 5 ms)`);
  } finally {
    for (const child of spinning) child.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
