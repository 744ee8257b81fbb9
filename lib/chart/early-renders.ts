import { ChildProcess, spawn } from 'child_process';
import * as os from 'os';
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

/** `spawnSync`'s result, without blocking: the values go to standard input, output is collected whole. */
export function spawnHelm(render: HelmRender): RunningRender {
  let child: ChildProcess | undefined;
  const result = new Promise<HelmResult>(resolve => {
    const started = spawn(render.helm, render.args); // standard input, output and error are pipes
    child = started;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let error: NodeJS.ErrnoException | undefined;
    started.stdout.on('data', chunk => stdout.push(chunk));
    started.stderr.on('data', chunk => stderr.push(chunk));
    started.on('error', err => { error = err; });
    // A helm that exits without reading its values closes the pipe: its status and output say the rest.
    started.stdin.on('error', () => undefined);
    started.stdin.end(render.input);
    started.on('close', (status, signal) => resolve({
      status, signal, error, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'),
    }));
  });
  return { render, result, stop: () => child?.kill() };
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
}

/** A plan larger than this is ignored: 50 deployments write about 250 KB. */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/**
 * The first `limit` calls of `planFile` with the project's helm, or none when the file is missing, not a regular file
 * of this user that only this user can read (a file from git or a pull request never is: git writes no such mode),
 * too large, or holds anything but calls shaped as `helmTemplateArgs` makes them: nothing in it can make helm run
 * another binary, read another values file or run a post-renderer.
 */
export function readRenderPlan(planFile: string, limit: number): HelmRender[] {
  let plan: unknown;
  try {
    plan = JSON.parse(readPrivateFile(planFile, MAX_PLAN_BYTES) ?? 'null');
  } catch {
    return []; // one that is no JSON: only a speed-up is lost
  }
  const renders = (plan as { renders?: unknown })?.renders;
  if (!Array.isArray(renders) || !renders.every(isPlannedRender)) return [];
  const helm = toolPath('helm');
  return renders.slice(0, limit).map(({ args, input }) => ({ helm, args, input }));
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `entry` is a `helm template` call as `helmTemplateArgs` makes it, values on standard input. */
function isPlannedRender(entry: unknown): entry is PlannedRender {
  const { args, input } = (entry ?? {}) as { args?: unknown; input?: unknown };
  if (typeof input !== 'string' || !Array.isArray(args) || args.length !== 11 || !args.every(a => typeof a === 'string')) return false;
  const [command, release, chart, namespaceFlag, namespace, kubeFlag, kubeVersion, apisFlag, apis, valuesFlag, values] = args as string[];
  return command === 'template' && DNS_LABEL.test(release) && chart.length > 0 && !chart.startsWith('-')
    && namespaceFlag === '--namespace' && DNS_LABEL.test(namespace)
    && kubeFlag === '--kube-version' && /^\d+\.\d+\.\d+$/.test(kubeVersion)
    && apisFlag === '--api-versions' && /^[A-Za-z0-9.\/,-]+$/.test(apis)
    && valuesFlag === '--values' && values === '-';
}

/**
 * Where the early renders wait for the command to take them. Global, not module state: the launcher loads this module
 * in a bundle of its own (build/bin/early-renders.js), and the command's bundle has its own copy of the module.
 */
const EARLY_RENDERS = Symbol.for('binderhub-cdk8s.early-renders');

type Registry = { [EARLY_RENDERS]?: RunningRender[] };

/**
 * Starts helm on the calls the previous synth left in `planFile` (at most one per core), before the command has
 * loaded its libraries and the app: the synth uses a result only for a call its own definition makes, byte for byte
 * the same (`takeEarlyRenders`), and stops the others. Renders still running when the process exits are stopped.
 */
export function startEarlyRenders(planFile: string): void {
  const renders = readRenderPlan(planFile, os.availableParallelism()).map(spawnHelm);
  if (renders.length === 0) return;
  (globalThis as Registry)[EARLY_RENDERS] = renders;
  process.once('exit', () => renders.forEach(r => r.stop()));
}

/** The renders `startEarlyRenders` started in this process, handed out once. */
export function takeEarlyRenders(): RunningRender[] {
  const registry = globalThis as Registry;
  const renders = registry[EARLY_RENDERS] ?? [];
  delete registry[EARLY_RENDERS];
  return renders;
}
