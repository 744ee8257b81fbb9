/**
 * kubectl for in-process tests of lib/kubectl*.ts and their callers: a script standing in for kubectl (to answer as
 * kubectl would in a case the fake API server cannot make), and the real pinned kubectl behind a wrapper that records
 * each call.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KubectlOptions, toolPath } from '../../lib/internal';
import { writeKubeconfig } from './fake-kube-api';

/** Writes an executable shell script `name` into `dir`, `body` after its `#!/bin/sh` line; returns its path. */
export function shellScript(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}`, { mode: 0o755 });
  return file;
}

/** The real kubectl against a fake API server, and the calls made to it so far. */
export interface RecordingKubectl {
  readonly options: KubectlOptions;
  /** Each call's arguments, space-separated, without the `--kubeconfig <file>` every one of them starts with. */
  readonly calls: () => string[];
}

/**
 * The real pinned kubectl against `server` (a fake API server's URL, through a kubeconfig written into `dir`), run by
 * a wrapper in `dir` that keeps kubectl's discovery cache there and records each call's arguments.
 */
export function recordingKubectl(dir: string, server: string): RecordingKubectl {
  const kubeconfig = writeKubeconfig(dir, server);
  const log = path.join(dir, 'calls');
  const kubectl = shellScript(dir, 'kubectl', `printf '%s\\n' "$*" >> "${log}"\nKUBECACHEDIR="${dir}/cache" exec "${toolPath('kubectl')}" "$@"\n`);
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').split('\n').filter(Boolean).map(line => line.replace(`--kubeconfig ${kubeconfig} `, ''));
  return { options: { kubectl, kubeconfig }, calls };
}
