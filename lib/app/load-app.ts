import * as fs from 'fs';
import Module, { createRequire, SourceMap } from 'module';
import * as path from 'path';
import { CompiledApp, compileCached } from './app-cache';
import { BinderHubApp } from './binderhub-app';
import { ConfigError } from '../core/errors';

/** The file that defines a project's deployments, in the project folder. */
export const APP_FILE = 'main.ts';

/**
 * The packages an app file gets from the command that runs it, by name: the library itself, and the construct
 * libraries its classes are built on, so that one copy of each serves both sides.
 */
export type SharedModules = Readonly<Record<string, object>>;

/** Compiles the app file `absolute` (`file` as the user named it) with its local imports, `external` left outside. */
export type AppCompiler = (file: string, absolute: string, external: string[]) => CompiledApp;

/**
 * The BinderHubApp that `file` (TypeScript, relative to the working folder) exports by default. It is compiled with
 * every local module it imports (esbuild, `compiler`), or taken from the cache when none of the files the compile read
 * changed (app-cache.ts), so a command never runs code older than the files; packages stay outside and load as node
 * loads them, but for `shared` (binderhub-cdk8s itself, cdk8s, constructs), which are the very modules the command
 * runs, so classes and errors are one and the same on both sides.
 */
export function loadApp(shared: SharedModules, file: string = APP_FILE, compiler: AppCompiler = compileApp): BinderHubApp {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) {
    throw new ConfigError(`${file} does not exist here: run the command in your project's folder (\`npx binderhub-cdk8s init\` makes one)`);
  }
  const external = Object.keys(shared);
  const code = compileCached(cacheKey(absolute, external), () => compiler(file, absolute, external));
  const exported = inAppCode(code, absolute, () => evaluate(code, absolute, shared).default);
  if (!(exported instanceof BinderHubApp)) {
    throw new ConfigError(`${file} exports no BinderHubApp by default; end it with \`export default new BinderHubApp(app => { ... })\``);
  }
  return new BinderHubApp(scope => inAppCode(code, absolute, () => exported.define(scope)));
}

/**
 * Runs `run`, which runs the app's compiled `code` (the module `absolute`). An error its own code throws (not a
 * ConfigError, not one of a package it calls) becomes one line naming the place in its source: the stack node prints
 * points into the compiled code, whose line numbers are not the file's.
 */
function inAppCode<T>(code: string, absolute: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof Error) || error instanceof ConfigError) throw error;
    const frame = /^\s+at (?:.*\()?(.*):(\d+):(\d+)\)?$/m.exec(error.stack ?? '');
    if (!frame || frame[1] !== absolute) throw error;
    const place = sourceMapOf(code)?.findEntry(Number(frame[2]) - 1, Number(frame[3]) - 1);
    const where = place && 'originalSource' in place ? `${place.originalSource}:${place.originalLine + 1}:${place.originalColumn + 1}` : path.relative('.', absolute);
    throw new ConfigError(`${where}: ${error.name}: ${error.message.split('\n')[0]}; fix it, then run the command again`);
  }
}

/** The source map that `compile` puts inline at the end of `code`. */
function sourceMapOf(code: string): SourceMap | undefined {
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(code);
  return inline ? new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'))) : undefined;
}

const COMPILE_OPTIONS = {
  bundle: true, packages: 'external', platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'silent',
  sourcemap: 'inline', sourcesContent: false, metafile: true,
} as const;

/** What the compiled code of `absolute` depends on besides the files it reads: the folder, the compiler and its options. */
function cacheKey(absolute: string, external: string[]): string {
  // Read, not imported: the esbuild that runs is the project's, whichever version its range resolved to.
  const esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
  return JSON.stringify({ absolute, workingFolder: process.cwd(), external, esbuild: esbuildVersion, options: COMPILE_OPTIONS });
}

/** `file` and its local imports as one CommonJS module, with the files read; a syntax error is a one-line error naming its place. */
export function compileApp(file: string, absolute: string, external: string[]): CompiledApp {
  // Loaded here, not at the top: only commands that run the app need esbuild (and its binary). The shared modules
  // stay outside even where a tsconfig maps their names to sources (this repository's does, for its own type checks).
  const esbuild = loadEsbuild();
  try {
    const result = esbuild.buildSync({ ...COMPILE_OPTIONS, absWorkingDir: process.cwd(), entryPoints: [absolute], external });
    return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    if (!first) throw error;
    const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : file;
    throw new ConfigError(`${where}: ${first.text}; fix it, then run the command again`);
  }
}

/**
 * esbuild, set to run its binary directly for a synchronous build: for the one build of a run, that takes ~30 ms,
 * against ~100 ms to start the worker thread it would otherwise use (it reads the setting once, when loaded).
 */
function loadEsbuild(): typeof import('esbuild') {
  const setting = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  try {
    return require('esbuild');
  } finally {
    if (setting === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = setting;
  }
}

/**
 * Runs compiled `code` as the module `absolute`. Its packages are the shared ones, else resolve from its own folder
 * first, then from the library's.
 */
function evaluate(code: string, absolute: string, shared: SharedModules): { default?: unknown } {
  const own = createRequire(absolute);
  const ours = createRequire(__filename);
  const module = new Module(absolute);
  module.filename = absolute;
  module.require = ((id: string) => {
    if (Object.hasOwn(shared, id)) return shared[id];
    try {
      return own(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      return ours(id);
    }
  }) as NodeJS.Require;
  (module as unknown as { _compile(code: string, file: string): void })._compile(code, absolute);
  return module.exports;
}
