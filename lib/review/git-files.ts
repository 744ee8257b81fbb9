import { execFileSync } from 'child_process';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { MANIFEST_FILE } from '../output/manifest-files';

/**
 * The manifest files (`*.k8s.yaml`) of `dir` (relative to the working folder) as they stand in the commit `ref`
 * names, read with `git ls-tree` and `git show`: what a pull request's base had, say. None if `dir` is not in that
 * commit. `git` is the git executable (GIT, else `git` on PATH).
 */
export function manifestTextsAtRef(ref: string, dir: string, git = process.env.GIT || 'git'): Map<string, string> {
  if (ref === '' || ref.startsWith('-')) {
    throw new ConfigError(`--against ${JSON.stringify(ref)}: not a git ref; name a branch, tag or commit, such as --against origin/main`);
  }
  runGit(git, ['rev-parse', '--git-dir'], () => `--against ${ref} needs a git repository, and the folder here is not in one: run it in a clone`);
  const commit = runGit(git, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], () =>
    `--against ${ref}: not a commit of the git repository here; fetch it first (in a shallow CI clone: git fetch --depth=1 origin `
    + `${ref.replace(/^origin\//, '')}) or name another ref`).trim();
  const listing = runGit(git, ['ls-tree', '--name-only', '-z', commit, '--', `${dir}/`], () => `--against ${ref}: git ls-tree cannot list ${dir}/ there`);
  const files = listing.split('\0').filter(file => MANIFEST_FILE.test(path.basename(file))).sort();
  return new Map(files.map(file => [path.join(dir, path.basename(file)),
    runGit(git, ['show', `${commit}:./${file}`], () => `--against ${ref}: git show cannot read ${file} there`)]));
}

/** Runs git and returns its output; a failure becomes a ConfigError with `message()` (git's own words left out). */
function runGit(git: string, args: string[], message: () => string): string {
  try {
    // Stryker disable next-line ArrayDeclaration: equivalent, [] pipes every stream (stdin too, which these git commands never read), so stderr stays captured
    return execFileSync(git, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`--against needs git, but ${git} was not found: install git or set GIT to its path`);
    }
    throw new ConfigError(message());
  }
}
