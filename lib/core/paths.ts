import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './errors';

/**
 * `file` as an absolute path with every link resolved, a link to a folder not made yet included; the part that does
 * not exist as written.
 */
export function realPath(file: string): string {
  return resolveLinks(path.resolve(file), 0);
}

/** `realPath` of the absolute `file`, `hops` links or folders deep; a loop of links is taken as written after 40. */
function resolveLinks(file: string, hops: number): string {
  try {
    return fs.realpathSync(file);
  } catch {
    // missing, at least in part
  }
  const parent = path.dirname(file);
  if (parent === file || hops > 40) return file;
  const realParent = resolveLinks(parent, hops + 1);
  let link: string | undefined;
  try {
    link = fs.lstatSync(file).isSymbolicLink() ? fs.readlinkSync(file) : undefined;
  } catch {
    link = undefined; // missing, or a file where a folder should be: the write names that
  }
  return link === undefined ? path.join(realParent, path.basename(file)) : resolveLinks(path.resolve(realParent, link), hops + 1);
}

/** Whether `file` is `folder` or inside it (both absolute, or both relative to the same folder). */
export function isWithin(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}

/** The top of the git work tree that holds the absolute `file` (the nearest folder above it with a `.git`), if any. */
function workTreeOf(file: string): string | undefined {
  for (let dir = file; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the absolute `file` would be if no link below the project's folder moved it: its path from the project's
 * folder, however that is reached (the working folder, or a link to it such as the shell's `$PWD`), or else its own
 * name in its real folder.
 */
function asNamed(file: string, root: string, realRoot: string): string {
  if (isWithin(file, root)) return path.join(realRoot, path.relative(root, file));
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (realPath(dir) === realRoot) return path.join(realRoot, path.relative(dir, file));
  }
  return path.join(realPath(path.dirname(file)), path.basename(file));
}

/**
 * Why the commands must not write secrets (tokens, chart values, Secrets) into `folder`, or undefined if they may:
 * when it is a loop of links; when a link puts it inside the project `root` or inside any git work tree (the
 * repository that holds the project, or another: git may commit what is written there); or when it lies inside
 * `manifests` (dist/, which git commits; a folder named on the command line can be, the default ones only through a
 * link). git ignores `dist-secrets/` and `secrets/` as folders, not links of those names: a pull request can commit
 * `dist-secrets` as a link to dist/, and git replaces the ignored folder with it. A link to a folder outside any git
 * work tree (a folder on another volume) is fine.
 */
export function privateFolderProblem(folder: string, { manifests, root = process.cwd() }: { manifests?: string; root?: string } = {}): string | undefined {
  const absolute = path.resolve(root, folder);
  const realRoot = realPath(root);
  const fix = `make ${folder} a folder of its own (or a link to a folder outside any git repository)`;
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return `${folder} is a loop of links; ${fix}`;
    real = realPath(absolute); // not there yet, at least in part
  }
  if (real !== asNamed(absolute, root, realRoot)) {
    if (isWithin(real, realRoot)) {
      return `${folder} is a link to ${path.relative(realRoot, real) || '.'}, inside the project, where git may commit the secrets written there; ${fix}`;
    }
    const tree = workTreeOf(real);
    if (tree !== undefined) return `${folder} is a link to ${real}, inside the git work tree ${tree}, where git may commit the secrets written there; ${fix}`;
  }
  const realManifests = manifests === undefined ? undefined : realPath(path.resolve(root, manifests));
  if (realManifests !== undefined && isWithin(real, realManifests)) {
    return `${folder} is ${real === realManifests ? 'the folder' : 'inside'} ${manifests}, where git may commit the secrets written there; `
      + `name a folder outside ${manifests} (or a link to a folder outside any git repository)`;
  }
  return undefined;
}

/** The files the commands write into a secrets folder are JSON (secrets files, kept renders) or YAML (manifests). */
const WRITTEN_THERE = /\.(json|ya?ml)$/;

/**
 * Why the commands must not write secrets into `folder`: `privateFolderProblem`, or a file in it that git tracks and
 * the commands could write over (JSON or YAML; a `.gitkeep` is fine). git ignores the folder, but a pull request can
 * commit a file there with `git add -f` (checked out, it replaces the reviewer's ignored one); written over with
 * secrets, it would go with the next `git commit -a`.
 */
export function secretsFolderProblem(folder: string, options: { manifests?: string; root?: string } = {}): string | undefined {
  const problem = privateFolderProblem(folder, options);
  if (problem !== undefined) return problem;
  const tracked = trackedFilesIn(folder, options.root ?? process.cwd()).filter(file => WRITTEN_THERE.test(file));
  if (tracked.length === 0) return undefined;
  const more = tracked.length > 1 ? ` (and ${tracked.length - 1} more there)` : '';
  return `${tracked[0]} is tracked by git${more}, so the secrets the commands write into ${folder} would be committed; `
    + `remove it from git (\`git rm --cached ${tracked[0]}\`) and find out who added it`;
}

/** Throws `secretsFolderProblem` as a ConfigError, before anything is written into `folder`. */
export function checkPrivateFolder(folder: string, options: { manifests?: string; root?: string } = {}): void {
  const problem = secretsFolderProblem(folder, options);
  if (problem !== undefined) throw new ConfigError(problem);
}

/** What git tracks under each folder listed (relative to it), or undefined without git: listed once per process. */
const trackedByFolder = new Map<string, string[] | undefined>();

/**
 * The files git tracks in `folder` (as `folder`/...), when it is in a git work tree. One `git ls-files` for the whole
 * project folder `root` per command (a folder elsewhere gets its own), none outside a work tree or for a folder that
 * is not there; without git (GIT, else `git` on PATH), none.
 */
function trackedFilesIn(folder: string, root: string): string[] {
  const real = realPath(path.resolve(root, folder));
  if (!fs.existsSync(real) || workTreeOf(real) === undefined) return [];
  const realRoot = realPath(root);
  const listedIn = isWithin(real, realRoot) ? realRoot : real;
  if (!trackedByFolder.has(listedIn)) {
    const result = spawnSync(process.env.GIT || 'git', ['ls-files', '-z'], { cwd: listedIn, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
    trackedByFolder.set(listedIn, result.status === 0 ? result.stdout.split('\0').filter(file => file !== '') : undefined);
  }
  const inside = path.relative(listedIn, real);
  return (trackedByFolder.get(listedIn) ?? []).filter(file => isWithin(file, inside)).map(file => path.join(folder, path.relative(inside, file)));
}
