import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE } from './manifest-files';

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

/** Where each synthesized manifest in `stagingDir` belongs, with its content, sorted by name. */
export function plannedFiles(stagingDir: string, targets: PublishTargets): PlannedFile[] {
  return fs.readdirSync(stagingDir).filter(name => MANIFEST_FILE.test(name)).sort().map(name => {
    const secret = SECRETS_FILE.test(name);
    return { target: path.join(secret ? targets.secrets : targets.manifests, name), content: fs.readFileSync(path.join(stagingDir, name)), secret };
  });
}

/** The manifests that stand in the target folders now (a secrets folder holds only `*-secrets.k8s.yaml`). */
export function publishedFiles(targets: PublishTargets): string[] {
  const list = (dir: string, pattern: RegExp) => fs.existsSync(dir) ? fs.readdirSync(dir).filter(n => pattern.test(n)).map(n => path.join(dir, n)) : [];
  return [...list(targets.manifests, MANIFEST_FILE), ...list(targets.secrets, SECRETS_FILE)].sort();
}

/**
 * Copies the manifests synthesized into `stagingDir` to their targets, each by writing a temporary file beside
 * it and renaming it over the target, so a reader (or a crash) sees the old file or the new one, never half of
 * one. Files of Secrets go to the secrets folder, readable by the owner only. Manifests the synth no longer
 * produces are removed; other files are left alone.
 */
export function publishManifests(stagingDir: string, targets: PublishTargets): PublishResult {
  const result: PublishResult = { written: [], unchanged: [], removed: [] };
  const planned = plannedFiles(stagingDir, targets);
  for (const { target, content, secret } of planned) {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: secret ? 0o700 : 0o755 });
    if (fs.existsSync(target) && fs.readFileSync(target).equals(content)) {
      result.unchanged.push(target);
      continue;
    }
    writeFileAtomic(target, content, secret ? 0o600 : 0o644);
    result.written.push(target);
  }
  const produced = new Set(planned.map(file => file.target));
  for (const file of publishedFiles(targets).filter(f => !produced.has(f))) {
    fs.rmSync(file);
    result.removed.push(file);
  }
  return result;
}

/** Replaces `target` with `content` through a temporary file in the same folder and a rename. */
export function writeFileAtomic(target: string, content: string | Buffer, mode = 0o644): void {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.rmSync(temp, { force: true }); // a leftover from a crash would keep its old mode
  try {
    fs.writeFileSync(temp, content, { mode, flag: 'wx' });
    fs.renameSync(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
