import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { checkPrivateFolder, secretsFolderProblem } from '../core/paths';
import { MANIFEST_FILE } from './manifest-files';
import {
  journalFile, leftoverPreparedFiles, legacyJournalFile, preparedFileFor, PublishFolder, PublishStep, readJournal, removeJournal, runJournalSteps,
  SECRETS_CHART_SUFFIX, SECRETS_FILE, writeJournal,
} from './publish-journal';
import type { SynthesizedFiles } from './synth-files';

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
  return publishedEntries(targets).map(entry => entry.file);
}

/** Each manifest that stands in the target folders now, with its folder and name, sorted by path. */
function publishedEntries(targets: PublishTargets): Array<{ folder: PublishFolder; name: string; file: string }> {
  return (['manifests', 'secrets'] as const).flatMap(folder => {
    const dir = targets[folder];
    const pattern = folder === 'secrets' ? SECRETS_FILE : MANIFEST_FILE;
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => pattern.test(name)).map(name => ({ folder, name, file: path.join(dir, name) })) : [];
  }).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * Publishes synthesized manifests all or nothing, as our commands see the folders:
 *
 * 1. every new or changed file is written whole as a temporary file beside its target (this is where a full disk,
 *    a read-only folder or a file in the way of a folder fails: then the temporary files go and nothing changed);
 * 2. a journal of the renames and removals is written (in the secrets folder, which git ignores), they are done,
 *    and the journal is removed.
 *
 * A crash during step 2 leaves the journal, which the next publish (and `apply`, `patch-hub-url`, `prune-command`)
 * completes first (`completeInterruptedPublish`), so dist/ and dist-secrets/ never stay half old, half new. Files of
 * Secrets go to the secrets folder, readable by the owner only (one that others can read is written again, so its
 * mode is mended). Manifests the synth no longer produces are removed; other files are left alone.
 */
export function publishManifests(files: SynthesizedFiles, targets: PublishTargets): PublishResult {
  completeInterruptedPublish(targets);
  const result = { written: [] as string[], unchanged: [] as string[], removed: [] as string[] };
  const planned = plannedFiles(files, targets);
  const steps: PublishStep[] = [];
  try {
    for (const { target, content, secret } of planned) {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: secret ? 0o700 : 0o755 });
      if (fs.existsSync(target) && fs.readFileSync(target).equals(content) && !(secret && othersMayRead(target))) {
        result.unchanged.push(target);
        continue;
      }
      const prepared = prepareFile(target, content, secret ? 0o600 : 0o644);
      steps.push({ folder: secret ? 'secrets' : 'manifests', prepared: path.basename(prepared), target: path.basename(target) });
      result.written.push(target);
    }
    const produced = new Set(planned.map(file => file.target));
    for (const { folder, name, file } of publishedEntries(targets).filter(entry => !produced.has(entry.file))) {
      steps.push({ folder, remove: name });
      result.removed.push(file);
    }
    if (steps.length > 0) writeJournal(targets, steps, (file, content) => writeFileAtomic(file, content, 0o600));
  } catch (error) {
    for (const step of steps) if ('prepared' in step) fs.rmSync(path.join(targets[step.folder], step.prepared), { force: true });
    throw fileSystemError(error, 'nothing was published; dist/ and dist-secrets/ are as they were');
  }
  runSteps(targets, steps);
  return result;
}

/** Whether group or others may read `file`. */
function othersMayRead(file: string): boolean {
  return (fs.statSync(file).mode & 0o077) !== 0;
}

/**
 * Finishes the renames and removals of a publish that was interrupted after it had prepared every file, once its
 * journal is checked (see `readJournal`), and removes files prepared by a publish that died before its journal was
 * written. For commands that publish or act on the folders; the review commands (`check-dist`, `diff`) change no
 * file and report what `publishedFolderProblems` finds instead.
 */
export function completeInterruptedPublish(targets: PublishTargets): void {
  checkPrivateFolder(targets.secrets, { manifests: targets.manifests });
  const steps = readJournal(targets);
  if (steps) runSteps(targets, steps);
  for (const file of leftoverPreparedFiles(targets)) fs.rmSync(file, { force: true });
}

/**
 * What a review command reports about the folders, changing nothing: a pending journal (instead of completing it),
 * files a publish prepared and never renamed (one in dist-secrets/ holds tokens), a journal where an older version
 * kept it (in dist/, which git carries: never run), and files of Secrets that group or others may read. A journal
 * that is not one a publish writes is refused, as `completeInterruptedPublish` refuses it.
 */
export function publishedFolderProblems(targets: PublishTargets): string[] {
  const problems: string[] = [];
  const folderProblem = secretsFolderProblem(targets.secrets, { manifests: targets.manifests });
  if (folderProblem !== undefined) problems.push(folderProblem);
  if (readJournal(targets)) problems.push(`${journalFile(targets)}: a publish was interrupted half-way; run \`npm run synth\` to complete it`);
  for (const file of leftoverPreparedFiles(targets)) {
    problems.push(`${file}: left by a publish that was killed before it renamed it; run \`npm run synth\` (it removes it)`);
  }
  if (fs.existsSync(legacyJournalFile(targets))) {
    problems.push(`${legacyJournalFile(targets)}: a publish journal where git carries it, which no command runs; remove it (and find out who added it)`);
  }
  for (const { file } of publishedEntries(targets).filter(entry => entry.folder === 'secrets' && othersMayRead(entry.file))) {
    const mode = (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');
    problems.push(`${file} has mode ${mode}, so group or others may read its Secrets; run \`chmod 600 ${file}\` (the next synth mends it too)`);
  }
  return problems;
}

/** Does the steps (each may have been done already by an interrupted run), then drops the journal. */
function runSteps(targets: PublishTargets, steps: ReadonlyArray<PublishStep>): void {
  try {
    runJournalSteps(targets, steps);
    removeJournal(targets);
  } catch (error) {
    throw fileSystemError(error, 'the publish is half done; run the synth again to complete it');
  }
}

/**
 * Writes `content` whole into a new temporary file beside `target` (same file system, so a rename is atomic) and
 * returns its path; a write that fails leaves no temporary file behind.
 */
function prepareFile(target: string, content: string | Buffer, mode: number): string {
  const temp = preparedFileFor(target);
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
  ELOOP: 'a loop of symbolic links',
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
