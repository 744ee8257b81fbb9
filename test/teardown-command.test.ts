/**
 * `npm run teardown` end to end: the example synthesized with the test chart, staging and prod seeded into the fake
 * API server (test/support/fake-kube-api.ts) as if applied, with what users caused in staging's namespace, and the
 * real pinned kubectl deleting.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCommandAsync, synthesizedExamplePerTest } from './helpers';
import { fakeKubeApiPerTest, FakeKubeApi, writeKubeconfig } from './support/fake-kube-api';

const NS = 'binderhub-staging';
const ADDRESS = '203.0.113.7';

const example = synthesizedExamplePerTest('teardown-command-');
const objectsOf = example.objectsOf;
let cwd: string;
beforeEach(() => {
  cwd = example.folder();
});

const start = fakeKubeApiPerTest();

const pod = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } });

/** What users caused in staging's namespace, as KubeSpawner and BinderHub label it, and a pod of another release there. */
const SPAWNED = [
  pod('jupyter-ann', { component: 'singleuser-server', release: 'staging', app: 'jupyterhub' }),
  pod('build-ab12cd', { component: 'binderhub-build', name: 'build-ab12cd' }),
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim-ann', namespace: NS, labels: { component: 'singleuser-storage', release: 'staging' } } },
];
/** The hub's database as the real chart renders it (the test chart renders none), applied with the deployment's label. */
const HUB_DB = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'hub-db-dir', namespace: NS, labels: { 'binderhub-cdk8s.io/deployment': 'staging', component: 'hub', release: 'staging' } },
};
const FOREIGN = pod('grafana-0', { 'app.kubernetes.io/instance': 'monitoring' });

/** staging and prod applied in one cluster, staging's proxy-public with its address, and what users caused. */
async function twoDeployments(): Promise<FakeKubeApi> {
  const cluster = await start({
    objects: [...objectsOf('dist/staging.k8s.yaml'), ...objectsOf('dist-secrets/staging-secrets.k8s.yaml'), ...objectsOf('dist/prod.k8s.yaml'), HUB_DB, ...SPAWNED, FOREIGN],
  });
  cluster.setStatus('Service', NS, 'proxy-public', { loadBalancer: { ingress: [{ ip: ADDRESS }] } });
  return cluster;
}

function teardown(cluster: FakeKubeApi, args: string[] = []) {
  return runCommandAsync('teardown', cwd, { KUBECONFIG: writeKubeconfig(cwd, cluster.url), KUBECACHEDIR: path.join(cwd, '.kube-cache') }, ['--deployment', 'staging', ...args]);
}

const idOf = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const prodObjects = (cluster: FakeKubeApi) => cluster.objects().filter(o => o.metadata.namespace === 'binderhub-prod' || o.metadata.labels?.['binderhub-cdk8s.io/deployment'] === 'prod');
const tokenValues = () => Object.values(JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', 'staging.json'), 'utf8')).tokens as Record<string, string>);

describe('npm run teardown', () => {
  test('a dry run lists the groups in order and what it keeps, and deletes nothing', async () => {
    const cluster = await twoDeployments();
    const before = cluster.objects();
    const result = await teardown(cluster);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(cluster.requests().filter(r => r.method !== 'GET')).toEqual([]);
    expect(cluster.objects()).toEqual(before);
    const headings = result.stdout.split('\n').filter(line => /^\d\. /.test(line)).map(line => line.replace(/ \(.*$|:$/, ''));
    expect(headings).toEqual([
      '1. stop new builds and launches', '2. user servers and build pods, and the Services, Secrets and ConfigMaps made for them',
      '3. the deployment\'s workloads, routes, policies and accounts', '4. Services, waiting until every LoadBalancer is gone', '5. Secrets and ConfigMaps',
      '6. cluster-scoped objects of the release',
    ]);
    expect(result.stdout).toContain(`     Pod ${NS}/build-ab12cd\n     Pod ${NS}/jupyter-ann\n`);
    expect(result.stdout).toContain(`     Service ${NS}/proxy-public (LoadBalancer ${ADDRESS})\n`);
    expect(result.stdout).toContain(`  PersistentVolumeClaim ${NS}/hub-db-dir: holds data`);
    expect(result.stdout).toContain(`  Pod ${NS}/grafana-0: of release monitoring: never touched\n`);
    expect(result.stdout).toContain(`  Namespace ${NS}: it holds 3 objects kept (above), which deleting it would delete\n`);
    expect(result.stdout).toContain('dry run: nothing was deleted; run again with --yes to delete\n');
    expect(result.stdout).toContain('; delete secrets/staging.json; then run `npm run synth`');
    expect(result.stdout).not.toContain('prod');
    for (const value of tokenValues()) expect(result.output).not.toContain(value);
  });

  test('a deployment a GitOps controller delivers is named with the controller\'s file to delete first: left, it would apply again what teardown deletes', async () => {
    const cluster = await twoDeployments();
    const result = await runCommandAsync('teardown', cwd, { KUBECONFIG: writeKubeconfig(cwd, cluster.url), KUBECACHEDIR: path.join(cwd, '.kube-cache') }, ['--deployment', 'prod']);
    expect(result.stderr).toBe('warning: prod is delivered by a GitOps controller (dist/prod-delivery.k8s.yaml): delete its objects first '
      + '(kubectl delete -f dist/prod-delivery.k8s.yaml), or the controller applies again what teardown deletes\n');
    expect((await teardown(cluster)).stderr).toBe('');
  });

  test('--yes removes the user pods it spawned and keeps hub-db-dir, its namespace, another release\'s pod and the other deployment', async () => {
    const cluster = await twoDeployments();
    const prod = prodObjects(cluster);
    const result = await teardown(cluster, ['--yes']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(prodObjects(cluster)).toEqual(prod);
    expect(cluster.objects().filter(o => !prod.some(p => idOf(p) === idOf(o))).map(idOf).sort()).toEqual([
      `Namespace /${NS}`, `PersistentVolumeClaim ${NS}/claim-ann`, `PersistentVolumeClaim ${NS}/hub-db-dir`, `Pod ${NS}/grafana-0`,
    ]);
    expect(result.stdout).toMatch(/^1\/6 deleting stop new builds and launches/m);
    expect(result.stdout).toContain('     pod "jupyter-ann" deleted');
    expect(result.stdout.slice(result.stdout.indexOf('left, on purpose:\n'))).toContain(`  PersistentVolumeClaim ${NS}/hub-db-dir: holds data`);
    for (const value of tokenValues()) expect(result.output).not.toContain(value);
  });

  test('--yes --delete-data deletes hub-db-dir, the users\' claims and the namespace the files create; the other deployment stays', async () => {
    const cluster = await start({ objects: [...objectsOf('dist/staging.k8s.yaml'), ...objectsOf('dist-secrets/staging-secrets.k8s.yaml'), ...objectsOf('dist/prod.k8s.yaml'), HUB_DB, ...SPAWNED] });
    const prod = prodObjects(cluster);
    const result = await teardown(cluster, ['--yes', '--delete-data']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(cluster.objects()).toEqual(prod);
    expect(result.stdout).toContain(`nothing of staging is left in the cluster\n`);
    expect(cluster.requests().some(r => r.method === 'DELETE' && r.resource === 'persistentvolumeclaims' && r.name === 'hub-db-dir')).toBe(true);
  });

  test('a delete the cluster refuses stops the teardown there, in one line, exit 2: the groups after it are not touched', async () => {
    const cluster = await start({
      objects: [...objectsOf('dist/staging.k8s.yaml'), ...objectsOf('dist-secrets/staging-secrets.k8s.yaml'), ...SPAWNED], user: 'ci', forbidden: [{ verb: 'delete', resource: 'pods' }],
    });
    const result = await teardown(cluster, ['--yes']);
    expect([result.status, result.stderr]).toEqual([2, 'error: kubectl delete failed: Error from server (Forbidden): pods "jupyter-ann" is forbidden: '
      + `User "ci" cannot delete resource "pods" in API group "" in the namespace "${NS}"\n`]);
    expect(cluster.get('Deployment', NS, 'binder')).toBeUndefined();
    expect(cluster.get('Deployment', NS, 'proxy')).toBeDefined();
  });

  test('a bad flag is refused before the cluster is asked anything, exit 2', async () => {
    const cluster = await twoDeployments();
    const result = await teardown(cluster, ['--delete-date']);
    expect([result.status, result.stderr]).toEqual([2, 'error: Unknown option \'--delete-date\'; see --help\n']);
    expect(cluster.requests()).toEqual([]);
  });
});
