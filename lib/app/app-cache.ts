import * as fs from 'fs';
import * as path from 'path';
import { sha256 } from '../core/hash';
import { readPrivateFile } from '../core/input-files';
import { writeFileAtomic, DEFAULT_TARGETS } from '../output/publish';
import { DEFAULT_SECRETS_DIR } from '../secrets/secrets-folder';

/** The app file compiled: its code, and every file the compiler read to make it (relative to the working folder). */
export interface CompiledApp {
  readonly code: string;
  readonly inputs: readonly string[];
}

/** Where compiled app files are kept, in the project's node_modules as JavaScript tools keep their caches. */
export const APP_CACHE_DIR = path.join('node_modules', '.cache', 'binderhub-cdk8s');

/** Files the compiler reads beside the sources, from a source's folder up: its settings and the package's. */
const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json', 'package.json'];

/**
 * How long before a compile a file must have last changed for its compiled code to be kept: a file saved while the
 * compiler read it could hash as the new bytes beside code made of the old ones. Filesystems round times (to 2 s at
 * worst), so a file saved within that is compiled again next time, not trusted.
 */
const SETTLED_MS = 2000;

/** One cached compile: the key it was made for, the state of everything it depends on, and the code. */
interface CacheEntry {
  readonly key: string;
  /** Each file read (and settings file looked for) by absolute path: a hash of its bytes, or why it has none. */
  readonly files: Record<string, string>;
  /** Each folder of a source: a hash of the names in it, since a new file can change what an import resolves to. */
  readonly folders: Record<string, string>;
  readonly code: string;
}

/**
 * The code `compile` makes, from the cache when nothing it depends on changed since, else compiled and kept. `key`
 * names everything else the output depends on (the file, the working folder, the compiler, its version and options).
 * Without a node_modules folder here, or where the cache cannot be written, every call compiles.
 */
export function compileCached(key: string, compile: () => CompiledApp): string {
  const entryFile = cacheFileFor(key);
  const cached = entryFile === undefined ? undefined : readEntry(entryFile, key);
  if (cached !== undefined && isCurrent(cached)) return cached.code;
  const startedAt = Date.now();
  const compiled = compile();
  if (entryFile !== undefined) store(entryFile, key, compiled, startedAt);
  return compiled.code;
}

/** The file that holds the entry of `key`; undefined when the working folder has no node_modules to keep it in. */
function cacheFileFor(key: string): string | undefined {
  if (!fs.statSync('node_modules', { throwIfNoEntry: false })?.isDirectory()) return undefined;
  return path.resolve(APP_CACHE_DIR, `${sha256(key).slice(0, 32)}.json`);
}

/** Entries larger than this are not read: an app file compiles to tens of kilobytes. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/**
 * The entry in `file` if it is one for `key`; a missing or damaged one is no entry, and so is one that this project's
 * commands did not write (not mode 0600, as a file a pull request brings never is): its code would run in place of
 * the main.ts a reviewer reads.
 */
function readEntry(file: string, key: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readPrivateFile(file, MAX_ENTRY_BYTES) ?? 'null') as CacheEntry;
    return entry?.key === key && typeof entry.code === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Whether every file and folder `entry` depends on is as it was when it was made (read and hashed, not dated). */
function isCurrent(entry: CacheEntry): boolean {
  return Object.entries(entry.files).every(([file, state]) => fileState(file) === state)
    && Object.entries(entry.folders).every(([folder, state]) => folderState(folder) === state);
}

/**
 * Keeps `compiled` for `key`, unless it may not be: it read a secrets file (the cache may hold what main.ts holds,
 * never a secret), or something it depends on that the cache cannot follow, or a file that changed as it ran.
 */
function store(entryFile: string, key: string, compiled: CompiledApp, startedAt: number): void {
  const sources = compiled.inputs.map(input => path.resolve(input));
  const folders = [...new Set(sources.map(source => path.dirname(source)))];
  const files = [...new Set([...sources, ...folders.flatMap(configFilesFor)])];
  if (!sources.every(isKeepable) || files.some(extendsSettings)) return;
  const entry: CacheEntry = { key, files: statesOf(files, fileState), folders: statesOf(folders, folderState), code: compiled.code };
  if ([...files, ...folders].some(file => changedSince(file, startedAt - SETTLED_MS))) return;
  try {
    fs.mkdirSync(path.dirname(entryFile), { recursive: true, mode: 0o700 });
    writeFileAtomic(entryFile, JSON.stringify(entry), 0o600);
  } catch {
    // a read-only project (or node_modules) only loses the speed-up
  }
}

/** The settings files the compiler may read for the sources in `folder`: in it and in every folder above it. */
function configFilesFor(folder: string): string[] {
  const parent = path.dirname(folder);
  return [...CONFIG_FILES.map(name => path.join(folder, name)), ...(parent === folder ? [] : configFilesFor(parent))];
}

/** A source the cache may hold the code of: a regular file, outside the folders of secrets. */
function isKeepable(source: string): boolean {
  const inSecrets = [DEFAULT_SECRETS_DIR, DEFAULT_TARGETS.secrets].some(folder => !path.relative(path.resolve(folder), source).startsWith('..'));
  return !inSecrets && fs.statSync(source, { throwIfNoEntry: false })?.isFile() === true;
}

/** Whether `file` is compiler settings that extend other settings, a file the cache does not follow. */
function extendsSettings(file: string): boolean {
  return !file.endsWith('package.json') && fs.existsSync(file) && /"extends"\s*:/.test(fs.readFileSync(file, 'utf8'));
}

function statesOf(paths: string[], state: (file: string) => string): Record<string, string> {
  return Object.fromEntries(paths.map(file => [file, state(file)]));
}

/** A hash of the bytes of `file`, or why it has none. */
function fileState(file: string): string {
  return hashOrAbsent(() => fs.readFileSync(file));
}

/** A hash of the names in `folder`, or why it has none. */
function folderState(folder: string): string {
  return hashOrAbsent(() => fs.readdirSync(folder).sort().join('\0'));
}

/** A hash of what `read` reads; when it cannot, why not (no such file, not a folder, no access), compared as well. */
function hashOrAbsent(read: () => string | Buffer): string {
  try {
    return sha256(read());
  } catch (error) {
    return `-${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

function changedSince(file: string, time: number): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.mtimeMs >= time;
}
