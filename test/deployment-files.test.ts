/** Reading a deployment's synthesized files for `npm run apply` and `npm run diff -- --live` (lib/cluster/deployment-files.ts). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ManifestObject, readApplyPlan, readDeploymentFiles, redact } from '../lib/internal';

const LABEL = { 'binderhub-cdk8s.io/deployment': 'prod' };
const object = (apiVersion: string, kind: string, name: string, extra: object = {}): ManifestObject =>
  ({ apiVersion, kind, metadata: { name, ...(kind === 'Namespace' ? {} : { namespace: 'prod' }), labels: LABEL }, ...extra });

const MANIFESTS = [
  object('v1', 'Namespace', 'prod'), object('apps/v1', 'Deployment', 'binder'), object('apps/v1', 'Deployment', 'hub'),
  object('apps/v1', 'Deployment', 'proxy'), object('v1', 'Service', 'proxy-public'),
  // A ConfigMap may hold base64 too (a public CA certificate): it is no Secret, so nothing in it is redacted.
  object('v1', 'ConfigMap', 'settings', { data: { ca: Buffer.from('public-ca-certificate-31').toString('base64') } }),
];
const SECRETS = [
  object('v1', 'Secret', 'hub', { data: { token: Buffer.from('hub-token-value-31').toString('base64') } }),
  object('v1', 'Secret', 'binder-secret', { stringData: { password: 'registry-password-31' } }),
];

/** dist/ and dist-secrets/ in a new folder, holding the given objects of deployment prod. */
function targetsWith(manifests: ManifestObject[] | undefined, secrets: ManifestObject[] | undefined) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deployment-files-'));
  const targets = { manifests: path.join(root, 'dist'), secrets: path.join(root, 'dist-secrets') };
  const write = (dir: string, name: string, objects: ManifestObject[] | undefined) => {
    fs.mkdirSync(dir, { recursive: true });
    if (objects) fs.writeFileSync(path.join(dir, name), objects.map(o => yaml.dump(o)).join('---\n'));
  };
  write(targets.manifests, 'prod.k8s.yaml', manifests);
  write(targets.secrets, 'prod-secrets.k8s.yaml', secrets);
  return targets;
}

describe('readDeploymentFiles', () => {
  test('reads the manifests and, when there is one, the Secrets file', () => {
    const targets = targetsWith(MANIFESTS, SECRETS);
    const files = readDeploymentFiles(targets, 'prod');
    expect(files.manifests.file).toBe(path.join(targets.manifests, 'prod.k8s.yaml'));
    expect(files.manifests.objects.map(o => o.metadata.name)).toEqual(['prod', 'binder', 'hub', 'proxy', 'proxy-public', 'settings']);
    expect(files.secrets?.file).toBe(path.join(targets.secrets, 'prod-secrets.k8s.yaml'));
    expect(files.secrets?.objects.map(o => o.metadata.name)).toEqual(['hub', 'binder-secret']);
    expect(readDeploymentFiles(targetsWith(MANIFESTS, undefined), 'prod').secrets).toBeUndefined();
  });

  test('a deployment that was never synthesized is refused, saying to synthesize first', () => {
    const targets = targetsWith(undefined, SECRETS);
    expect(() => readDeploymentFiles(targets, 'prod')).toThrow(new Error(
      `${path.join(targets.manifests, 'prod.k8s.yaml')} does not exist: ${targets.manifests}/ holds no deployment; run \`npm run synth\` first if prod is new (or pass --dist)`));
  });

  test('an unknown --deployment is refused naming the deployments the folder holds, not only "run npm run synth first"', () => {
    const targets = targetsWith(MANIFESTS, SECRETS);
    fs.writeFileSync(path.join(targets.manifests, 'staging.k8s.yaml'), '');
    expect(() => readDeploymentFiles(targets, 'prdo')).toThrow(new Error(
      `${path.join(targets.manifests, 'prdo.k8s.yaml')} does not exist: ${targets.manifests}/ holds prod, staging; run \`npm run synth\` first if prdo is new (or pass --dist)`));
  });
});

describe('readApplyPlan', () => {
  test('registers the values of the Secrets for redaction, and no other object\'s', () => {
    readApplyPlan(targetsWith(MANIFESTS, SECRETS), 'prod', false);
    expect(redact('hub-token-value-31, registry-password-31, public-ca-certificate-31'))
      .toBe('***, ***, public-ca-certificate-31');
  });

  test('refuses files that lack BinderHub\'s Secrets, naming the missing file', () => {
    const targets = targetsWith(MANIFESTS, undefined);
    expect(() => readApplyPlan(targets, 'prod', false)).toThrow(path.join(targets.secrets, 'prod-secrets.k8s.yaml'));
  });
});
