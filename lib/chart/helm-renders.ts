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
/** While an app is defined to find out its calls: what the previous synth's output of a call (by key) would give, if known. */
let guessing: ((key: string) => HelmResult | undefined) | undefined;
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
 * is only being defined to find out its calls (unless the previous synth's output of the call is at hand then).
 */
export function runHelmTemplate(render: HelmRender): HelmResult | undefined {
  const key = renderKey(render);
  recorded?.push(render);
  const result = ready.get(key) ?? guessing?.(key);
  if (result) {
    ready.delete(key);
    return result;
  }
  if (recorded) return undefined;
  return spawnSync(render.helm, render.args, { input: render.input, encoding: 'utf8', maxBuffer: MAX_HELM_OUTPUT }) as HelmResult;
}

/** What the app's definition and its last step give (`outcome`): a value, or what was thrown. */
type Outcome<T> = { readonly value: T } | { readonly error: unknown };

function outcome<T>(run: () => T): Outcome<T> {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

function valueOf<T>(result: Outcome<T>): T {
  if ('error' in result) throw result.error;
  return result.value;
}

/** Options of `renderConcurrently`. */
export interface RenderOptions<T, R> {
  /**
   * How many helm calls run at a time.
   * @default - one per core
   */
  readonly concurrency?: number;
  /**
   * The secrets folder: the calls are left there for the next command to start early, and the documents of helm's
   * outputs for it to read faster.
   * @default - neither is kept
   */
  readonly keepIn?: string;
  /**
   * What is done with the defined app once every call has its result (the manifests): done, when the calls started
   * early are all of the app's, while helm renders, from the outputs the previous synth read, and kept if helm prints
   * the same.
   * @default - the defined app as it is
   */
  readonly finish?: (defined: T) => R;
}

/**
 * Defines an app more than once so that its helm renders run side by side instead of one after another (constructs
 * are synchronous, so each would otherwise wait for its own helm): `define` runs once with helm calls only recorded,
 * what they need is prepared (`prepareBeforeRenders`: the charts to download), the calls then run at most
 * `concurrency` at a time, each output read as soon as its helm ends (while the others still run), and `define` runs
 * again, each call finding its result, then `finish`. Anything `define` refuses, it refuses in the first pass, before
 * any helm runs but those the process started early on the previous synth's calls (`startEarlyRenders`): a call the
 * definition makes again takes its early render's result, the others are stopped.
 *
 * When those early renders are all the app's calls and the previous synth's outputs of them are kept, the first pass
 * already gets those outputs, and `finish` runs on it while helm renders: its result stands if helm prints the same
 * bytes, and everything after the renders is saved.
 */
export async function renderConcurrently<T, R = T>(define: () => T, options: RenderOptions<T, R> = {}): Promise<R> {
  const { concurrency = os.availableParallelism(), keepIn } = options;
  const finish = options.finish ?? ((defined: T) => defined as unknown as R);
  const early = takeEarlyRenders();
  const reader = new OutputReader(keepIn && path.join(keepIn, OUTPUTS_FOLDER));
  // Only when every planned call is under way: the definition holds node's thread, so no further helm would start.
  const guessed = new Set<string>();
  const previous = keepIn && early.running.length === early.planned.length ? early.planned : [];
  const previousOutputs = new Map(previous.filter(p => p.output).map(p => [renderKey(p), p.output!]));
  const guess = (key: string) => {
    const hash = previousOutputs.get(key);
    const documents = hash === undefined ? undefined : reader.kept(hash);
    if (documents === undefined) return undefined;
    guessed.add(key);
    return { status: 0, signal: null, stdout: '', stderr: '', documents };
  };
  let first = recordCalls(define, previousOutputs.size > 0 ? guess : undefined);
  if ('error' in first.defined && guessed.size > 0) {
    // What was refused may be a guessed output, not the app: the app is judged on its own.
    guessed.clear();
    first = recordCalls(define);
  }
  if ('error' in first.defined) early.running.forEach(render => render.stop());
  const defined = valueOf(first.defined);
  const calls = first.calls;
  const keys = calls.map(renderKey);
  const guessedAll = keys.length > 0 && keys.every(key => guessed.has(key));
  const finished = guessedAll ? outcome(() => finish(defined)) : undefined;

  const takeEarly = earlyResults(early.running, keys);
  await Promise.all(first.prepare.map(p => p()));
  let next = 0;
  let confirmed = 0;
  const unread = new Map<string, HelmResult>();
  const reads: Promise<void>[] = [];
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const key = keys[index];
      const result = await takeEarly(key) ?? await spawnHelm(calls[index]).result;
      if (finished && reader.confirms(key, result, previousOutputs.get(key)!)) {
        confirmed++;
        unread.set(key, result); // read only if another output turns out different
        continue;
      }
      // Read once this worker's next helm has started (the loop goes on first), so node reads while helm renders.
      reads.push(new Promise(resolve => setImmediate(resolve)).then(() => {
        ready.set(key, reader.read(key, result));
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls.length)) }, worker));
  await Promise.all(reads);
  try {
    let result: Outcome<R>;
    if (finished && confirmed === calls.length) {
      result = finished;
    } else {
      for (const [key, output] of unread) ready.set(key, reader.read(key, output));
      result = outcome(() => finish(define()));
    }
    if (keepIn && !('error' in result)) {
      writeRenderPlan(path.join(keepIn, RENDER_PLAN_FILE), calls, reader.outputOf);
      reader.keep();
    }
    return valueOf(result);
  } finally {
    ready.clear();
  }
}

/** The first pass of `renderConcurrently`: the calls `define` makes, with `guess` giving the results it can. */
function recordCalls<T>(define: () => T, guess?: (key: string) => HelmResult | undefined) {
  recorded = [];
  guessing = guess;
  try {
    return { defined: outcome(define), calls: recorded, prepare: [...preparations.values()] };
  } finally {
    recorded = undefined;
    guessing = undefined;
    preparations.clear();
  }
}

/**
 * Stops the early renders that none of `keys` makes, and gives the result of a call's early render (by its
 * `renderKey`) if it succeeded: one that failed may have run before its chart was prepared, so the call runs again.
 */
function earlyResults(early: RunningRender[], keys: string[]): (key: string) => Promise<HelmResult | undefined> {
  const wanted = new Set(keys);
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
 * Leaves `renders` (those of the project's own helm) in `planFile` for the next command, when its folder exists, each
 * with the name of its output's kept documents (`outputOf`, by the call's key), if any: written whole or not at all,
 * readable by this user alone, and only when it changed.
 */
export function writeRenderPlan(planFile: string, renders: ReadonlyArray<HelmRender>, outputOf: (key: string) => string | undefined = () => undefined): void {
  if (!fs.existsSync(path.dirname(planFile))) return;
  const helm = toolPath('helm');
  const plan: PlannedRender[] = renders.filter(r => r.helm === helm).map(render => {
    const output = outputOf(renderKey(render));
    return { args: [...render.args], input: render.input, ...output === undefined ? {} : { output } };
  });
  const text = JSON.stringify({ renders: plan });
  if (fs.existsSync(planFile) && fs.readFileSync(planFile, 'utf8') === text) return;
  writeFileAtomic(planFile, text, 0o600);
}

/** The folder, beside the render plan, of the documents of helm's outputs, one file each, named by the sha256 of the parser and the output. */
export const OUTPUTS_FOLDER = '.helm-outputs';

/** What read the kept documents: another version of the parser may read the same output otherwise. */
const PARSER = `js-yaml ${(require('js-yaml/package.json') as { version: string }).version}`;

/** The name of a file of kept documents: the sha256 of the parser and the output. */
const KEPT_OUTPUT_NAME = /^([0-9a-f]{64})\.json$/;

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
  /** The sha256 of each call's output, by the call's key. */
  private readonly hashes = new Map<string, string>();

  constructor(private readonly folder: string | undefined) {}

  /** The name of the documents kept for the output of the call `key`, if they are or will be kept. */
  readonly outputOf = (key: string): string | undefined => {
    const hash = this.hashes.get(key);
    return hash !== undefined && this.outputs.has(hash) ? hash : undefined;
  };

  /** The documents kept for the output named `hash`, if the folder holds them whole. */
  kept(hash: string): any[] | undefined {
    const kept = this.folder === undefined ? undefined : readPrivateFile(path.join(this.folder, `${hash}.json`), MAX_KEPT_OUTPUT_BYTES);
    try {
      return kept === undefined ? undefined : JSON.parse(kept);
    } catch {
      return undefined; // a damaged file: the output is read anew, and kept again
    }
  }

  /**
   * `result` of the call `key` with its output read, if helm succeeded and the output reads: else the render in place
   * reads it, and says why not.
   */
  read(key: string, result: HelmResult): HelmResult {
    if (result.status !== 0 || result.error) return result;
    const hash = this.hashOf(key, result);
    const kept = this.kept(hash);
    if (kept !== undefined) {
      this.outputs.set(hash, undefined);
      return { ...result, documents: kept };
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

  /** Whether helm succeeded and printed, for the call `key`, the output whose documents are kept as `hash`. */
  confirms(key: string, result: HelmResult, hash: string): boolean {
    if (result.status !== 0 || result.error || this.hashOf(key, result) !== hash) return false;
    this.outputs.set(hash, undefined);
    return true;
  }

  private hashOf(key: string, result: HelmResult): string {
    const hash = sha256(`${PARSER}\n${result.stdout}`);
    this.hashes.set(key, hash);
    return hash;
  }

  /** Writes the documents read this synth that the folder lacks, and removes those of outputs it did not read. */
  keep(): void {
    if (this.folder === undefined || !fs.existsSync(path.dirname(this.folder))) return;
    // Not through a link (a pull request can bring one where git ignores the folder): its files are not ours to remove.
    const existing = fs.lstatSync(this.folder, { throwIfNoEntry: false });
    if (existing !== undefined && !existing.isDirectory()) return;
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    for (const [hash, json] of this.outputs) {
      if (json !== undefined) writeFileAtomic(path.join(this.folder, `${hash}.json`), json, 0o600);
    }
    for (const name of fs.readdirSync(this.folder)) {
      const kept = KEPT_OUTPUT_NAME.exec(name);
      if (kept && !this.outputs.has(kept[1])) fs.rmSync(path.join(this.folder, name), { force: true });
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
  definingOnly = true;
  try {
    return valueOf(recordCalls(define).defined); // nothing renders, so what it would prepare is dropped
  } finally {
    definingOnly = false;
  }
}
