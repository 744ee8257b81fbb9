/** The steps of `npm run apply` (lib/apply-plan.ts); test/rollout.test.ts covers the waits that follow them. */
import { applyPlan, ManifestObject, streamInput } from '../lib';

const LABEL = 'binderhub-cdk8s.io/deployment';

function object(apiVersion: string, kind: string, name: string, namespace: string | null = 'prod', extra: object = {}): ManifestObject {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels: { [LABEL]: 'prod' } }, ...extra };
}

const manifests = {
  file: 'dist/prod.k8s.yaml',
  objects: [
    object('v1', 'Namespace', 'prod', null),
    object('v1', 'ConfigMap', 'binder-hub-url'),
    object('apps/v1', 'Deployment', 'hub'),
    object('apps/v1', 'DaemonSet', 'prod-dind'),
    object('v1', 'Secret', 'inline-secret', 'prod', { data: { token: 'c2VjcmV0LXZhbHVl' } }),
    object('apps/v1', 'StatefulSet', 'db'),
    object('v1', 'PersistentVolumeClaim', 'hub-db-dir'),
    object('bitnami.com/v1alpha1', 'SealedSecret', 'sealed'),
  ],
};
const secrets = { file: 'dist-secrets/prod-secrets.k8s.yaml', objects: [object('v1', 'Secret', 'hub'), object('v1', 'Secret', 'binder-secret')] };

describe('applyPlan', () => {
  test('applies the Namespace first, then Secrets and what makes them, in kind order, from both files', () => {
    const plan = applyPlan({ manifests, secrets }, false);
    expect(plan.first.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/prod', 'Secret/inline-secret', 'Secret/hub', 'Secret/binder-secret', 'SealedSecret/sealed',
    ]);
  });

  test('without --prune, the second apply is both files and nothing else', () => {
    expect(applyPlan({ manifests, secrets }, false).applyArgs).toEqual(['apply', '-f', 'dist/prod.k8s.yaml', '-f', 'dist-secrets/prod-secrets.k8s.yaml']);
  });

  test('with --prune, the second apply is the prune command of npm run prune-command, without Namespace and PVC in its allowlist', () => {
    expect(applyPlan({ manifests, secrets }, true).applyArgs).toEqual([
      'apply', '-f', 'dist/prod.k8s.yaml', '-f', 'dist-secrets/prod-secrets.k8s.yaml', '--prune', '-l', `${LABEL}=prod`,
      '--prune-allowlist=apps/v1/DaemonSet', '--prune-allowlist=apps/v1/Deployment', '--prune-allowlist=apps/v1/StatefulSet',
      '--prune-allowlist=bitnami.com/v1alpha1/SealedSecret', '--prune-allowlist=core/v1/ConfigMap', '--prune-allowlist=core/v1/Secret',
    ]);
  });

  test('waits for Deployments, DaemonSets and StatefulSets in file order, as kubectl rollout status names them', () => {
    expect(applyPlan({ manifests, secrets }, false).workloads).toEqual([
      { resource: 'deployment', name: 'hub', namespace: 'prod' },
      { resource: 'daemonset', name: 'prod-dind', namespace: 'prod' },
      { resource: 'statefulset', name: 'db', namespace: 'prod' },
    ]);
  });

  test('a DaemonSet or StatefulSet with the OnDelete strategy is not waited for (rollout status refuses it); a Deployment always is', () => {
    const onDelete = { spec: { updateStrategy: { type: 'OnDelete' } } };
    const files = { file: 'dist/x.k8s.yaml', objects: [object('apps/v1', 'DaemonSet', 'puller', 'prod', onDelete), object('apps/v1', 'StatefulSet', 'db', 'prod', onDelete),
      object('apps/v1', 'StatefulSet', 'placeholder', 'prod', { spec: { updateStrategy: { type: 'RollingUpdate' } } }), object('apps/v1', 'Deployment', 'hub', 'prod', onDelete)] };
    const plan = applyPlan({ manifests: files }, false);
    expect(plan.workloads).toEqual([{ resource: 'statefulset', name: 'placeholder', namespace: 'prod' }, { resource: 'deployment', name: 'hub', namespace: 'prod' }]);
    expect(plan.notWaited).toEqual([{ resource: 'daemonset', name: 'puller', namespace: 'prod' }, { resource: 'statefulset', name: 'db', namespace: 'prod' }]);
  });

  test('a Deployment of another API group is not waited for: rollout status knows only apps/v1', () => {
    const other = { file: 'dist/x.k8s.yaml', objects: [object('example.org/v1', 'Deployment', 'custom')] };
    expect(applyPlan({ manifests: other }, false).workloads).toEqual([]);
  });

  test('with External Secrets, the secrets file is neither applied first nor in the second apply', () => {
    const external = { ...manifests, objects: [...manifests.objects.filter(o => o.kind !== 'Secret'), object('external-secrets.io/v1', 'ExternalSecret', 'hub')] };
    const plan = applyPlan({ manifests: external, secrets }, false);
    expect(plan.first.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/prod', 'SealedSecret/sealed', 'ExternalSecret/hub']);
    expect(plan.applyArgs).toEqual(['apply', '-f', 'dist/prod.k8s.yaml']);
    expect(plan.command.skipped.map(s => s.file)).toEqual(['dist-secrets/prod-secrets.k8s.yaml']);
  });

  test('an object without the deployment label is refused before anything is applied', () => {
    const unlabelled = { file: 'dist/prod.k8s.yaml', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'prod' } }] };
    expect(() => applyPlan({ manifests: unlabelled }, false)).toThrow('dist/prod.k8s.yaml: ConfigMap prod/x has no label binderhub-cdk8s.io/deployment');
  });
});

describe('streamInput', () => {
  test('is a YAML stream with one JSON document per object, for kubectl apply -f -', () => {
    expect(streamInput([object('v1', 'Namespace', 'prod', null), object('v1', 'Secret', 's')])).toBe(
      `---\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod","labels":{"${LABEL}":"prod"}}}\n`
      + `---\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"prod","labels":{"${LABEL}":"prod"}}}\n`);
  });
});
