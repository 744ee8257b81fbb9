import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BinderHub, checkManifests, ChartSource, DEPLOYMENT_LABEL, knownKindChecker, ManifestObject, pruneCommand, readManifestFile } from '../lib/internal';
import { defineExample, exampleInputs, expectAllowlistCoversKinds, fakeTokens, find, FIXTURE_CHART, synthBinderHub, TEST_REGISTRY, thrownMessage } from './helpers';

/** The example's dist/ files, as `npm run synth` writes them, one list of objects per file. */
function exampleDist(): Record<string, ManifestObject[]> {
  const { app } = defineExample(exampleInputs());
  app.synth();
  return Object.fromEntries(fs.readdirSync(app.outdir).map(f => [f, readManifestFile(path.join(app.outdir, f))]));
}

const check = (objects: ManifestObject[], userProvided?: string[]) => checkManifests(objects, { isKnownKind: knownKindChecker(), userProvided });

describe('the example dist/', () => {
  const files = exampleDist();
  const all = Object.values(files).flat();

  test('passes the apply-ready check', () => {
    expect(Object.keys(files).sort()).toEqual(['prod-delivery.k8s.yaml', 'prod.k8s.yaml', 'staging-secrets.k8s.yaml', 'staging.k8s.yaml']);
    expect(check(all)).toEqual([]);
  });

  test('each file creates its namespace first', () => {
    expect(files['prod.k8s.yaml'][0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'binderhub-prod' } });
    expect(files['staging.k8s.yaml'][0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'binderhub-staging' } });
  });

  test('cluster-scoped objects carry no namespace, namespaced ones their deployment\'s', () => {
    const prod = files['prod.k8s.yaml'];
    expect(find(prod, 'ClusterRole', 'prod-image-cleaner').metadata.namespace).toBeUndefined();
    expect(find(prod, 'ClusterRoleBinding', 'prod-image-cleaner').metadata.namespace).toBeUndefined();
    expect(find(prod, 'Deployment', 'binder').metadata.namespace).toBe('binderhub-prod');
  });

  test('each deployment\'s derived prune allowlist names every kind of its files but Namespace, which is never pruned', () => {
    const file = (name: string) => ({ file: name, objects: files[name] });
    const staging = pruneCommand({ manifests: file('staging.k8s.yaml'), secrets: file('staging-secrets.k8s.yaml') });
    const prod = pruneCommand({ manifests: file('prod.k8s.yaml') });
    expectAllowlistCoversKinds([...files['staging.k8s.yaml'], ...files['staging-secrets.k8s.yaml']], staging.allowlist);
    expectAllowlistCoversKinds(files['prod.k8s.yaml'], prod.allowlist);
    expect(staging.allowlist.filter(e => !prod.allowlist.includes(e))).toEqual(['core/v1/Secret']);
    expect(prod.allowlist.filter(e => !staging.allowlist.includes(e))).toEqual(['bitnami.com/v1alpha1/SealedSecret', 'networking.k8s.io/v1/Ingress']);
    expect([...staging.kept, ...prod.kept].map(k => `${k.kind} ${k.objects}`)).toEqual(['Namespace binderhub-staging', 'Namespace binderhub-prod']);
  });

  test('every object carries its deployment\'s prune label, and only its own', () => {
    for (const [file, objects] of Object.entries(files)) {
      const release = file.replace(/(-secrets|-delivery)?\.k8s\.yaml$/, '');
      for (const object of objects) expect((object.metadata as any).labels?.[DEPLOYMENT_LABEL]).toBe(release);
    }
  });
});

describe('checkManifests', () => {
  const base = (): ManifestObject[] => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' },
      spec: {
        template: {
          spec: {
            serviceAccountName: 'sa', volumes: [{ name: 'v', secret: { secretName: 's' } }],
            containers: [{ name: 'x', env: [{ name: 'E', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }, { name: 'O', valueFrom: { secretKeyRef: { name: 'opt', key: 'k', optional: true } } }] }],
          },
        },
      },
    },
  ];

  test('accepts a consistent set', () => {
    expect(check(base())).toEqual([]);
  });

  const breaks: Array<[string, (objects: any[]) => void, RegExp]> = [
    ['an unknown kind', o => o.push({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' } }), /Widget\/ns\/w: kind example\.org\/v1 Widget is known neither/],
    ['a namespace on a cluster-scoped kind', o => o.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'ns' } }),
      /ClusterRole\/ns\/r: ClusterRole is cluster-scoped but carries metadata\.namespace/],
    ['no namespace on a namespaced kind', o => o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } }), /Service\/svc: Service is namespaced but has no metadata\.namespace/],
    ['an object twice', o => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } }), /Secret\/ns\/s: defined more than once/],
    ['a missing Secret', o => o.splice(2, 1), /Deployment\/ns\/d: its pods name Secret\/ns\/s, which is not in the output/],
    ['a missing ConfigMap', o => o.splice(3, 1), /its pods name ConfigMap\/ns\/c/],
    ['a missing ServiceAccount', o => o.splice(1, 1), /its pods name ServiceAccount\/ns\/sa/],
    ['a missing image pull Secret', o => { o[4].spec.template.spec.imagePullSecrets = [{ name: 'pull' }]; },
      /^Deployment\/ns\/d: its pods name Secret\/ns\/pull, which is not in the output/],
  ];
  test.each(breaks)('finds %s', (_, spoil, message) => {
    const objects = base();
    spoil(objects);
    const problems = check(objects);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('accepts a missing object declared user-provided', () => {
    const objects = base();
    objects.splice(2, 1);
    expect(check(objects, ['Secret/ns/s'])).toEqual([]);
  });
});

describe('Helm hooks', () => {
  test('hooks that run pods are left out with a reason; other hook objects stay, as plain objects', () => {
    const objects = synthBinderHub({ chartValues: { jupyterhub: { prePuller: { hook: { enabled: true } } } } }, 'hooks');
    expect(objects.find(o => o.metadata.name === 'hook-image-puller')).toBeUndefined();
    expect(objects.find(o => o.kind === 'Job')).toBeUndefined();
    const account = find(objects, 'ServiceAccount', 'hook-image-awaiter');
    expect(Object.keys(account.metadata.annotations ?? {}).filter(k => k.startsWith('helm.sh/'))).toEqual([]);
  });

  test('the dropped hooks are listed', () => {
    const deployment = new BinderHub(Testing.app(), 'hooks', {
      chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('hooks'), registry: TEST_REGISTRY,
      chartValues: { jupyterhub: { prePuller: { hook: { enabled: true } } } },
    });
    expect(deployment.helmChart.droppedHooks.map(h => `${h.kind}/${h.name}`).sort()).toEqual(['DaemonSet/hook-image-puller', 'Job/hook-image-awaiter']);
    expect(deployment.helmChart.droppedHooks[0].reason).toMatch(/kubectl apply has no hooks/);
  });

  test('createNamespace: false leaves the namespace to someone else', () => {
    const objects = synthBinderHub({ createNamespace: false });
    expect(objects.find(o => o.kind === 'Namespace')).toBeUndefined();
    expect(find(objects, 'Deployment', 'binder').metadata.namespace).toBe('test');
  });
});

describe('reading manifest files', () => {
  test('a YAML error names the file and line but not the text around it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-yaml-')), 'x.k8s.yaml');
    fs.writeFileSync(file, 'kind: Secret\ndata:\n  token: c2VjcmV0LXZhbHVlLTEyMw==\n  - broken: [\n');
    const message = thrownMessage(() => readManifestFile(file));
    expect(message).toMatch(/x\.k8s\.yaml is not valid YAML \(line 4\); run `npm run synth`/);
    expect(message).not.toContain('c2VjcmV0');
  });
});
