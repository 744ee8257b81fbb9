/** The committed CRD types are what `cdk8s import` makes of the committed CRD files (offline). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

test('imports/ matches a fresh `cdk8s import` of crds/', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', '--output', out], {
    cwd: ROOT, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'pipe',
  });
  const generated = fs.readdirSync(out).sort();
  expect(generated).toEqual(['bitnami.com.ts', 'external-secrets.io.ts', 'gateway.networking.k8s.io.ts']);
  for (const file of generated) {
    expect(fs.readFileSync(path.join(ROOT, 'imports', file), 'utf8')).toBe(fs.readFileSync(path.join(out, file), 'utf8'));
  }
});
