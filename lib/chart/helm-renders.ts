import { spawnSync } from 'child_process';
import * as os from 'os';
import * as yaml from 'js-yaml';
import { HelmRender, HelmResult, renderKey, RunningRender, spawnHelm, takeEarlyRenders, writeRenderPlan } from './early-renders';

/** Room for helm's output: the binderhub chart renders about 200 KB. */
const MAX_HELM_OUTPUT = 64 * 1024 * 1024;

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
  const key = renderKey(render);
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
 * `concurrency` at a time, each output read as soon as its helm ends (while the others still run), and `define` runs
 * again, each call finding its result. Anything `define` refuses, it refuses in the first pass, before any helm runs
 * but those the process started early on the previous synth's calls (`startEarlyRenders`): a call the definition
 * makes again takes its early render's result, the others are stopped. With `planFile`, the calls are left there for
 * the next command to start early.
 */
export async function renderConcurrently<T>(define: () => T, concurrency: number = os.availableParallelism(), planFile?: string): Promise<T> {
  const early = takeEarlyRenders();
  recorded = [];
  let calls: HelmRender[];
  let prepare: Array<() => Promise<void>>;
  try {
    define();
  } catch (error) {
    early.forEach(render => render.stop());
    throw error;
  } finally {
    calls = recorded;
    recorded = undefined;
    prepare = [...preparations.values()];
    preparations.clear();
  }
  const takeEarly = earlyResults(early, calls);
  await Promise.all(prepare.map(p => p()));
  let next = 0;
  const reads: Promise<void>[] = [];
  const worker = async () => {
    while (next < calls.length) {
      const render = calls[next++];
      const result = await takeEarly(render) ?? await spawnHelm(render).result;
      // Read once this worker's next helm has started (the loop goes on first), so node reads while helm renders.
      reads.push(new Promise(resolve => setImmediate(() => resolve(void ready.set(renderKey(render), withDocuments(result))))));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls.length)) }, worker));
  await Promise.all(reads);
  try {
    const defined = define();
    if (planFile) writeRenderPlan(planFile, calls);
    return defined;
  } finally {
    ready.clear();
  }
}

/**
 * Stops the early renders that none of `calls` makes, and gives the result of a call's early render if it
 * succeeded: one that failed may have run before its chart was prepared, so the call runs again.
 */
function earlyResults(early: RunningRender[], calls: HelmRender[]): (render: HelmRender) => Promise<HelmResult | undefined> {
  const wanted = new Set(calls.map(renderKey));
  const byKey = new Map<string, RunningRender>();
  for (const render of early) {
    if (wanted.has(renderKey(render.render))) byKey.set(renderKey(render.render), render);
    else render.stop();
  }
  return async render => {
    const running = byKey.get(renderKey(render));
    if (!running) return undefined;
    byKey.delete(renderKey(render));
    const result = await running.result;
    return result.status === 0 && !result.error ? result : undefined;
  };
}

/** `result` with its output read, if helm succeeded and the output reads: else the render in place reads it, and says why not. */
function withDocuments(result: HelmResult): HelmResult {
  if (result.status !== 0 || result.error) return result;
  try {
    return { ...result, documents: parseHelmOutput(result.stdout) };
  } catch {
    return result;
  }
}

/**
 * Reads helm's output as cdk8s's `Include` does, YAML 1.1 (the dialect Kubernetes reads: `yes` and `on` are
 * booleans), empty documents skipped; with js-yaml, which gives the same objects about five times faster than
 * cdk8s's own parser (a test compares them on the real chart).
 */
export function parseHelmOutput(output: string): any[] {
  return yaml.loadAll(output, { schema: yaml.YAML11_SCHEMA })
    // js-yaml gives null for an empty document (never undefined); an empty list is an object without keys too.
    .filter(o => o !== null && !(typeof o === 'object' && Object.keys(o as object).length === 0));
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
