/** teardown's plan, in-process: from objects as the cluster lists them to groups in order and what is kept, and why. */
import { deleteCommands, formatTeardownGroups, LiveObject, LiveState, releaseOf, repositoryAdvice, TeardownInputs, teardownPlan } from '../lib/internal';

const NS = 'binder';
const LABEL = 'binderhub-cdk8s.io/deployment';

const emptyLive: LiveState = {
  objects: [], unservedKinds: [], namespaceExists: true, pods: [], events: [], services: [], claims: [], configMaps: [], secrets: [], certificates: [],
};

/** An object of the deployment's files as the cluster lists it (with the deployment label). */
const applied = (apiVersion: string, kind: string, name: string, extra: object = {}): LiveObject => ({
  apiVersion, kind, metadata: { name, namespace: NS, labels: { [LABEL]: 'd' } }, ...extra,
});

/** A cluster-scoped object of the deployment's files. */
const appliedClusterWide = (apiVersion: string, kind: string, name: string): LiveObject => ({ apiVersion, kind, metadata: { name, labels: { [LABEL]: 'd' } } });

/** An object in the namespace with `labels` only, as another program made it. */
const made = (apiVersion: string, kind: string, name: string, labels: Record<string, string>, extra: object = {}): LiveObject => ({
  apiVersion, kind, metadata: { name, namespace: NS, labels }, ...extra,
});

const NAMESPACE = appliedClusterWide('v1', 'Namespace', NS);
const PROXY_PUBLIC = applied('v1', 'Service', 'proxy-public', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } });
const HUB_DB = applied('v1', 'PersistentVolumeClaim', 'hub-db-dir');
const FILES: LiveObject[] = [
  NAMESPACE, applied('v1', 'ConfigMap', 'hub'), applied('v1', 'Secret', 'hub'), appliedClusterWide('rbac.authorization.k8s.io/v1', 'ClusterRole', 'd-image-cleaner'),
  applied('apps/v1', 'Deployment', 'proxy'), applied('apps/v1', 'Deployment', 'hub'), applied('apps/v1', 'Deployment', 'binder'), PROXY_PUBLIC,
  applied('networking.k8s.io/v1', 'Ingress', 'binder', { spec: { tls: [{ secretName: 'binder-tls' }] } }), HUB_DB,
];

function inputs(live: Partial<LiveState> = {}, deleteData = false): TeardownInputs {
  const objects = live.objects ?? FILES;
  return {
    deployment: 'd', release: 'd', namespace: NS, deleteData, expected: objects.map(o => ({ ...o, metadata: { ...o.metadata } })) as any,
    live: { ...emptyLive, objects, claims: objects.filter(o => o.kind === 'PersistentVolumeClaim'), services: [PROXY_PUBLIC], ...live },
  };
}

const USER_POD = made('v1', 'Pod', 'jupyter-ann', { component: 'singleuser-server', release: 'd' });
const BUILD_POD = made('v1', 'Pod', 'build-1', { component: 'binderhub-build', name: 'build-1' });
const USER_CLAIM = made('v1', 'PersistentVolumeClaim', 'claim-ann', { component: 'singleuser-storage', 'app.kubernetes.io/instance': 'd' });

const names = (plan: ReturnType<typeof teardownPlan>) => Object.fromEntries(plan.groups.map(g => [g.step, g.objects.map(o => `${o.kind} ${o.name}`)]));
const kept = (plan: ReturnType<typeof teardownPlan>) => plan.kept.map(k => `${k.object.kind} ${k.object.name}: ${k.reason}`);

describe('teardownPlan', () => {
  test('groups in order: binder and hub stopped first, then what users caused, workloads, Services, Secrets, cluster-scoped objects, the namespace', () => {
    const plan = teardownPlan(inputs({ pods: [USER_POD, BUILD_POD] }, true));
    expect(plan.groups.map(g => g.step)).toEqual(['stop', 'spawned', 'workloads', 'services', 'secrets', 'data', 'cluster', 'namespace']);
    expect(names(plan)).toEqual({
      stop: ['Deployment hub', 'Deployment binder'], spawned: ['Pod jupyter-ann', 'Pod build-1'], workloads: ['Deployment proxy', 'Ingress binder'],
      services: ['Service proxy-public'], secrets: ['ConfigMap hub', 'Secret hub'], data: ['PersistentVolumeClaim hub-db-dir'],
      cluster: ['ClusterRole d-image-cleaner'], namespace: ['Namespace binder'],
    });
    expect(plan.kept).toEqual([]);
  });

  test('without --delete-data the claims are kept, and so is the namespace that holds them', () => {
    const plan = teardownPlan(inputs({ claims: [HUB_DB, USER_CLAIM] }));
    expect(plan.groups.map(g => g.step)).not.toContain('data');
    expect(plan.groups.map(g => g.step)).not.toContain('namespace');
    expect(kept(plan)).toEqual([
      expect.stringMatching(/^PersistentVolumeClaim hub-db-dir: holds data \(hub-db-dir is the hub's database.*--delete-data deletes it$/),
      expect.stringMatching(/^PersistentVolumeClaim claim-ann: holds data/),
      'Namespace binder: it holds 2 objects kept (above), which deleting it would delete',
    ]);
  });

  test('objects of another deployment or release in the namespace are kept, named, and keep the namespace', () => {
    const other = [made('v1', 'Pod', 'grafana-0', { release: 'monitoring' }), made('v1', 'Service', 'web', { [LABEL]: 'other' }),
      made('v1', 'Pod', 'jupyter-bob', { component: 'singleuser-server', release: 'other-hub' })];
    const helmRelease = { name: 'sh.helm.release.v1.monitoring.v1', type: 'helm.sh/release.v1', labels: { owner: 'helm', name: 'monitoring' }, keys: ['release'] };
    const plan = teardownPlan(inputs({ pods: other.filter(o => o.kind === 'Pod'), services: [PROXY_PUBLIC, other[1]], secrets: [helmRelease] }, true));
    const deleted = Object.values(names(plan)).flat();
    for (const name of ['Pod grafana-0', 'Service web', 'Pod jupyter-bob', 'Secret sh.helm.release.v1.monitoring.v1', `Namespace ${NS}`]) expect(deleted).not.toContain(name);
    expect(kept(plan)).toEqual([
      'Pod grafana-0: of release monitoring: never touched', 'Pod jupyter-bob: of release other-hub: never touched',
      'Service web: of deployment other: never touched', 'Secret sh.helm.release.v1.monitoring.v1: of release monitoring: never touched',
      'Namespace binder: it holds 4 objects kept (above), which deleting it would delete',
    ]);
  });

  test('an unlabelled object is kept as no one\'s; what the cluster makes, and pods of the deployment\'s workloads, are not named', () => {
    const plan = teardownPlan(inputs({
      pods: [made('v1', 'Pod', 'debug', {}), made('v1', 'Pod', 'hub-5d8f9-x2', {}, { metadata: { name: 'hub-5d8f9-x2', namespace: NS, ownerReferences: [{ kind: 'ReplicaSet', name: 'hub-5d8f9' }] } })],
      configMaps: [made('v1', 'ConfigMap', 'kube-root-ca.crt', {})],
      secrets: [{ name: 'default-token', type: 'kubernetes.io/service-account-token', labels: {}, keys: ['token'] }],
    }, true));
    expect(kept(plan)).toEqual([
      'Pod debug: carries no label of d: delete it by hand if it is the deployment\'s',
      'Namespace binder: it holds 1 object kept (above), which deleting it would delete',
    ]);
  });

  test('cert-manager\'s Certificate and TLS Secret for the deployment\'s Ingress go with it, unlabelled as they are', () => {
    const certificate = made('cert-manager.io/v1', 'Certificate', 'binder-tls', {});
    const plan = teardownPlan(inputs({ certificates: [certificate], secrets: [{ name: 'binder-tls', type: 'kubernetes.io/tls', labels: {}, keys: ['tls.crt', 'tls.key'] }] }, true));
    expect(names(plan).workloads).toContain('Certificate binder-tls');
    expect(names(plan).secrets).toContain('Secret binder-tls');
    expect(plan.kept).toEqual([]);
  });

  test('a namespace the files do not create is kept, whatever is in it', () => {
    const objects = FILES.filter(o => o.kind !== 'Namespace');
    const plan = teardownPlan(inputs({ objects }, true));
    expect(kept(plan)).toEqual(['Namespace binder: the files of d do not create it']);
  });

  test('a namespace that is gone: only the deployment\'s objects elsewhere (cluster-scoped) are left to delete', () => {
    const plan = teardownPlan(inputs({ objects: [appliedClusterWide('rbac.authorization.k8s.io/v1', 'ClusterRole', 'd-image-cleaner')], namespaceExists: false, services: [] }));
    expect(names(plan)).toEqual({ cluster: ['ClusterRole d-image-cleaner'] });
    expect(plan.kept).toEqual([]);
  });
});

describe('releaseOf', () => {
  test.each([
    [{ [LABEL]: 'd', release: 'x' }, 'd'],
    [{ release: 'r' }, 'r'],
    [{ 'app.kubernetes.io/instance': 'i' }, 'i'],
    [{ owner: 'helm', name: 'h' }, 'h'],
    [{ name: 'build-1', component: 'binderhub-build' }, undefined],
  ])('%j: %s', (labels, release) => {
    expect(releaseOf(made('v1', 'Pod', 'p', labels))).toBe(release);
  });
});

describe('deleteCommands', () => {
  test('one kubectl delete per namespace, each object by its kind\'s full name, waiting until they are gone, bounded by the timeout', () => {
    const plan = teardownPlan(inputs({}, true));
    const group = (step: string) => plan.groups.find(g => g.step === step)!;
    expect(deleteCommands(group('workloads'), 600)).toEqual([
      ['delete', 'deployment.v1.apps/proxy', 'ingress.v1.networking.k8s.io/binder', '--namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=600s'],
    ]);
    expect(deleteCommands(group('services'), 300)).toEqual([['delete', 'service/proxy-public', '--namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=300s']]);
    expect(deleteCommands(group('cluster'), 600)).toEqual([['delete', 'clusterrole.v1.rbac.authorization.k8s.io/d-image-cleaner', '--ignore-not-found', '--wait=true', '--timeout=600s']]);
  });
});

describe('formatting', () => {
  test('numbered groups, one object a line, a LoadBalancer with its address', () => {
    const services = teardownPlan(inputs()).groups.filter(g => g.step === 'services');
    expect(formatTeardownGroups(services)).toBe('1. Services, waiting until every LoadBalancer is gone:\n     Service binder/proxy-public (LoadBalancer 203.0.113.7)\n');
  });

  test('the repository advice names the files that exist and removes none', () => {
    expect(repositoryAdvice('d', ['hub-urls/d.url', 'secrets/d.json'])).toBe('in the repository (teardown removed nothing of it): remove d\'s BinderHub from main.ts; '
      + 'delete hub-urls/d.url, secrets/d.json; then run `npm run synth`, which removes its files in dist/ and dist-secrets/\n');
  });
});
