import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readPrivateFile } from '../core/input-files';
import { toolPath } from './tools';

/** One `helm template` call: the binary, its arguments, and the values it reads on standard input. */
export interface HelmRender {
  readonly helm: string;
  readonly args: readonly string[];
  readonly input: string;
}

/** How a helm call ended, as `spawnSync` reports it; with its output parsed when a render made ahead read it. */
export interface HelmResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: NodeJS.ErrnoException;
  /** helm's output as documents (see `parseHelmOutput`), when helm succeeded and its output was read ahead. */
  readonly documents?: any[];
}

/** What identifies a helm call: two calls with the same binary, arguments and values render the same objects. */
export const renderKey = (render: HelmRender) => JSON.stringify([render.helm, render.args, render.input]);

/** A helm call running in the background. */
export interface RunningRender {
  readonly render: HelmRender;
  readonly result: Promise<HelmResult>;
  /** Stops helm (its result is then of no use). */
  readonly stop: () => void;
}

/**
 * `spawnSync`'s result, without blocking: the values go to standard input, output is collected whole. With
 * `outputFolder`, helm prints into a file there (removed at once, so only this process can read it) instead of a pipe:
 * helm then ends even while node is busy and reads nothing (a pipe holds 64 KB, the chart renders 200).
 */
export function spawnHelm(render: HelmRender, outputFolder?: string): RunningRender {
  let child: ChildProcess | undefined;
  const result = new Promise<HelmResult>(resolve => {
    const outputFile = outputFolder === undefined ? undefined : openUnlinkedFile(outputFolder);
    let started: ChildProcess;
    try {
      started = spawn(render.helm, render.args, { stdio: ['pipe', outputFile ?? 'pipe', 'pipe'] });
    } catch (error) {
      // Arguments node refuses to pass (a NUL byte): a failed call, as spawnSync reports one.
      if (outputFile !== undefined) fs.closeSync(outputFile);
      resolve({ status: null, signal: null, stdout: '', stderr: '', error: error as NodeJS.ErrnoException });
      return;
    }
    child = started;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let error: NodeJS.ErrnoException | undefined;
    started.stdout?.on('data', chunk => stdout.push(chunk));
    started.stderr!.on('data', chunk => stderr.push(chunk));
    started.on('error', err => { error = err; });
    // A helm that exits without reading its values closes the pipe: its status and output say the rest.
    started.stdin!.on('error', () => undefined);
    started.stdin!.end(render.input);
    started.on('close', (status, signal) => resolve({
      status, signal, error, stdout: (outputFile === undefined ? Buffer.concat(stdout) : readAndClose(outputFile)).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    }));
  });
  return { render, result, stop: () => child?.kill() };
}

let unlinkedFiles = 0;

/** A new file in `folder` open for reading and writing, already removed; undefined if none can be made there. */
function openUnlinkedFile(folder: string): number | undefined {
  const file = path.join(folder, `.helm-output-${process.pid}-${unlinkedFiles++}`);
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx+', 0o600);
  } catch {
    return undefined; // printed through a pipe then
  }
  try {
    fs.unlinkSync(file);
    return fd;
  } catch {
    fs.closeSync(fd); // left empty in the secrets folder
    return undefined;
  }
}

/** Everything written to the open file `fd`, which is then closed. */
function readAndClose(fd: number): Buffer {
  try {
    const output = Buffer.alloc(fs.fstatSync(fd).size);
    for (let read = 0; read < output.length;) {
      const count = fs.readSync(fd, output, read, output.length - read, read);
      if (count === 0) return output.subarray(0, read);
      read += count;
    }
    return output;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file, in the secrets folder, where a synth leaves its helm calls for the next command to start early. It holds
 * the chart values (tokens among them), hence its place and its mode.
 */
export const RENDER_PLAN_FILE = '.helm-renders.json';

/** What a plan holds of each call; the helm is always the project's own (`toolPath('helm')`), never one the file names. */
export interface PlannedRender {
  readonly args: string[];
  readonly input: string;
  /** The name of the documents kept for the output this call printed last (`OutputReader`), if they were kept. */
  readonly output?: string;
}

/** A helm call of a plan, with the output it printed last, if known. */
export type PlannedHelmRender = HelmRender & Pick<PlannedRender, 'output'>;

/** A plan larger than this is ignored: 50 deployments write about 250 KB. */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/**
 * The calls of `planFile` with the project's helm, or none when the file is missing, not a regular file
 * of this user that only this user can read (a file from git or a pull request never is: git writes no such mode),
 * too large, or holds anything but calls shaped as `helmTemplateArgs` makes them: nothing in it can make helm run
 * another binary, read another values file or run a post-renderer.
 */
export function readRenderPlan(planFile: string): PlannedHelmRender[] {
  let plan: unknown;
  try {
    plan = JSON.parse(readPrivateFile(planFile, MAX_PLAN_BYTES) ?? 'null');
  } catch {
    return []; // one that is no JSON: only a speed-up is lost
  }
  const renders = (plan as { renders?: unknown })?.renders;
  if (!Array.isArray(renders) || !renders.every(isPlannedRender)) return [];
  const helm = toolPath('helm');
  return renders.map(({ args, input, output }) => ({ helm, args, input, ...output === undefined ? {} : { output } }));
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `entry` is a `helm template` call as `helmTemplateArgs` makes it, values on standard input. */
function isPlannedRender(entry: unknown): entry is PlannedRender {
  const { args, input, output } = (entry ?? {}) as { args?: unknown; input?: unknown; output?: unknown };
  if (output !== undefined && !(typeof output === 'string' && /^[0-9a-f]{64}$/.test(output))) return false;
  if (typeof input !== 'string' || !Array.isArray(args) || args.length !== 11 || !args.every(a => typeof a === 'string' && !a.includes('\0'))) return false;
  const [command, release, chart, namespaceFlag, namespace, kubeFlag, kubeVersion, apisFlag, apis, valuesFlag, values] = args as string[];
  return command === 'template' && DNS_LABEL.test(release) && chart.length > 0 && !chart.startsWith('-')
    && namespaceFlag === '--namespace' && DNS_LABEL.test(namespace)
    && kubeFlag === '--kube-version' && /^\d+\.\d+\.\d+$/.test(kubeVersion)
    && apisFlag === '--api-versions' && /^[A-Za-z0-9.\/,-]+$/.test(apis)
    && valuesFlag === '--values' && values === '-';
}

/**
 * Where the early renders wait for the command to take them. Global, not module state: the launcher loads this module
 * in a bundle of its own (build/bin/early-renders.js), and the command's bundle has its own copy of the module. Named
 * anew when what it holds changes: scripts/run.js may load an early bundle built before the sources changed.
 */
const EARLY_RENDERS = Symbol.for('binderhub-cdk8s.early-renders.2');

/** The renders started early, and the whole plan they came from. */
export interface EarlyRenders {
  /** The first calls of the plan, one per core, under way. */
  readonly running: RunningRender[];
  readonly planned: PlannedHelmRender[];
}

type Registry = { [EARLY_RENDERS]?: EarlyRenders };

/**
 * Starts helm on the calls the previous synth left in `planFile` (at most one per core), before the command has
 * loaded its libraries and the app: the synth uses a result only for a call its own definition makes, byte for byte
 * the same (`takeEarlyRenders`), and stops the others. Renders still running when the process exits are stopped.
 */
export function startEarlyRenders(planFile: string): void {
  const planned = readRenderPlan(planFile);
  if (planned.length === 0) return;
  const running = planned.slice(0, os.availableParallelism()).map(render => spawnHelm(render, path.dirname(planFile)));
  (globalThis as Registry)[EARLY_RENDERS] = { running, planned };
  process.once('exit', () => running.forEach(r => r.stop()));
}

/** What `startEarlyRenders` started in this process, handed out once. */
export function takeEarlyRenders(): EarlyRenders {
  const registry = globalThis as Registry;
  const early = registry[EARLY_RENDERS] ?? { running: [], planned: [] };
  delete registry[EARLY_RENDERS];
  return early;
}
