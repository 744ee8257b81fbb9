/** The pruning apply derived from a deployment's objects (lib/cluster/prune.ts), on hand-made object lists. */
import { formatPruneCommand, ManifestObject, pruneAllowlist, pruneCommand } from '../lib/internal';

const LABEL = 'binderhub-cdk8s.io/deployment';

/** An object of deployment `release` (namespaced unless `namespace` is undefined). */
function object(apiVersion: string, kind: string, name: string, namespace: string | null = 'ns', release = 'prod'): ManifestObject {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels: { [LABEL]: release } } };
}

const manifests = (): ManifestObject[] => [
  object('v1', 'Namespace', 'ns', null),
  object('v1', 'ConfigMap', 'a'),
  object('v1', 'ConfigMap', 'b'),
  object('apps/v1', 'StatefulSet', 'db'),
  object('v1', 'PersistentVolumeClaim', 'hub-db-dir'),
  object('networking.k8s.io/v1', 'NetworkPolicy', 'hub'),
  object('policy/v1', 'PodDisruptionBudget', 'hub'),
  object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'prod-image-cleaner', null),
  object('bitnami.com/v1alpha1', 'SealedSecret', 'hub'),
];

describe('pruneAllowlist', () => {
  test('names each kind once, core/v1/Kind for the core group, sorted, without Namespace and PersistentVolumeClaim', () => {
    expect(pruneAllowlist(manifests())).toEqual([
      'apps/v1/StatefulSet',
      'bitnami.com/v1alpha1/SealedSecret',
      'core/v1/ConfigMap',
      'networking.k8s.io/v1/NetworkPolicy',
      'policy/v1/PodDisruptionBudget',
      'rbac.authorization.k8s.io/v1/ClusterRole',
    ]);
  });

  test('keeps versions apart, and never-pruned kinds are matched by group as well as kind', () => {
    expect(pruneAllowlist([
      object('policy/v1beta1', 'PodDisruptionBudget', 'old'),
      object('policy/v1', 'PodDisruptionBudget', 'new'),
      object('example.org/v1', 'Namespace', 'tenant'),
    ])).toEqual(['example.org/v1/Namespace', 'policy/v1/PodDisruptionBudget', 'policy/v1beta1/PodDisruptionBudget']);
  });

  test('is empty for a file of never-pruned kinds only', () => {
    expect(pruneAllowlist([object('v1', 'Namespace', 'ns', null), object('v1', 'PersistentVolumeClaim', 'data')])).toEqual([]);
  });
});

describe('pruneCommand', () => {
  test('applies the manifests with the deployment label, and lists the never-pruned kinds present with their objects', () => {
    const command = pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects: manifests() } });
    expect(command.release).toBe('prod');
    expect(command.files).toEqual(['dist/prod.k8s.yaml']);
    expect(command.skipped).toEqual([]);
    expect(command.argv).toEqual([
      'kubectl', 'apply', '-f', 'dist/prod.k8s.yaml', '--prune', '-l', 'binderhub-cdk8s.io/deployment=prod',
      '--prune-allowlist=apps/v1/StatefulSet', '--prune-allowlist=bitnami.com/v1alpha1/SealedSecret', '--prune-allowlist=core/v1/ConfigMap',
      '--prune-allowlist=networking.k8s.io/v1/NetworkPolicy', '--prune-allowlist=policy/v1/PodDisruptionBudget',
      '--prune-allowlist=rbac.authorization.k8s.io/v1/ClusterRole',
    ]);
    expect(command.kept.map(k => [k.kind, k.objects])).toEqual([['Namespace', ['ns']], ['PersistentVolumeClaim', ['ns/hub-db-dir']]]);
    expect(command.kept[0].reason).toMatch(/^pruning a Namespace deletes everything in it/);
    expect(command.kept[1].reason).toMatch(/hub-db-dir is the hub's database.*delete a claim the synth no longer produces by hand, on purpose$/);
  });

  test('applies a Secrets file as a second -f, and allowlists its Secrets', () => {
    const command = pruneCommand({
      manifests: { file: 'dist/staging.k8s.yaml', objects: [object('v1', 'Namespace', 'ns', null, 'staging'), object('v1', 'Service', 'binder', 'ns', 'staging')] },
      secrets: { file: 'dist-secrets/staging-secrets.k8s.yaml', objects: [object('v1', 'Secret', 'hub', 'ns', 'staging')] },
    });
    expect(command.argv).toEqual([
      'kubectl', 'apply', '-f', 'dist/staging.k8s.yaml', '-f', 'dist-secrets/staging-secrets.k8s.yaml', '--prune', '-l', 'binderhub-cdk8s.io/deployment=staging',
      '--prune-allowlist=core/v1/Secret', '--prune-allowlist=core/v1/Service',
    ]);
  });

  test('leaves out the Secrets file of ExternalSecrets, which is for the secret store, and says why', () => {
    const command = pruneCommand({
      manifests: { file: 'dist/ext.k8s.yaml', objects: [object('external-secrets.io/v1', 'ExternalSecret', 'hub', 'ns', 'ext')] },
      secrets: { file: 'dist-secrets/ext-secrets.k8s.yaml', objects: [object('v1', 'Secret', 'hub', 'ns', 'ext')] },
    });
    expect(command.files).toEqual(['dist/ext.k8s.yaml']);
    expect(command.allowlist).toEqual(['external-secrets.io/v1/ExternalSecret']);
    expect(command.skipped).toEqual([{
      file: 'dist-secrets/ext-secrets.k8s.yaml',
      reason: 'it holds what to load into the secret store; the External Secrets Operator creates these Secrets in the cluster',
    }]);
  });

  test('takes the label value, not the file name, as the release', () => {
    expect(pruneCommand({ manifests: { file: 'dist/eu.k8s.yaml', objects: [object('v1', 'Service', 's', 'ns', 'binder-eu')] } }).argv)
      .toContain('binderhub-cdk8s.io/deployment=binder-eu');
  });

  test('fails, naming the file and object, on an object without the label (kubectl apply -l would skip it)', () => {
    const unlabelled: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extra', namespace: 'ns' } };
    expect(() => pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects: [...manifests(), unlabelled] } })).toThrow(
      'dist/prod.k8s.yaml: Service ns/extra has no label binderhub-cdk8s.io/deployment, so a pruning apply (-l) would skip it: run `npm run synth` to write the file again');
  });

  test('fails on objects of two deployments, naming both', () => {
    expect(() => pruneCommand({
      manifests: { file: 'dist/prod.k8s.yaml', objects: manifests() },
      secrets: { file: 'dist-secrets/prod-secrets.k8s.yaml', objects: [object('v1', 'Secret', 'hub', 'ns', 'staging')] },
    })).toThrow('dist-secrets/prod-secrets.k8s.yaml: Secret ns/hub has binderhub-cdk8s.io/deployment=staging, but dist/prod.k8s.yaml: Namespace ns has prod: '
      + 'one file holds one deployment; run `npm run synth` to write it again');
  });

  test('fails on a file without objects', () => {
    expect(() => pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects: [] } }))
      .toThrow('dist/prod.k8s.yaml holds no objects: run `npm run synth` to write it again');
  });
});

describe('formatPruneCommand', () => {
  test('one allowlist entry a line, then a shell comment per file left out and per never-pruned kind', () => {
    const text = formatPruneCommand(pruneCommand({
      manifests: { file: 'dist/ext.k8s.yaml', objects: [
        object('v1', 'Namespace', 'ns', null, 'ext'), object('external-secrets.io/v1', 'ExternalSecret', 'hub', 'ns', 'ext'), object('v1', 'ConfigMap', 'c', 'ns', 'ext'),
      ] },
      secrets: { file: 'dist-secrets/ext-secrets.k8s.yaml', objects: [object('v1', 'Secret', 'hub', 'ns', 'ext')] },
    }));
    expect(text).toBe([
      'kubectl apply -f dist/ext.k8s.yaml --prune -l binderhub-cdk8s.io/deployment=ext \\',
      '  --prune-allowlist=core/v1/ConfigMap \\',
      '  --prune-allowlist=external-secrets.io/v1/ExternalSecret',
      '# not applied: dist-secrets/ext-secrets.k8s.yaml: it holds what to load into the secret store; the External Secrets Operator creates these Secrets in the cluster',
      '# never pruned: Namespace ns: pruning a Namespace deletes everything in it; delete it by hand when the deployment goes away',
      '',
    ].join('\n'));
  });

  test('a never-pruned kind with several objects lists them all on its comment line, comma-separated, with the reason', () => {
    const text = formatPruneCommand(pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects: [
      object('v1', 'PersistentVolumeClaim', 'hub-db-dir'), object('v1', 'ConfigMap', 'c'), object('v1', 'PersistentVolumeClaim', 'data', 'other'),
    ] } }));
    expect(text.split('\n').filter(line => line.startsWith('#'))).toEqual([
      '# never pruned: PersistentVolumeClaim ns/hub-db-dir, other/data: a claim holds state that pruning would delete for good '
      + '(hub-db-dir is the hub\'s database: its users, their servers and tokens); delete a claim the synth no longer produces by hand, on purpose',
    ]);
  });

  test('quotes a file name the shell would split', () => {
    const text = formatPruneCommand(pruneCommand({ manifests: { file: "my dist/it's.k8s.yaml", objects: [object('v1', 'ConfigMap', 'c')] } }));
    expect(text.split('\n')[0]).toBe(`kubectl apply -f 'my dist/it'\\''s.k8s.yaml' --prune -l binderhub-cdk8s.io/deployment=prod \\`);
  });
});
