import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Jest's global setup: every temporary file of the test run (the tests' own folders, helm's, the example's
 * secrets) goes into one folder, which test/temp-folder-teardown.ts removes when the run ends. Workers inherit
 * TMPDIR from this process; the teardown puts the caller's TMPDIR back, so a process that runs jest again (the
 * mutation test runner does, once per mutant) makes its next folder where the first one was made.
 */
export default function setup(): void {
  process.env.BINDERHUB_CDK8S_TEST_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'binderhub-cdk8s-test-'));
  process.env.BINDERHUB_CDK8S_TEST_TMPDIR = folder;
  process.env.TMPDIR = folder;
  // The chart cache too (XDG_CACHE_HOME): no test reads or fills the user's.
  process.env.XDG_CACHE_HOME = path.join(folder, 'cache');
}
