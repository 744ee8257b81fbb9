import { spawnSync } from 'child_process';
import * as path from 'path';
import setupTempFolder from './temp-folder-setup';

/**
 * Jest's global setup: the run's temporary folder (test/temp-folder-setup.ts), then the command bundles that the
 * end-to-end tests run (scripts/run.js), built if a source changed since the last build. Otherwise the first test
 * to start a command would build them, with whatever time it had left, and tests started meanwhile in other workers
 * would build them again: a test would then pass or fail by the order the tests run in. A build that fails (a type
 * error) is reported here; the tests that need the bundles then fail with tsc's message, and the others still run.
 */
export default function setup(): void {
  setupTempFolder();
  const root = path.join(__dirname, '..');
  const build = spawnSync(process.execPath, ['-e', 'require("./scripts/compile").buildIfStale()'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(`global setup: the command bundles did not build; the tests that run commands will fail:\n${build.stdout}${build.stderr}\n`);
  }
}
