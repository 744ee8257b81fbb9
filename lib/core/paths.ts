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

/**
 * Why the commands must not write secrets (tokens, chart values, Secrets) into `folder`, or undefined if they may:
 * when a link puts it elsewhere in the project `root`, or when it lies inside `manifests` (dist/, which git commits;
 * a folder named on the command line can be, the default ones only through a link).
 * git ignores `dist-secrets/` and `secrets/` as folders, not links of those names: a pull request can commit
 * `dist-secrets` as a link to dist/, and git replaces the ignored folder with it. A link out of the project (a
 * folder on another volume) is fine.
 */
export function privateFolderProblem(folder: string, { manifests, root = process.cwd() }: { manifests?: string; root?: string } = {}): string | undefined {
  const real = realPath(path.resolve(root, folder));
  const realRoot = realPath(root);
  const fix = `make ${folder} a folder of its own (or a link to a folder outside the project)`;
  const unlinked = path.resolve(realRoot, path.relative(root, path.resolve(root, folder)));
  if (real !== unlinked && isWithin(real, realRoot)) {
    return `${folder} is a link to ${path.relative(realRoot, real) || '.'}, inside the project, where git may commit the secrets written there; ${fix}`;
  }
  const realManifests = manifests === undefined ? undefined : realPath(path.resolve(root, manifests));
  if (realManifests !== undefined && isWithin(real, realManifests)) {
    return `${folder} is ${real === realManifests ? 'the folder' : 'inside'} ${manifests}, where git may commit the secrets written there; ${fix}`;
  }
  return undefined;
}

/** Throws `privateFolderProblem` as a ConfigError, before anything is written into `folder`. */
export function checkPrivateFolder(folder: string, options: { manifests?: string; root?: string } = {}): void {
  const problem = privateFolderProblem(folder, options);
  if (problem !== undefined) throw new ConfigError(problem);
}
