import * as fs from 'fs';

/** Jest's global teardown: removes the run's temporary folder (test/temp-folder-setup.ts). */
export default function teardown(): void {
  fs.rmSync(process.env.BINDERHUB_CDK8S_TEST_TMPDIR!, { recursive: true, force: true });
}
