/** The steps of `npm run apply` (lib/cluster/apply-plan.ts); test/rollout.test.ts covers the waits that follow them. */
import { applyPlan, checkApplyComplete, ConfigError, ManifestObject, missingFromApply, streamInput } from '../lib/internal';

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

  test('a DaemonSet or StatefulSet with a spec but no updateStrategy, or one without a type, is waited for (RollingUpdate is the default)', () => {
    const files = { file: 'dist/x.k8s.yaml', objects: [
      object('apps/v1', 'DaemonSet', 'puller', 'prod', { spec: { template: {} } }),
      object('apps/v1', 'StatefulSet', 'db', 'prod', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }),
    ] };
    const plan = applyPlan({ manifests: files }, false);
    expect(plan.workloads).toEqual([{ resource: 'daemonset', name: 'puller', namespace: 'prod' }, { resource: 'statefulset', name: 'db', namespace: 'prod' }]);
    expect(plan.notWaited).toEqual([]);
  });

  test('a workload without a namespace (a hand-edited file) is refused: kubectl would put it in the context\'s namespace, where the wait would not look', () => {
    const edited = { file: 'dist/prod.k8s.yaml', objects: [...manifests.objects, object('apps/v1', 'Deployment', 'stray', null)] };
    expect(() => applyPlan({ manifests: edited, secrets }, false)).toThrow(new ConfigError(
      'Deployment stray in dist/prod.k8s.yaml and dist-secrets/prod-secrets.k8s.yaml has no metadata.namespace: '
      + 'run `npm run synth` again instead of editing the files by hand'));
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

describe('missingFromApply and checkApplyComplete', () => {
  /** Every BinderHub object but its two Secrets, which are in the Secrets file. */
  const core = [
    object('v1', 'Namespace', 'prod', null), object('apps/v1', 'Deployment', 'binder'), object('apps/v1', 'Deployment', 'hub'),
    object('apps/v1', 'Deployment', 'proxy'), object('v1', 'Service', 'proxy-public'),
  ];
  const manifestsFile = (objects: ManifestObject[]) => ({ file: 'dist/prod.k8s.yaml', objects });
  const SECRETS_FILE = 'dist-secrets/prod-secrets.k8s.yaml';
  const secretsFile = (objects: ManifestObject[]) => ({ file: SECRETS_FILE, objects });

  /** The message checkApplyComplete refuses with, or undefined when it lets the apply go on. */
  function refusal(plan: ReturnType<typeof applyPlan>): string | undefined {
    try {
      checkApplyComplete(plan, SECRETS_FILE);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  }

  test('the manifests and the Secrets file together miss nothing, and the apply goes on', () => {
    const plan = applyPlan({ manifests: manifestsFile(core), secrets: secretsFile([object('v1', 'Secret', 'hub'), object('v1', 'Secret', 'binder-secret')]) }, false);
    expect(missingFromApply(plan)).toEqual([]);
    expect(refusal(plan)).toBeUndefined();
  });

  test('a SealedSecret or ExternalSecret stands in for the Secret it makes: the name its template or target gives, else its own', () => {
    const plan = applyPlan({ manifests: manifestsFile([
      ...core,
      object('bitnami.com/v1alpha1', 'SealedSecret', 'sealed-hub', 'prod', { spec: { template: { metadata: { name: 'hub' } } } }),
      object('external-secrets.io/v1', 'ExternalSecret', 'binder-secret'),
    ]) }, false);
    expect(missingFromApply(plan)).toEqual([]);
    expect(refusal(plan)).toBeUndefined();
  });

  test('an ExternalSecret with a target name makes that Secret, not one of its own name', () => {
    const plan = applyPlan({ manifests: manifestsFile([
      ...core,
      object('external-secrets.io/v1', 'ExternalSecret', 'hub', 'prod', { spec: { target: { name: 'hub-copy' } } }),
      object('bitnami.com/v1alpha1', 'SealedSecret', 'binder-secret'),
    ]) }, false);
    expect(missingFromApply(plan)).toEqual(['Secret hub']);
  });

  test('without the Secrets file, the refusal names the manifests, both Secrets and the missing file, and says to synthesize here or pass --dist-secrets', () => {
    const plan = applyPlan({ manifests: manifestsFile(core) }, false);
    expect(missingFromApply(plan)).toEqual(['Secret hub', 'Secret binder-secret']);
    expect(refusal(plan)).toBe('dist/prod.k8s.yaml hold no Secret hub, Secret binder-secret and dist-secrets/prod-secrets.k8s.yaml is missing: '
      + 'dist-secrets/ is git-ignored, so each machine writes its own: run `npm run synth` here first (with the secrets/ files), or pass --dist-secrets');
  });

  test('with the Secrets file applied but lacking a Secret, the refusal names both files and the Secret, and says to synthesize again', () => {
    const plan = applyPlan({ manifests: manifestsFile(core), secrets: secretsFile([object('v1', 'Secret', 'hub')]) }, false);
    expect(refusal(plan)).toBe('dist/prod.k8s.yaml and dist-secrets/prod-secrets.k8s.yaml hold no Secret binder-secret, which every BinderHub has: '
      + 'run `npm run synth` to write them again');
  });

  test('a manifests file without BinderHub Deployments is refused the same way, naming each', () => {
    const plan = applyPlan({
      manifests: manifestsFile(core.filter(o => o.metadata.name !== 'proxy' && o.metadata.name !== 'binder')),
      secrets: secretsFile([object('v1', 'Secret', 'hub'), object('v1', 'Secret', 'binder-secret')]),
    }, false);
    expect(refusal(plan)).toBe('dist/prod.k8s.yaml and dist-secrets/prod-secrets.k8s.yaml hold no Deployment binder, Deployment proxy, which every BinderHub has: '
      + 'run `npm run synth` to write them again');
  });
});

describe('streamInput', () => {
  test('is a YAML stream with one JSON document per object, for kubectl apply -f -', () => {
    expect(streamInput([object('v1', 'Namespace', 'prod', null), object('v1', 'Secret', 's')])).toBe(
      `---\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod","labels":{"${LABEL}":"prod"}}}\n`
      + `---\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"prod","labels":{"${LABEL}":"prod"}}}\n`);
  });
});
