/**
 * The derived prune allowlist on what the real upstream chart renders: kinds the test chart does not have
 * (NetworkPolicy, StatefulSet, PersistentVolumeClaim) must be handled from the output itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BinderHub, BinderHubProps, Builder, ChartSource, DeploymentFile, ManifestObject, pruneCommand, PruneCommand, readManifestFile, Registry, SecretsMode, Tls } from '../lib/internal';
import { defineExample, exampleInputs, expectAllowlistCoversKinds, fakeTokens } from './helpers';
import { describeWithRealChart } from './real-chart';

const REGISTRY = Registry.dockerHub({ username: 'testbot', password: 'test-registry-password', imagePrefix: 'testorg/binder-test-' });

/** The pruning apply of one deployment synthesized from the real chart (its Secrets inline, chosen explicitly). */
function commandFor(chart: string, id: string, props: Partial<BinderHubProps> & Pick<BinderHubProps, 'registry'>): { objects: ManifestObject[]; command: PruneCommand } {
  const binderhub = new BinderHub(Testing.app(), id, { chart: ChartSource.local(chart), tokens: fakeTokens(id), secrets: SecretsMode.inline(), ...props });
  const objects = Testing.synth(binderhub) as ManifestObject[];
  return { objects, command: pruneCommand({ manifests: { file: `dist/${id}.k8s.yaml`, objects } }) };
}

/** The real chart's kinds that the README's hand-written allowlist missed are allowlisted, as is every other kind but two. */
function expectAllowlistCovers(objects: ManifestObject[], allowlist: string[]): void {
  expectAllowlistCoversKinds(objects, allowlist);
  expect(allowlist).toEqual(expect.arrayContaining(['networking.k8s.io/v1/NetworkPolicy', 'apps/v1/StatefulSet']));
}

describeWithRealChart('the derived prune allowlist', chart => {
  test('a plain deployment: every kind the chart renders, but the namespace and the hub database claim', () => {
    const { objects, command } = commandFor(chart, 'plain', { registry: REGISTRY });
    expect(command.allowlist).toEqual([
      'apps/v1/DaemonSet',
      'apps/v1/Deployment',
      'apps/v1/StatefulSet',
      'core/v1/ConfigMap',
      'core/v1/Secret',
      'core/v1/Service',
      'core/v1/ServiceAccount',
      'networking.k8s.io/v1/NetworkPolicy',
      'policy/v1/PodDisruptionBudget',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding',
    ]);
    expect(command.kept.map(k => `${k.kind} ${k.objects.join(', ')}`)).toEqual(['Namespace plain', 'PersistentVolumeClaim plain/hub-db-dir']);
    expectAllowlistCovers(objects, command.allowlist);
  });

  test('with an ingress and the host\'s builder: Ingresses too', () => {
    const { objects, command } = commandFor(chart, 'public', {
      registry: Registry.none(),
      builder: Builder.host(),
      ingress: {
        binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx',
        binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt' }), hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
      },
    });
    expect(command.allowlist).toContain('networking.k8s.io/v1/Ingress');
    expect(command.kept.map(k => k.kind)).toEqual(['Namespace', 'PersistentVolumeClaim']);
    expectAllowlistCovers(objects, command.allowlist);
  });

  describe('the example (staging\'s Secrets kept apart, prod\'s sealed)', () => {
    let files: Record<string, DeploymentFile>;
    beforeAll(() => {
      const { app } = defineExample({ ...exampleInputs(), chart: ChartSource.local(chart) });
      app.synth();
      files = Object.fromEntries(fs.readdirSync(app.outdir).map(f => [f, { file: f, objects: readManifestFile(path.join(app.outdir, f)) }]));
    });

    test('staging: its Secrets from the second file are allowlisted', () => {
      const command = pruneCommand({ manifests: files['staging.k8s.yaml'], secrets: files['staging-secrets.k8s.yaml'] });
      expect(command.files).toEqual(['staging.k8s.yaml', 'staging-secrets.k8s.yaml']);
      expect(command.allowlist).toContain('core/v1/Secret');
      expectAllowlistCovers([...files['staging.k8s.yaml'].objects, ...files['staging-secrets.k8s.yaml'].objects], command.allowlist);
    });

    test('prod: SealedSecrets, no plain Secrets (the controller\'s Secrets are not kubectl\'s to prune)', () => {
      const command = pruneCommand({ manifests: files['prod.k8s.yaml'] });
      expect(command.allowlist).toContain('bitnami.com/v1alpha1/SealedSecret');
      expect(command.allowlist).not.toContain('core/v1/Secret');
      expect(command.kept.map(k => `${k.kind} ${k.objects.join(', ')}`)).toEqual(['Namespace binderhub-prod', 'PersistentVolumeClaim binderhub-prod/hub-db-dir']);
      expectAllowlistCovers(files['prod.k8s.yaml'].objects, command.allowlist);
    });
  });
});
