/**
 * The I/O of `npm run diff -- --live`: runs `kubectl diff` on a deployment's files with our own program as kubectl's
 * external diff (bin/kubectl-diff-program.ts), which answers with the object diff as JSON. It is kubectl's
 * client-side diff on purpose: `npm run apply` applies client-side (kubectl refuses `--prune` with `--server-side`),
 * and only the client-side diff computes the patch that apply will send, from the last-applied annotation, so a
 * field removed from the files shows as removed; a server-side dry run by another field manager keeps such fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { shellWord } from '../core/shell';
import { kubectlError, KubectlOptions, runKubectl } from './kubectl';
import { streamInput } from './apply-plan';
import { ManifestObject, objectId } from '../output/manifest-check';
import { diffManifests, ManifestDiff } from '../review/manifest-diff';
import { PruneCommand } from './prune';
import { projectRoot } from '../chart/tools';

/** Where kubectl's copies of the live and merged objects go: a folder of this prefix inside dist-secrets/. */
const WORK_FOLDER_PREFIX = '.kubectl-diff-';

/** The script in the work folder that kubectl runs as its external diff program. */
const PROGRAM = 'diff-program';

/** Options for `kubectlLiveDiff`. */
export interface LiveDiffOptions extends KubectlOptions {
  /**
   * The folder of Secrets (dist-secrets/): kubectl writes its copies of the objects there, because a Secret's
   * last-applied annotation holds its values in clear and kubectl masks only `data`. A run killed midway
   * leaves them where Secrets are kept anyway, and the next run removes them.
   */
  readonly secretsFolder: string;
  /** Also show what `npm run apply -- --prune` would delete. @default false */
  readonly prune?: boolean;
}

/**
 * What applying `command`'s files (which hold `objects`) would change in the cluster, in the files' order (what the
 * prune would delete last). When a Namespace of theirs does not exist yet, kubectl cannot dry-run anything in it: its
 * objects are added, and kubectl diffs the rest (cluster-scoped objects, which may exist already) from its standard
 * input, so Secrets never touch the disk there either.
 */
export async function kubectlLiveDiff(options: LiveDiffOptions, command: PruneCommand, objects: ManifestObject[]): Promise<ManifestDiff> {
  const missing = new Set<string>();
  for (const namespace of objects.filter(o => o.kind === 'Namespace' && o.apiVersion === 'v1')) {
    if (!await namespaceExists(options, namespace.metadata.name)) missing.add(namespace.metadata.name);
  }
  const added = objects.filter(o => o.metadata.namespace !== undefined && missing.has(o.metadata.namespace));
  const rest = objects.filter(o => !added.includes(o));
  const live = await runKubectlDiff(options, command, missing.size === 0 ? { files: command.files } : { input: streamInput(rest) });
  const diff = diffManifests([], added);
  return inFileOrder({ objects: [...live.objects, ...diff.objects], restarts: live.restarts }, objects);
}

/** What `kubectl diff` reads: the deployment's files, or the objects through its standard input. */
type DiffInput = { readonly files: string[] } | { readonly input: string };

/** Runs `kubectl diff` with our program as its external diff, and returns the program's answer. */
async function runKubectlDiff(options: LiveDiffOptions, command: PruneCommand, what: DiffInput): Promise<ManifestDiff> {
  fs.mkdirSync(options.secretsFolder, { recursive: true, mode: 0o700 });
  removeWorkFolders(options.secretsFolder);
  const work = fs.mkdtempSync(path.join(options.secretsFolder, `${WORK_FOLDER_PREFIX}${process.pid}-`));
  try {
    // kubectl splits KUBECTL_EXTERNAL_DIFF at spaces and drops any word but plain flags, so the program is a script
    // at a path without spaces: in the work folder, named from the working folder (kubectl runs it from there). Not
    // in the system's temporary folder, which may be mounted noexec or have a space in its path.
    const program = path.join(path.relative(process.cwd(), work), PROGRAM);
    if (/\s/.test(program)) throw new ConfigError(`the Secrets folder ${options.secretsFolder} has a space in its path, which kubectl cannot run a diff program from: use another folder`);
    const bundle = path.join(projectRoot(), 'build', 'bin', 'kubectl-diff-program.js');
    fs.writeFileSync(program, `#!/bin/sh\nexec ${shellWord(process.execPath)} ${shellWord(bundle)} "$@"\n`, { mode: 0o700 });
    const prune = options.prune ? command.argv.slice(command.argv.indexOf('--prune')) : [];
    const sources = 'files' in what ? what.files.flatMap(file => ['-f', file]) : ['-f', '-'];
    const result = await runKubectl(options, ['diff', ...sources, ...prune], {
      input: 'input' in what ? what.input : undefined, env: { KUBECTL_EXTERNAL_DIFF: program, TMPDIR: work },
    });
    if (result.status === 0 || result.status === 1) return parseProgramOutput(result.stdout);
    // When the program fails, kubectl's last line only says so (`failed to run "<program>": exit status 2`); the
    // program's own error is the line before.
    const stderr = result.stderr.replace(new RegExp(`\\n?error: failed to run "[^"\\n]*${PROGRAM}": exit status \\d+\\s*$`), '');
    throw kubectlError(`kubectl diff of ${command.files.join(' and ')}`, stderr, options);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The diff with its objects in the order of `objects` (kubectl's come by file name), those not among them last. */
function inFileOrder(diff: ManifestDiff, objects: ManifestObject[]): ManifestDiff {
  const ids = objects.map(objectId);
  const rank = (id: string) => (ids.includes(id) ? ids.indexOf(id) : ids.length);
  return { objects: [...diff.objects].sort((a, b) => rank(a.id) - rank(b.id)), restarts: [...diff.restarts].sort((a, b) => rank(a.workload) - rank(b.workload)) };
}

async function namespaceExists(options: KubectlOptions, name: string): Promise<boolean> {
  const result = await runKubectl(options, ['get', 'namespace', name]);
  if (result.status === 0) return true;
  if (/\(NotFound\)/.test(result.stderr)) return false;
  throw kubectlError(`kubectl get namespace ${name}`, result.stderr, options);
}

/** Removes what earlier runs, killed before they cleaned up, left in the secrets folder. */
function removeWorkFolders(secretsFolder: string): void {
  for (const name of fs.readdirSync(secretsFolder).filter(n => n.startsWith(WORK_FOLDER_PREFIX))) {
    // A folder of a run that is still going (another `npm run diff -- --live` beside this one) stays. Pid 0 is no
    // process: signalling it would signal our own process group.
    const pid = Number(/^(\d+)-/.exec(name.slice(WORK_FOLDER_PREFIX.length))?.[1]);
    if (!(pid > 0 && isRunning(pid))) fs.rmSync(path.join(secretsFolder, name), { recursive: true, force: true });
  }
}

/** Whether process `pid` runs: signal 0 tests that, and is refused (EPERM) when the process is another user's. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The program's answer. kubectl runs the program even with nothing to compare, and it always answers: no output means it did not run. */
function parseProgramOutput(stdout: string): ManifestDiff {
  try {
    return JSON.parse(stdout) as ManifestDiff;
  } catch {
    throw new ConfigError('kubectl diff printed something other than the diff program\'s answer; is KUBECTL_EXTERNAL_DIFF honoured by this kubectl?');
  }
}
