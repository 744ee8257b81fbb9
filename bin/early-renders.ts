/**
 * Not a command: what bin/binderhub-cdk8s.js loads, before the bundle of a command that synthesizes, to start helm on
 * the calls the previous synth left beside the secrets files while node loads the libraries and compiles main.ts
 * (lib/chart/early-renders.ts says which calls run and how their results are used). A bundle of its own, small, so
 * helm starts a few milliseconds after node.
 */
import * as path from 'path';
import { RENDER_PLAN_FILE, startEarlyRenders } from '../lib/chart/early-renders';
import { privateFolderProblem } from '../lib/core/paths';
import { DEFAULT_SECRETS_DIR } from '../lib/secrets/secrets-folder';

export function start(): void {
  // Not through a link into the project (the command itself then refuses to run, naming it).
  if (privateFolderProblem(DEFAULT_SECRETS_DIR) === undefined) startEarlyRenders(path.join(DEFAULT_SECRETS_DIR, RENDER_PLAN_FILE));
}
