import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { readInputText } from '../core/input-files';
import { MANIFEST_FILE } from './manifest-files';
import type { PublishTargets } from './publish';

/** The suffix of the chart (and so the file) that holds a deployment's Secrets when they are kept out of dist/. */
export const SECRETS_CHART_SUFFIX = '-secrets';

/** The manifests a folder of Secrets holds: `<deployment>-secrets.k8s.yaml`. */
export const SECRETS_FILE = new RegExp(`${SECRETS_CHART_SUFFIX}\\.k8s\\.ya?ml$`);

/** Which of the publish targets a file is in. */
export type PublishFolder = keyof PublishTargets;

/**
 * One step of a publish, by file name within one of its two folders: a file the publish prepared renamed over its
 * target, or a stale manifest removed. Names, not paths, so no step can reach outside the folders.
 */
export type PublishStep =
  | { readonly folder: PublishFolder; readonly prepared: string; readonly target: string }
  | { readonly folder: PublishFolder; readonly remove: string };

/**
 * The journal's name. It lives in the secrets folder, which git ignores: a journal in a commit (a pull request) is
 * never where a publish looks, and the journal of an older version in dist/ is never run.
 */
const JOURNAL_NAME = '.publish-journal.json';

/** What the journal's `format` says, so that no other JSON file is taken for one. */
const JOURNAL_FORMAT = 'binderhub-cdk8s publish journal 1';

/** The file that journals a publish into `targets`. */
export function journalFile(targets: PublishTargets): string {
  return path.join(targets.secrets, JOURNAL_NAME);
}

/** Where versions before 0.2 kept the journal: in dist/, which git carries, so a file there is never run. */
export function legacyJournalFile(targets: PublishTargets): string {
  return path.join(targets.manifests, JOURNAL_NAME);
}

/** The temporary file a publish prepares beside `target`: `.<name>.<pid>.tmp`. */
export function preparedFileFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
}

/** The names of files a publish prepares (whatever the process). */
export const PREPARED_FILE = /^\.(.+\.k8s\.ya?ml)\.\d+\.tmp$/;

/** Whether `name` is a plain file name (no folder part) of a manifest that may stand in `folder`. */
export function isPublishedName(folder: PublishFolder, name: string): boolean {
  return path.basename(name) === name && !name.startsWith('.') && (folder === 'secrets' ? SECRETS_FILE : MANIFEST_FILE).test(name);
}

/** Writes the journal of `steps` whole (a temporary file renamed into place), readable by the owner only. */
export function writeJournal(targets: PublishTargets, steps: ReadonlyArray<PublishStep>, write: (file: string, content: string) => void): void {
  fs.mkdirSync(targets.secrets, { recursive: true, mode: 0o700 });
  write(journalFile(targets), JSON.stringify({ format: JOURNAL_FORMAT, steps }));
}

/**
 * The steps of an interrupted publish, or undefined if none is pending. Every step is checked before any is run: it
 * may only rename a file that a publish prepares (`.<target>.<pid>.tmp`, a regular file, not a link) over its target
 * in the same folder, or remove a manifest, in dist/ or dist-secrets/. Anything else (no JSON, another shape, a step
 * that names another file) is refused in one line naming the journal and the fix, and nothing is run. The journal's
 * content is never quoted: a link could make it any file.
 */
export function readJournal(targets: PublishTargets): PublishStep[] | undefined {
  const file = journalFile(targets);
  if (!fs.existsSync(file)) return undefined;
  const refuse = (what: string) => new ConfigError(`${file}: ${what}, so none of it was run; remove the file, then run \`npm run synth\` to publish anew`);
  if (fs.lstatSync(file).isSymbolicLink()) throw refuse('a link, not a journal a publish wrote');
  let journal: unknown;
  try {
    // At most readInputText's 1 MiB: a step is under 200 bytes, and a publish has a few files per deployment.
    journal = JSON.parse(readInputText(file));
  } catch (error) {
    if (error instanceof ConfigError) throw refuse(error.message.startsWith(file) ? error.message.slice(file.length).trim() : error.message);
    throw refuse('no JSON'); // JSON.parse's message quotes the text
  }
  const { format, steps } = (typeof journal === 'object' && journal !== null ? journal : {}) as { format?: unknown; steps?: unknown };
  if (format !== JOURNAL_FORMAT || !Array.isArray(steps)) throw refuse('not a publish journal (an object of this format with a list of steps)');
  steps.forEach((step, index) => {
    const problem = stepProblem(targets, step);
    if (problem) throw refuse(`step ${index + 1} ${problem}`);
  });
  return steps as PublishStep[];
}

/** What is wrong with a journal step, or undefined if it is one a publish writes. */
function stepProblem(targets: PublishTargets, step: unknown): string | undefined {
  if (typeof step !== 'object' || step === null) return 'is no step';
  const { folder, prepared, target, remove } = step as Record<string, unknown>;
  if (folder !== 'manifests' && folder !== 'secrets') return 'names no folder of the publish';
  const keys = Object.keys(step).sort().join(',');
  if (keys === 'folder,remove') {
    return typeof remove === 'string' && isPublishedName(folder, remove) ? undefined : 'removes a file that is no manifest of the folder';
  }
  if (keys !== 'folder,prepared,target') return 'is neither a rename nor a removal';
  if (typeof target !== 'string' || !isPublishedName(folder, target)) return 'renames onto a file that is no manifest of the folder';
  if (typeof prepared !== 'string' || PREPARED_FILE.exec(prepared)?.[1] !== target) return 'renames a file that no publish prepares';
  const from = path.join(targets[folder], prepared);
  if (fs.existsSync(from) && !fs.lstatSync(from).isFile()) return 'renames something that is not a regular file';
  return undefined;
}

/** Runs checked steps (each may have been done already by the interrupted run). */
export function runJournalSteps(targets: PublishTargets, steps: ReadonlyArray<PublishStep>): void {
  for (const step of steps) {
    const folder = targets[step.folder];
    if ('remove' in step) fs.rmSync(path.join(folder, step.remove), { force: true });
    else if (fs.existsSync(path.join(folder, step.prepared))) fs.renameSync(path.join(folder, step.prepared), path.join(folder, step.target));
  }
}

/** Removes the journal once its steps are done. */
export function removeJournal(targets: PublishTargets): void {
  fs.rmSync(journalFile(targets), { force: true });
}

/** Files a publish prepared that were never renamed (it died before its journal was written), in both folders. */
export function leftoverPreparedFiles(targets: PublishTargets): string[] {
  return [targets.manifests, targets.secrets]
    .filter(dir => fs.existsSync(dir) && fs.statSync(dir).isDirectory())
    .flatMap(dir => fs.readdirSync(dir).filter(name => PREPARED_FILE.test(name)).sort().map(name => path.join(dir, name)));
}
