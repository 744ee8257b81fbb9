import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { HelmRender, HelmResult, PlannedRender, renderKey, RENDER_PLAN_FILE, RunningRender, spawnHelm, takeEarlyRenders } from './early-renders';
import { sha256 } from '../core/hash';
import { readPrivateFile } from '../core/input-files';
import { toolPath } from './tools';
import { writeFileAtomic } from '../output/publish';

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
 * makes again takes its early render's result, the others are stopped. With `keepIn` (the secrets folder), the calls
 * are left there for the next command to start early, and the documents of helm's outputs for it to read faster.
 */
export async function renderConcurrently<T>(define: () => T, concurrency: number = os.availableParallelism(), keepIn?: string): Promise<T> {
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
  const reader = new OutputReader(keepIn && path.join(keepIn, OUTPUTS_FOLDER));
  await Promise.all(prepare.map(p => p()));
  let next = 0;
  const reads: Promise<void>[] = [];
  const worker = async () => {
    while (next < calls.length) {
      const render = calls[next++];
      const key = renderKey(render);
      const result = await takeEarly(key) ?? await spawnHelm(render).result;
      // Read once this worker's next helm has started (the loop goes on first), so node reads while helm renders.
      reads.push(new Promise(resolve => setImmediate(resolve)).then(() => {
        ready.set(key, reader.read(result));
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls.length)) }, worker));
  await Promise.all(reads);
  try {
    const defined = define();
    if (keepIn) {
      writeRenderPlan(path.join(keepIn, RENDER_PLAN_FILE), calls);
      reader.keep();
    }
    return defined;
  } finally {
    ready.clear();
  }
}

/**
 * Stops the early renders that none of `calls` makes, and gives the result of a call's early render (by its
 * `renderKey`) if it succeeded: one that failed may have run before its chart was prepared, so the call runs again.
 */
function earlyResults(early: RunningRender[], calls: HelmRender[]): (key: string) => Promise<HelmResult | undefined> {
  const wanted = new Set(calls.map(renderKey));
  const byKey = new Map<string, RunningRender>();
  for (const render of early) {
    const key = renderKey(render.render);
    if (wanted.has(key)) byKey.set(key, render);
    else render.stop();
  }
  return async key => {
    const running = byKey.get(key);
    if (!running) return undefined;
    byKey.delete(key);
    const result = await running.result;
    return result.status === 0 && !result.error ? result : undefined;
  };
}

/**
 * Leaves `renders` (those of the project's own helm) in `planFile` for the next command, when its folder exists:
 * written whole or not at all, readable by this user alone, and only when it changed.
 */
export function writeRenderPlan(planFile: string, renders: ReadonlyArray<HelmRender>): void {
  if (!fs.existsSync(path.dirname(planFile))) return;
  const helm = toolPath('helm');
  const plan: PlannedRender[] = renders.filter(r => r.helm === helm).map(({ args, input }) => ({ args: [...args], input }));
  const text = JSON.stringify({ renders: plan });
  if (fs.existsSync(planFile) && fs.readFileSync(planFile, 'utf8') === text) return;
  writeFileAtomic(planFile, text, 0o600);
}

/** The folder, beside the render plan, of the documents of helm's outputs, one file each, named by the sha256 of the parser and the output. */
export const OUTPUTS_FOLDER = '.helm-outputs';

/** What read the kept documents: another version of the parser may read the same output otherwise. */
const PARSER = `js-yaml ${(require('js-yaml/package.json') as { version: string }).version}`;

/** A kept output larger than this is not read: the binderhub chart's documents take about 150 KB. */
const MAX_KEPT_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads helm's outputs into documents: from the documents a previous synth kept in `folder` for the same output, byte
 * for byte (by its sha256), when there are, since JSON reads many times faster than YAML; else with `parseHelmOutput`.
 * Only documents that are plain JSON data are kept (a YAML timestamp would come back as text).
 */
class OutputReader {
  /** The outputs this synth read, by sha256: their documents' JSON when the folder does not hold them yet. */
  private readonly outputs = new Map<string, string | undefined>();

  constructor(private readonly folder: string | undefined) {}

  /** `result` with its output read, if helm succeeded and the output reads: else the render in place reads it, and says why not. */
  read(result: HelmResult): HelmResult {
    if (result.status !== 0 || result.error) return result;
    const hash = sha256(`${PARSER}\n${result.stdout}`);
    const kept = this.folder === undefined ? undefined : readPrivateFile(path.join(this.folder, `${hash}.json`), MAX_KEPT_OUTPUT_BYTES);
    if (kept !== undefined) {
      try {
        const documents = JSON.parse(kept);
        this.outputs.set(hash, undefined);
        return { ...result, documents };
      } catch {
        // a damaged file: read the output anew, and keep it again
      }
    }
    let documents: any[];
    try {
      documents = parseHelmOutput(result.stdout);
    } catch {
      return result;
    }
    // Serialized now: the definition changes the documents it is given.
    if (this.folder !== undefined && isPlainData(documents)) this.outputs.set(hash, JSON.stringify(documents));
    return { ...result, documents };
  }

  /** Writes the documents read this synth that the folder lacks, and removes those of outputs it did not read. */
  keep(): void {
    if (this.folder === undefined || !fs.existsSync(path.dirname(this.folder))) return;
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    for (const [hash, json] of this.outputs) {
      if (json !== undefined) writeFileAtomic(path.join(this.folder, `${hash}.json`), json, 0o600);
    }
    for (const name of fs.readdirSync(this.folder)) {
      if (!this.outputs.has(name.replace(/\.json$/, ''))) fs.rmSync(path.join(this.folder, name), { force: true });
    }
  }
}

/** Whether `value` comes back the same from JSON: plain objects and arrays of text, finite numbers (not -0), booleans and null. */
function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isPlainData);
  return typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlainData);
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
