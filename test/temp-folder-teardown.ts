import * as fs from 'fs';

/** Jest's global teardown: removes the run's temporary folder and restores TMPDIR (test/temp-folder-setup.ts). */
export default function teardown(): void {
  fs.rmSync(process.env.BINDERHUB_CDK8S_TEST_TMPDIR!, { recursive: true, force: true });
  const outer = process.env.BINDERHUB_CDK8S_TEST_OUTER_TMPDIR;
  if (outer) process.env.TMPDIR = outer;
  else delete process.env.TMPDIR;
  delete process.env.BINDERHUB_CDK8S_TEST_TMPDIR;
  delete process.env.BINDERHUB_CDK8S_TEST_OUTER_TMPDIR;
}
