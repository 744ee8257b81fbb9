import { spawn, spawnSync } from 'child_process';
import * as os from 'os';

/** One `helm template` call: the binary, its arguments, and the values it reads on standard input. */
export interface HelmRender {
  readonly helm: string;
  readonly args: readonly string[];
  readonly input: string;
}

/** How a helm call ended, as `spawnSync` reports it. */
export interface HelmResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: NodeJS.ErrnoException;
}

/** Room for helm's output: the binderhub chart renders about 200 KB. */
const MAX_HELM_OUTPUT = 64 * 1024 * 1024;

const keyOf = (render: HelmRender) => JSON.stringify([render.helm, render.args, render.input]);

/** The calls asked for while an app is being defined to find them out (see `renderConcurrently`). */
let recorded: HelmRender[] | undefined;
/** Results of calls made ahead, by call. */
const ready = new Map<string, HelmResult>();
/** Whether an app is being defined without rendering (`defineWithoutRendering`): no helm call will run. */
let definingOnly = false;

/** Whether no helm call of the app being defined will run, so where its chart is need not be known. */
export function rendersNothing(): boolean {
  return definingOnly;
}

/** What must be done before the recorded calls run (a chart to download into the cache), by what it prepares. */
const preparations = new Map<string, () => Promise<void>>();

/**
 * Asks for `prepare` to run (once per `key`) before the helm calls of the app being defined to find out its calls;
 * returns false when no app is (a call then runs at once, so whatever it needs must be there already).
 */
export function prepareBeforeRenders(key: string, prepare: () => Promise<void>): boolean {
  if (!recorded) return false;
  if (!preparations.has(key)) preparations.set(key, prepare);
  return true;
}

/**
 * Runs a helm call, or hands out its result if `renderConcurrently` made it ahead; returns undefined while an app
 * is only being defined to find out its calls.
 */
export function runHelmTemplate(render: HelmRender): HelmResult | undefined {
  const key = keyOf(render);
  const result = ready.get(key);
  if (result) {
    ready.delete(key);
    return result;
  }
  if (recorded) {
    recorded.push(render);
    return undefined;
  }
  return spawnSync(render.helm, render.args, { input: render.input, encoding: 'utf8', maxBuffer: MAX_HELM_OUTPUT }) as HelmResult;
}

/**
 * Defines an app twice so that its helm renders run side by side instead of one after another (constructs are
 * synchronous, so each would otherwise wait for its own helm): `define` runs once with helm calls only recorded,
 * what they need is prepared (`prepareBeforeRenders`: the charts to download), the calls then run at most
 * `concurrency` at a time, and `define` runs again, each call finding its result.
 * Anything `define` refuses, it refuses in the first pass, before any helm runs.
 */
export async function renderConcurrently<T>(define: () => T, concurrency: number = os.availableParallelism()): Promise<T> {
  recorded = [];
  let calls: HelmRender[];
  let prepare: Array<() => Promise<void>>;
  try {
    define();
  } finally {
    calls = recorded;
    recorded = undefined;
    prepare = [...preparations.values()];
    preparations.clear();
  }
  await Promise.all(prepare.map(p => p()));
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const render = calls[next++];
      ready.set(keyOf(render), await spawnHelm(render));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls.length)) }, worker));
  try {
    return define();
  } finally {
    ready.clear();
  }
}

/**
 * Defines an app with its helm calls only recorded, never run: what the app defines (its deployments, their names
 * and namespaces), without rendering anything.
 */
export function defineWithoutRendering<T>(define: () => T): T {
  recorded = [];
  definingOnly = true;
  try {
    return define();
  } finally {
    recorded = undefined;
    definingOnly = false;
    preparations.clear(); // nothing renders, so nothing needs preparing
  }
}

/** `spawnSync`'s result, without blocking: the values go to standard input, output is collected whole. */
function spawnHelm(render: HelmRender): Promise<HelmResult> {
  return new Promise(resolve => {
    const child = spawn(render.helm, render.args); // standard input, output and error are pipes
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let error: NodeJS.ErrnoException | undefined;
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', err => { error = err; });
    // A helm that exits without reading its values closes the pipe: its status and output say the rest.
    child.stdin.on('error', () => undefined);
    child.stdin.end(render.input);
    child.on('close', (status, signal) => resolve({
      status, signal, error, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'),
    }));
  });
}
