import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from './errors';
import { MANIFEST_FILE } from './manifest-files';
import type { SynthesizedFiles } from './synth-files';

/** The suffix of the chart (and so the file) that holds a deployment's Secrets when they are kept out of dist/. */
export const SECRETS_CHART_SUFFIX = '-secrets';

/** Where synthesized files go. */
export interface PublishTargets {
  /** Manifests without secret values: dist/. */
  readonly manifests: string;
  /** Files of Secrets kept out of dist/ (`<deployment>-secrets.k8s.yaml`): a git-ignored folder beside it. */
  readonly secrets: string;
}

/** The example's folders. */
export const DEFAULT_TARGETS: PublishTargets = { manifests: 'dist', secrets: 'dist-secrets' };

/** A deployment's files in `targets`: its manifests, and the file of its Secrets if it keeps them out of dist/. */
export function deploymentFiles(targets: PublishTargets, deployment: string): { manifests: string; secrets: string } {
  return {
    manifests: path.join(targets.manifests, `${deployment}.k8s.yaml`),
    secrets: path.join(targets.secrets, `${deployment}${SECRETS_CHART_SUFFIX}.k8s.yaml`),
  };
}

/** What `publishManifests` changed. */
export interface PublishResult {
  /** Files whose content changed or that are new. */
  readonly written: string[];
  /** Files already identical, left untouched. */
  readonly unchanged: string[];
  /** Manifests that the synth no longer produces, removed. */
  readonly removed: string[];
}

const SECRETS_FILE = new RegExp(`${SECRETS_CHART_SUFFIX}\\.k8s\\.ya?ml$`);

/** A synthesized manifest and where it belongs. */
export interface PlannedFile {
  readonly target: string;
  readonly content: Buffer;
  /** Whether it holds Secrets kept out of dist/. */
  readonly secret: boolean;
}

/** Where each synthesized manifest belongs, with its content, sorted by name. */
export function plannedFiles(files: SynthesizedFiles, targets: PublishTargets): PlannedFile[] {
  return [...files.keys()].filter(name => MANIFEST_FILE.test(name)).sort().map(name => {
    const secret = SECRETS_FILE.test(name);
    return { target: path.join(secret ? targets.secrets : targets.manifests, name), content: Buffer.from(files.get(name)!), secret };
  });
}

/** The manifests that stand in the target folders now (a secrets folder holds only `*-secrets.k8s.yaml`). */
export function publishedFiles(targets: PublishTargets): string[] {
  const list = (dir: string, pattern: RegExp) => fs.existsSync(dir) ? fs.readdirSync(dir).filter(n => pattern.test(n)).map(n => path.join(dir, n)) : [];
  return [...list(targets.manifests, MANIFEST_FILE), ...list(targets.secrets, SECRETS_FILE)].sort();
}

/** The journal of a publish that is renaming files into place, in the manifests folder. */
const JOURNAL = '.publish-journal.json';

/** One step of a publish: a prepared file renamed over its target, or a stale target removed. */
type PublishStep = { readonly from: string; readonly to: string } | { readonly remove: string };

/**
 * Publishes synthesized manifests all or nothing, as our commands see the folders:
 *
 * 1. every new or changed file is written whole as a temporary file beside its target (this is where a full disk,
 *    a read-only folder or a file in the way of a folder fails: then the temporary files go and nothing changed);
 * 2. a journal of the renames and removals is written, they are done, and the journal is removed.
 *
 * A crash during step 2 leaves the journal, which the next publish (and `check-dist`, `patch-hub-url`) completes
 * first (`completeInterruptedPublish`), so dist/ and dist-secrets/ never stay half old, half new. Files of Secrets
 * go to the secrets folder, readable by the owner only. Manifests the synth no longer produces are removed; other
 * files are left alone.
 */
export function publishManifests(files: SynthesizedFiles, targets: PublishTargets): PublishResult {
  completeInterruptedPublish(targets);
  const result = { written: [] as string[], unchanged: [] as string[], removed: [] as string[] };
  const planned = plannedFiles(files, targets);
  const steps: PublishStep[] = [];
  try {
    for (const { target, content, secret } of planned) {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: secret ? 0o700 : 0o755 });
      if (fs.existsSync(target) && fs.readFileSync(target).equals(content)) {
        result.unchanged.push(target);
        continue;
      }
      steps.push({ from: prepareFile(target, content, secret ? 0o600 : 0o644), to: target });
      result.written.push(target);
    }
    const produced = new Set(planned.map(file => file.target));
    for (const file of publishedFiles(targets).filter(f => !produced.has(f))) {
      steps.push({ remove: file });
      result.removed.push(file);
    }
    if (steps.length > 0) writeFileAtomic(path.join(targets.manifests, JOURNAL), JSON.stringify(steps));
  } catch (error) {
    for (const step of steps) if ('from' in step) fs.rmSync(step.from, { force: true });
    throw fileSystemError(error, 'nothing was published; dist/ and dist-secrets/ are as they were');
  }
  runSteps(targets, steps);
  return result;
}

/** Finishes the renames and removals of a publish that was interrupted after it had prepared every file. */
export function completeInterruptedPublish(targets: PublishTargets): void {
  const journal = path.join(targets.manifests, JOURNAL);
  if (fs.existsSync(journal)) runSteps(targets, JSON.parse(fs.readFileSync(journal, 'utf8')) as PublishStep[]);
  // Files prepared by a publish that died before its journal was written: never renamed, so never published.
  for (const dir of [targets.manifests, targets.secrets].filter(d => fs.existsSync(d) && fs.statSync(d).isDirectory())) {
    for (const name of fs.readdirSync(dir).filter(n => PREPARED_FILE.test(n))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

const PREPARED_FILE = /^\..+\.k8s\.ya?ml\.\d+\.tmp$/;

/** Does the steps (each may have been done already by an interrupted run), then drops the journal. */
function runSteps(targets: PublishTargets, steps: PublishStep[]): void {
  try {
    for (const step of steps) {
      if ('remove' in step) fs.rmSync(step.remove, { force: true });
      else if (fs.existsSync(step.from)) fs.renameSync(step.from, step.to);
    }
    fs.rmSync(path.join(targets.manifests, JOURNAL), { force: true });
  } catch (error) {
    throw fileSystemError(error, 'the publish is half done; run the synth again to complete it');
  }
}

/** The temporary file a publish prepares beside `target`. */
function tempFileFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
}

/**
 * Writes `content` whole into a new temporary file beside `target` (same file system, so a rename is atomic) and
 * returns its path; a write that fails leaves no temporary file behind.
 */
function prepareFile(target: string, content: string | Buffer, mode: number): string {
  const temp = tempFileFor(target);
  fs.rmSync(temp, { force: true }); // a leftover from a crash would keep its old mode
  try {
    fs.writeFileSync(temp, content, { mode, flag: 'wx' });
  } catch (error) {
    fs.rmSync(temp, { force: true });
    // A write that fails after the open (a full disk) is reported on the file descriptor, without a path: name the file.
    const err = error as NodeJS.ErrnoException;
    if (err.code !== undefined && err.path === undefined) err.path = temp;
    throw err;
  }
  return temp;
}

const ERRNO_MEANINGS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system',
  ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EEXIST: 'a file is in the way',
  ENOTDIR: 'a file stands where a folder should be', EISDIR: 'a folder stands where a file should be', ENOENT: 'no such file or folder',
};

/**
 * A file-system failure as one line: the path, what went wrong, and (if given) what state it left; other errors
 * are returned as they are.
 */
export function fileSystemError(error: unknown, consequence?: string): Error {
  const err = error as NodeJS.ErrnoException;
  const meaning = err.code === undefined ? undefined : ERRNO_MEANINGS[err.code];
  if (meaning === undefined) return err instanceof Error ? err : new Error(String(error));
  const where = err.path ?? 'a file';
  // A folder made right in the temporary folder failed: the temporary folder itself is missing or not writable.
  const inTemp = path.dirname(path.resolve(where)) === path.resolve(os.tmpdir()) ? ' (in the temporary folder: check TMPDIR)' : '';
  return new ConfigError(`${where}${inTemp}: ${meaning} (${err.code})${consequence ? `; ${consequence}` : ''}`);
}

/**
 * Creates `target` with `content`, whole, unless it exists already (then returns false): the content is written to
 * a temporary file and linked into place, which fails if another process created the target first.
 */
export function writeNewFile(target: string, content: string, mode: number): boolean {
  const temp = prepareFile(target, content, mode);
  try {
    fs.linkSync(temp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.existsSync(target)) return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Replaces several files so that a failure leaves all of them as they were: each new content is written beside
 * its target first, then they are renamed into place; if a rename fails, the ones already done are undone.
 */
export function replaceFilesTogether(files: ReadonlyArray<{ readonly target: string; readonly content: string }>): void {
  const prepared: Array<{ temp: string; target: string; backup?: string }> = [];
  const done: typeof prepared = [];
  try {
    for (const { target, content } of files) {
      prepared.push({ temp: prepareFile(target, content, 0o644), target });
    }
    for (const file of prepared) {
      if (fs.existsSync(file.target)) {
        file.backup = `${file.temp}.old`;
        fs.rmSync(file.backup, { force: true });
        fs.linkSync(file.target, file.backup);
      }
      fs.renameSync(file.temp, file.target);
      done.push(file);
    }
  } catch (error) {
    // Each undo touches only its own target and backup, so the order they are undone in does not matter.
    for (const file of done) {
      if (file.backup) fs.renameSync(file.backup, file.target); else fs.rmSync(file.target, { force: true });
    }
    throw fileSystemError(error, 'nothing was changed');
  } finally {
    for (const file of prepared) {
      fs.rmSync(file.temp, { force: true });
      if (file.backup) fs.rmSync(file.backup, { force: true });
    }
  }
}

/** Replaces `target` with `content` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(target: string, content: string | Buffer, mode = 0o644): void {
  const temp = prepareFile(target, content, mode);
  try {
    fs.renameSync(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
