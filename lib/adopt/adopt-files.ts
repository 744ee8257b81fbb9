import * as fs from 'fs';
import * as path from 'path';
import { AdoptionPlan } from './adopt';
import { isAdoptedModuleText, mainTsLines } from './adopt-module';
import { ConfigError } from '../core/errors';
import { readInputText } from '../core/input-files';
import { isWithin, realPath } from '../core/paths';
import { fileSystemError, writeFileAtomic, writeNewFile } from '../output/publish';

/** A file `npm run adopt` writes. */
export interface AdoptedFile {
  readonly target: string;
  readonly content: string;
  /** Whether it holds secrets: mode 0600 in a folder of mode 0700 (else 0644, in a folder of 0755). */
  readonly secret?: boolean;
}

/**
 * Fails, before anything is written, if `file` (`shown` as the user named it) cannot be written as adopt writes it:
 * something other than a regular file stands there, or a file stands where one of its folders should be; or it
 * exists and `force` is not given.
 */
export function checkAdoptTarget(file: string, force: boolean, shown = file): void {
  if (existingFile(file, shown) && !force) throw new ConfigError(`${shown} exists already (another deployment of that name?); pick another --name or --out, or pass --force to replace it`);
}

/** Whether a regular file stands at `file`; fails if something else does, or a file stands where a folder of it should. */
function existingFile(file: string, shown: string): boolean {
  const folder = nearestExisting(path.dirname(file));
  if (!fs.statSync(folder).isDirectory()) throw new ConfigError(`${folder} is a file where a folder of ${shown} should be; move it away, or pick another --name or --out`);
  const stats = fs.lstatSync(file, { throwIfNoEntry: false });
  if (stats !== undefined && !stats.isFile()) {
    throw new ConfigError(`${shown} is ${stats.isSymbolicLink() ? 'a symbolic link' : stats.isDirectory() ? 'a folder' : 'no regular file'}, which adopt does not replace; move it away, or pick another --name or --out`);
  }
  return stats !== undefined;
}

/**
 * Fails, before anything is written, unless the module can go to `out`: a .ts file inside the project folder
 * `project`, where no file stands but a module adopt wrote (replaced only with `force`), never a source of the
 * project or a file elsewhere. Returns the path to write: `out` resolved through `..` and the symbolic links of
 * the folders that exist, the path that was checked.
 */
export function checkModuleTarget(out: string, project: string, force: boolean): string {
  if (!out.endsWith('.ts')) throw new ConfigError(`--out "${out}" must name a .ts file`);
  const target = resolvedPath(out);
  const realProject = fs.realpathSync(project);
  if (target === realProject || !isWithin(target, realProject)) {
    throw new ConfigError(`--out ${out} is outside the project folder ${path.resolve(project)}; adopt writes modules only inside it (such as deployments/<name>.ts)`);
  }
  if (existingFile(target, out) && !isAdoptedModuleText(readInputText(target, { fix: 'pick another --out' }))) {
    throw new ConfigError(`${out} was not written by adopt (it lacks the header of adopt's modules), so adopt never replaces it, even with --force; pick another --out`);
  }
  checkAdoptTarget(target, force, out);
  return target;
}

/** `file` as an absolute path whose folders have their symbolic links resolved (the file itself is checked apart). */
function resolvedPath(file: string): string {
  const absolute = path.resolve(file);
  return path.join(realPath(path.dirname(absolute)), path.basename(absolute));
}

/** `folder`, or the nearest folder above it that exists. */
function nearestExisting(folder: string): string {
  let dir = folder;
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * Writes `files` all or none: each is created (with `force`, replaced: the old one kept aside by a hard link), in
 * order; if one fails (a full disk, a file created meanwhile), those written are removed or put back, so a second
 * run finds things as the first did. Check the targets with `checkAdoptTarget` first.
 */
export function writeAdoptedFiles(files: ReadonlyArray<AdoptedFile>, force: boolean): void {
  const done: Array<{ target: string; backup?: string }> = [];
  try {
    for (const file of files) done.push(writeAdoptedFile(file, force));
  } catch (error) {
    for (const { target, backup } of done) {
      if (backup) fs.renameSync(backup, target); else fs.rmSync(target, { force: true });
    }
    throw fileSystemError(error, 'adopt wrote nothing');
  }
  for (const { backup } of done) if (backup) fs.rmSync(backup, { force: true });
}

/** Writes one file; returns where the file it replaced was kept, if it replaced one. */
function writeAdoptedFile(file: AdoptedFile, force: boolean): { target: string; backup?: string } {
  const mode = file.secret ? 0o600 : 0o644;
  fs.mkdirSync(path.dirname(file.target), { recursive: true, mode: file.secret ? 0o700 : 0o755 });
  if (force && fs.existsSync(file.target)) {
    const backup = path.join(path.dirname(file.target), `.${path.basename(file.target)}.${process.pid}.old`);
    fs.rmSync(backup, { force: true });
    fs.linkSync(file.target, backup);
    try {
      writeFileAtomic(file.target, file.content, mode);
    } catch (error) {
      fs.rmSync(backup, { force: true });
      throw error;
    }
    return { target: file.target, backup };
  }
  if (!writeNewFile(file.target, file.content, mode)) throw new ConfigError(`${file.target} was created meanwhile; run adopt again`);
  return { target: file.target };
}

/** What adopt wrote, as `adoptionReport` says it: the files, and the tokens generated or read from the live release. */
export interface AdoptionWritten {
  readonly secretsFile: string;
  /** The module, as --out named it. */
  readonly out: string;
  /** The module's path inside the project folder, as main.ts imports it. */
  readonly modulePath: string;
  /** The hub URL record, when the plan's hub URL is a discovered one. */
  readonly record?: string;
  readonly generated: readonly string[];
  readonly fromCluster: readonly string[];
}

/** The lines adopt prints once it wrote the files: what, which tokens were generated, what was replaced; never a value of the secrets file. */
export function adoptionReport(plan: AdoptionPlan, written: AdoptionWritten): string[] {
  const lines: string[] = [];
  const found = Object.keys(plan.tokens).filter(token => !written.fromCluster.includes(token));
  const credentials = Object.keys(plan.credentials);
  lines.push(`wrote ${written.secretsFile} (mode 0600): tokens ${found.length ? `${found.join(', ')} from the values files` : 'none from the values files'}`
    + `${written.fromCluster.length ? `; ${written.fromCluster.join(', ')} from Secret hub of the live release` : ''}`
    + `${written.generated.length ? `; generated ${written.generated.join(', ')} (as init-secrets does)` : ''}`
    + `; credentials ${credentials.length ? credentials.join(', ') : 'none'}`);
  if (written.generated.includes('cookieSecret')) lines.push('  a new cookieSecret signs users out once, when the adopted deployment is first applied');
  const location = [plan.releaseName && `release ${plan.releaseName}`, plan.namespace && `namespace ${plan.namespace}`].filter(Boolean).map(l => `${l}, `).join('');
  lines.push(`wrote ${written.out}: ${location}Registry.${plan.registry.factory}, Builder.${plan.builder.factory}()${plan.ingress ? ', ingress' : ''}`
    // A discovered hub URL is no prop of the module: the app gives the deployment its record (the line below).
    + `${plan.hubUrl?.kind === 'fixed' ? ', hubUrl' : ''}, ${Object.keys(plan.chartValues).length} top-level chartValues`);
  if (written.record) lines.push(`recorded the hub URL ${plan.hubUrl!.url} in ${written.record}: commit it, so the next synth keeps it`);
  if (plan.notes.length > 0) {
    lines.push('settings replaced or not carried over (also listed in the module):');
    for (const note of plan.notes) lines.push(`  - ${note.setting}: ${note.outcome}`);
  }
  lines.push(`add it to the app: ${mainTsLines(plan.name, written.modulePath)}`);
  return lines;
}
