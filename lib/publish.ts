import * as fs from 'fs';
import * as path from 'path';

/** What `publishManifests` changed in the output folder. */
export interface PublishResult {
  /** Files whose content changed or that are new. */
  readonly written: string[];
  /** Files already identical, left untouched. */
  readonly unchanged: string[];
  /** Manifests that the synth no longer produces, removed. */
  readonly removed: string[];
}

const MANIFEST = /\.k8s\.ya?ml$/;

/**
 * Copies the manifests synthesized into `stagingDir` into `outDir`, each by writing a temporary file beside
 * its target and renaming it over the target, so a reader (or a crash) sees the old file or the new one,
 * never half of one. Manifests in `outDir` that the synth no longer produces are removed; other files there
 * are left alone.
 */
export function publishManifests(stagingDir: string, outDir: string): PublishResult {
  fs.mkdirSync(outDir, { recursive: true });
  const produced = fs.readdirSync(stagingDir).filter(name => MANIFEST.test(name)).sort();
  const result: PublishResult = { written: [], unchanged: [], removed: [] };
  for (const name of produced) {
    const content = fs.readFileSync(path.join(stagingDir, name));
    const target = path.join(outDir, name);
    if (fs.existsSync(target) && fs.readFileSync(target).equals(content)) {
      result.unchanged.push(target);
      continue;
    }
    writeFileAtomic(target, content);
    result.written.push(target);
  }
  for (const name of fs.readdirSync(outDir).filter(n => MANIFEST.test(n) && !produced.includes(n)).sort()) {
    fs.rmSync(path.join(outDir, name));
    result.removed.push(path.join(outDir, name));
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
