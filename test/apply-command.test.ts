/**
 * `npm run apply` and `npm run diff -- --live` end to end: the example synthesized with the test chart, the real
 * pinned kubectl, and the fake API server (test/support/fake-kube-api.ts) as the cluster.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { toolPath } from '../lib/internal';
import { editedFixtureChart, exampleWorkspace, runCommand, runCommandAsync, spawnAsync } from './helpers';
import { describeWithRealChart } from './real-chart';
import { controllerKeys } from './sealing';
import { fakeKubeApiPerTest, FakeKubeApi, FakeKubeApiOptions, kubeEvent, writeKubeconfig } from './support/fake-kube-api';

const LABEL = 'binderhub-cdk8s.io/deployment';
const NS = 'binderhub-staging';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

let cwd: string;

/** Objects of no deployment's, appended to a deployment's file as a pull request could. */
const CLUSTER_ADMIN_BINDING = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: staging-everything
  labels:
    ${LABEL}: staging
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: default
    namespace: ${NS}
`;
const KUBE_SYSTEM_CONFIGMAP = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
  labels:
    ${LABEL}: staging
data:
  Corefile: ".:53 { forward . 203.0.113.53 }"
`;
const SMUGGLED_SECRET = `---
apiVersion: v1
kind: Secret
metadata:
  name: smuggled
  namespace: ${NS}
  labels:
    ${LABEL}: staging
stringData:
  token: not-a-token-of-ours
`;

/** A clone with the example synthesized (test chart): staging keeps its Secrets in dist-secrets/, prod seals them. */
function synthesizedWorkspace(): string {
  const dir = exampleWorkspace('apply-command-');
  expect(runCommand('init-secrets', dir).status).toBe(0);
  expect(runCommand('synth', dir).status).toBe(0);
  return dir;
}

let synthesized: string;
beforeAll(() => {
  synthesized = synthesizedWorkspace();
});

beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-command-'));
  fs.cpSync(synthesized, cwd, { recursive: true });
});

const start = fakeKubeApiPerTest();

/** Runs an npm script's command in the workspace against `cluster`, with kubectl's discovery cache kept per test. */
function run(command: string, cluster: FakeKubeApi | string, args: string[], env: Record<string, string> = {}) {
  const url = typeof cluster === 'string' ? cluster : cluster.url;
  return runCommandAsync(command, cwd, { KUBECONFIG: writeKubeconfig(cwd, url), KUBECACHEDIR: path.join(cwd, '.kube-cache'), ...env }, args);
}

/** Puts a value in place of prod's placeholder credential in the workspace. */
function setRegistryPassword(): void {
  const file = path.join(cwd, 'secrets', 'prod.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), credentials: { registryPassword: 'a-real-access-token' } }));
}

/** Makes the workspace's prod a real deployment's: its credential set, its certificate a controller's, not the stand-in. */
function finishExampleInputs(): void {
  setRegistryPassword();
  fs.writeFileSync(path.join(cwd, 'sealed-secrets', 'prod.pem'), controllerKeys().certificate);
}

const objectsOf = (file: string): any[] => (yaml.loadAll(fs.readFileSync(path.join(cwd, file), 'utf8')) as any[]).filter(Boolean);
const stagingObjects = () => [...objectsOf('dist/staging.k8s.yaml'), ...objectsOf('dist-secrets/staging-secrets.k8s.yaml')];
const id = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const tokenValues = () => Object.values(JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', 'staging.json'), 'utf8')).tokens as Record<string, string>);

function expectNoSecretIn(text: string): void {
  for (const value of tokenValues()) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString('base64'));
  }
}

describe('npm run apply', () => {
  test('a fresh cluster: Namespace, then Secrets, then the rest; every object created; every workload waited for', async () => {
    const cluster = await start();
    const result = await run('apply', cluster, ['--deployment', 'staging', '--timeout', '60']);
    expect([result.status, result.stderr.split('\n').filter(l => l.startsWith('error'))]).toEqual([0, []]);
    expect(cluster.objects().map(id).sort()).toEqual(stagingObjects().map(id).sort());

    const created = cluster.requests().filter(r => r.verb === 'create').map(r => `${r.resource}/${r.name}`);
    const secrets = stagingObjects().filter(o => o.kind === 'Secret').map(o => `secrets/${o.metadata.name}`);
    expect(secrets.length).toBeGreaterThan(1);
    expect(created.slice(0, 1 + secrets.length)).toEqual([`namespaces/${NS}`, ...secrets]);

    const workloads = stagingObjects().filter(o => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
    const waits = result.stderr.split('\n').filter(l => l.startsWith('rollout: waiting for '));
    expect(waits).toEqual(workloads.map((o, i) => `rollout: waiting for ${o.kind.toLowerCase()}/${o.metadata.name} (${i + 1} of ${workloads.length})`));
    expect(result.stdout).toContain('the hub URL is pending: once Service proxy-public has its address, run `npm run patch-hub-url -- --deployment staging --apply`');
    expectNoSecretIn(result.output);
  });

  test('a workload that does not become ready is named with its last warning, and the command fails', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'hub-7c9d-abcde' };
    const cluster = await start({
      rollouts: { [`Deployment/${NS}/hub`]: 'stuck' },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        kubeEvent(pod, { reason: 'Failed', message: 'Failed to pull image "hub:0": not found', lastTimestamp: '2026-11-26T10:00:00Z' }),
        kubeEvent(pod, { reason: 'BackOff', message: 'Back-off pulling image "hub:0"', lastTimestamp: '2026-11-26T10:01:00Z' }),
        kubeEvent(pod, { reason: 'Pulling', message: 'Pulling image "hub:0"', type: 'Normal', lastTimestamp: '2026-11-26T10:02:00Z' }),
      ],
    });
    const result = await run('apply', cluster, ['--deployment', 'staging', '--timeout', '3']);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean).pop()).toBe(`error: deployment/hub in namespace ${NS} was not ready when --timeout ran out `
      + '(3 s for all workloads; error: timed out waiting for the condition); last event: BackOff on pod/hub-7c9d-abcde: Back-off pulling image "hub:0"; '
      + `see kubectl describe deployment hub --namespace ${NS}`);
  });

  test('a DaemonSet with the OnDelete strategy is named as not waited for, and the apply succeeds', async () => {
    // The chart renders it so: the apply refuses files a fresh synth does not write.
    const chart = editedFixtureChart('templates/image-cleaner.yaml', text => text.replace('type: RollingUpdate', 'type: OnDelete'));
    expect(runCommand('synth', cwd, { BINDERHUB_CHART: chart }).status).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'dist', 'staging.k8s.yaml'), 'utf8')).toContain('\n  updateStrategy:\n    type: OnDelete');
    const cluster = await start();
    const result = await run('apply', cluster, ['--deployment', 'staging', '--timeout', '60'], { BINDERHUB_CHART: chart });
    expect([result.status, result.stderr.split('\n').filter(l => l.startsWith('error'))]).toEqual([0, []]);
    expect(result.stderr).toContain('rollout: not waiting for daemonset/staging-image-cleaner: its updateStrategy is OnDelete, so its pods change only when you delete them\n');
    expect(result.stderr).not.toContain('rollout: waiting for daemonset/staging-image-cleaner');
  });

  test('--prune deletes the deployment\'s objects the files no longer hold, and nothing else', async () => {
    const labelled = (name: string) => ({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, labels: { [LABEL]: 'staging' }, annotations: { [LAST_APPLIED]: '{}' } },
    });
    const cluster = await start({
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        labelled('left-over'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', namespace: NS } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-deployment', namespace: NS, labels: { [LABEL]: 'prod' }, annotations: { [LAST_APPLIED]: '{}' } } },
      ],
    });
    const result = await run('apply', cluster, ['--deployment', 'staging', '--prune', '--timeout', '60']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('configmap/left-over pruned');
    const remaining = cluster.objects().map(id);
    expect(remaining).not.toContain(`ConfigMap/${NS}/left-over`);
    expect(remaining).toEqual(expect.arrayContaining([`ConfigMap/${NS}/not-ours`, `ConfigMap/${NS}/other-deployment`]));
    expect(result.stdout).toContain(`never pruned: Namespace ${NS}`);
  });

  test('a machine without the Secrets file (dist-secrets/ is git-ignored) is refused before kubectl is asked anything', async () => {
    fs.rmSync(path.join(cwd, 'dist-secrets'), { recursive: true });
    const cluster = await start();
    for (const [command, args] of [['apply', ['--deployment', 'staging']], ['diff', ['--live', '--deployment', 'staging']]] as const) {
      const result = await run(command, cluster, [...args]);
      expect([result.status, result.stdout]).toEqual([command === 'apply' ? 1 : 2, '']);
      expect(result.stderr).toBe('error: dist/staging.k8s.yaml hold no Secret hub, Secret binder-secret and dist-secrets/staging-secrets.k8s.yaml '
        + 'is missing: dist-secrets/ is git-ignored, so each machine writes its own: run `npm run synth` here first (with the secrets/ files), '
        + 'or pass --dist-secrets\n');
    }
    expect(cluster.requests()).toEqual([]);
  });

  const SYNTH_AGAIN = 'run `npm run diff` to see what differs and `npm run synth` to write the files again, and find out who changed them';

  test.each([
    ['a ClusterRoleBinding to cluster-admin appended to dist/staging.k8s.yaml', CLUSTER_ADMIN_BINDING,
      `error: dist/staging.k8s.yaml is not what a fresh synth of main.ts writes: it adds ClusterRoleBinding/staging-everything: ${SYNTH_AGAIN}\n`],
    ['a ConfigMap in kube-system', KUBE_SYSTEM_CONFIGMAP,
      `error: dist/staging.k8s.yaml is not what a fresh synth of main.ts writes: it adds ConfigMap/kube-system/coredns: ${SYNTH_AGAIN}\n`],
    ['a plaintext Secret in dist/ of a deployment in SecretsMode.separate()', SMUGGLED_SECRET,
      `error: dist/staging.k8s.yaml: Secret ${NS}/smuggled holds plaintext data, but deployment staging keeps its Secrets out of dist/ `
        + '(separate mode): remove it and run `npm run synth`\n'],
  ])('%s is refused, naming it, before kubectl is asked anything', async (_, appended, message) => {
    fs.appendFileSync(path.join(cwd, 'dist', 'staging.k8s.yaml'), appended);
    const cluster = await start();
    const result = await run('apply', cluster, ['--deployment', 'staging']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', message]);
    expect(cluster.requests()).toEqual([]);
  });

  test('a rule added to the ClusterRole the deployment renders is refused too, naming the object', async () => {
    const file = path.join(cwd, 'dist', 'staging.k8s.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('\n      - nodes\n');
    fs.writeFileSync(file, text.replace('\n      - nodes\n', '\n      - nodes\n      - secrets\n'));
    const cluster = await start();
    const result = await run('apply', cluster, ['--deployment', 'staging']);
    expect([result.status, result.stderr]).toEqual([1, `error: dist/staging.k8s.yaml is not what a fresh synth of main.ts writes: it changes ClusterRole/staging-image-cleaner: ${SYNTH_AGAIN}\n`]);
    expect(cluster.requests()).toEqual([]);
  });

  test('prod with the placeholder credential, then with the stand-in sealing certificate, is refused naming the file and the fix', async () => {
    const cluster = await start();
    const placeholder = await run('apply', cluster, ['--deployment', 'prod']);
    expect([placeholder.status, placeholder.stderr]).toEqual([1, 'error: secrets/prod.json credentials.registryPassword is still the placeholder that '
      + 'npm run init-secrets wrote: put the real value there before you apply prod\'s manifests\n']);
    setRegistryPassword();
    expect(runCommand('synth', cwd).status).toBe(0);
    const standIn = await run('apply', cluster, ['--deployment', 'prod']);
    expect([standIn.status, standIn.stderr]).toEqual([1, 'error: deployment prod is sealed for sealed-secrets/prod.pem, the example\'s stand-in certificate, '
      + 'whose private key is gone (no controller can unseal its Secrets): fetch your controller\'s with `kubeseal --fetch-cert > sealed-secrets/prod.pem` '
      + 'and run `npm run synth`\n']);
    expect(cluster.requests()).toEqual([]);
  });

  test('kubectl\'s warnings reach stderr: taking over an object no kubectl apply made', async () => {
    const cluster = await start({
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'binder-hub-url', namespace: NS }, data: { hub_url: '' } }],
    });
    const result = await run('apply', cluster, ['--deployment', 'staging', '--timeout', '60']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Warning: resource configmaps/binder-hub-url is missing the kubectl.kubernetes.io/last-applied-configuration annotation');
  });

  test('without --prune, nothing is deleted', async () => {
    const cluster = await start({
      objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'left-over', namespace: NS, labels: { [LABEL]: 'staging' }, annotations: { [LAST_APPLIED]: '{}' } } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }],
    });
    expect((await run('apply', cluster, ['--deployment', 'staging', '--timeout', '60'])).status).toBe(0);
    expect(cluster.requests().filter(r => r.verb === 'delete')).toEqual([]);
  });

  test('Secrets that may not be created stop it before anything else is applied, in one line', async () => {
    const cluster = await start({ forbidden: [{ verb: 'create', resource: 'secrets' }], user: 'ci-deployer' });
    const result = await run('apply', cluster, ['--deployment', 'staging']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: kubectl apply of the Namespace and Secrets failed: Error from server \(Forbidden\): .*secrets is forbidden: User "ci-deployer" cannot create resource "secrets"/m);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(cluster.objects().map(o => o.kind)).toEqual(['Namespace']);
    expectNoSecretIn(result.output);
  });

  test('an admission webhook quoting the first 40 characters of each Secret data value (values.yaml\'s base64 among them): the error shows them redacted', async () => {
    const quoted: string[] = [];
    const cluster = await start({
      admission: (request, body) => {
        if (request.resource !== 'secrets') return undefined;
        quoted.push(...Object.values(body?.data ?? {}).map(value => String(value).slice(0, 40)));
        return Object.entries(body?.data ?? {}).map(([key, value]) => `${key} starts ${String(value).slice(0, 40)}`).join(', ');
      },
    });
    const result = await run('apply', cluster, ['--deployment', 'staging']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: kubectl apply of the Namespace and Secrets failed: Error from server \(BadRequest\): .*admission webhook "fake.example.org" denied the request: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(quoted.length).toBeGreaterThan(1);
    for (const quote of quoted) expect(result.stderr).not.toContain(quote);
    expectNoSecretIn(result.output);
  });

  describe('a server that is no working Kubernetes API', () => {
    let server: http.Server;
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    });
    /** Starts `server` with `handler` on a free port of 127.0.0.1; returns its URL. */
    async function serve(handler: http.RequestListener): Promise<string> {
      server = http.createServer(handler);
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    test('one that never answers fails the apply after one --request-timeout, saying so (not after kubectl\'s retries, 64 s)', async () => {
      const url = await serve(() => undefined);
      const started = Date.now();
      const result = await run('apply', url, ['--deployment', 'staging', '--request-timeout', '2']);
      expect([result.status, result.stdout]).toEqual([1, '']);
      expect(result.stderr).toMatch(/^error: the API server did not answer within 2s \(--request-timeout\): Unable to connect to the server: [^;]*(context deadline exceeded|Client\.Timeout exceeded)[^;]*; check that the cluster is up \(kubectl cluster-info\), or give it longer with --request-timeout\n$/);
      expect(Date.now() - started).toBeLessThan(15000);
    });

    test('one that answers with a web page is named as no Kubernetes API server, not as kubectl\'s parse error', async () => {
      const url = await serve((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'));
      const result = await run('apply', url, ['--deployment', 'staging']);
      expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'error: the server answered kubectl with no Kubernetes version (a web page, a proxy?): '
        + 'it is no Kubernetes API server; check --kubeconfig / --context (kubectl config view --minify)\n']);
    });
  });

  test('no cluster: one line that says which kubeconfig and context to check', async () => {
    const closed = await start();
    const url = closed.url;
    await closed.close();
    const result = await run('apply', url, ['--deployment', 'staging']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: no cluster reachable through kubectl: .*refused.*; check --kubeconfig \/ --context \(kubectl config current-context\)\n$/);
  });

  test.each([
    [['--deployment', 'Staging'], /^error: --deployment "Staging" must be lowercase letters, digits and '-'/],
    [['--deployment', 'staging', '--timeout', '0'], /^error: --timeout must be a whole number of seconds from 1 to 86400 \(a day\), got "0"\n$/],
    [['--deployment', 'staging', '--timeout', '1e21'], /^error: --timeout must be a whole number of seconds from 1 to 86400 \(a day\), got "1e21"\n$/],
    [['--deployment', 'staging', '--request-timeout', '0'], /^error: --request-timeout must be a whole number of seconds from 1 to 3600 \(an hour\), got "0"\n$/],
    [['--deployment', 'staging', '--timeout', '86401'], /^error: --timeout must be a whole number of seconds from 1 to 86400 \(a day\), got "86401"\n$/],
    [['--deployment', 'staging', '--kubeconfig', 'no-such-file'], /^error: --kubeconfig no-such-file: no such file; give a kubeconfig file \(or leave the option out for KUBECONFIG, ~\/\.kube\/config\)\n$/],
    [['--deployment', 'staging', '--kubeconfig', 'dist'], /^error: --kubeconfig dist: is a folder, not a kubeconfig file/],
    [['--deployment', 'staging', '--context', 'nosuch'], /^error: --context nosuch: no such context in the kubeconfig \(KUBECONFIG, ~\/\.kube\/config\); its contexts: fake\n$/],
    [['--deployment', 'staging', '--context='], /^error: --context is empty: name a context, or leave the option out for kubectl's default\n$/],
    [['--deployment', 'nosuch'], /^error: dist\/nosuch\.k8s\.yaml does not exist: dist\/ holds prod, staging; run `npm run synth` first if nosuch is new \(or pass --dist\)\n$/],
    [[], /^error: --deployment is required; see --help\n$/],
  ])('refuses %j before calling kubectl', async (args, message) => {
    const cluster = await start();
    const result = await run('apply', cluster, args);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(cluster.requests()).toEqual([]);
  });
});

describe('npm run diff -- --live', () => {
  /** A cluster with staging applied by `npm run apply`. */
  async function appliedCluster(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const cluster = await start(options);
    const applied = await run('apply', cluster, ['--deployment', 'staging', '--timeout', '60']);
    expect(applied.status).toBe(0);
    return cluster;
  }

  test('right after an apply: no changes, exit 0, and kubectl\'s copies gone from dist-secrets/', async () => {
    const cluster = await appliedCluster();
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging']);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, 'no changes: the cluster matches dist/ and dist-secrets/ of staging\n', '']);
    expect(fs.readdirSync(path.join(cwd, 'dist-secrets'))).toEqual(['staging-secrets.k8s.yaml']);
    const named = await run('diff', cluster, ['--live', '--deployment', 'staging', '--deployment', 'staging', '--kubeconfig', path.join(cwd, 'kubeconfig'), '--context', 'fake']);
    expect([named.status, named.stdout, named.stderr]).toEqual([0, 'no changes: the cluster matches dist/ and dist-secrets/ of staging\n', '']);
  });

  test('rotated tokens: Secret keys and the pods that restart, never a value, old or new', async () => {
    const cluster = await appliedCluster();
    const oldTokens = tokenValues();
    expect(runCommand('init-secrets', cwd, {}, ['--force', 'staging']).status).toBe(0);
    expect(runCommand('synth', cwd).status).toBe(0);
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`changed: Secret/${NS}/hub key values.yaml`);
    expect(result.stdout).toMatch(new RegExp(`restarts: Deployment/${NS}/hub \\(checksum/secret`));
    expect(result.stdout.split('\n').filter(Boolean).pop()).toMatch(/^applying staging to the cluster: \d+ changed, 0 added, 0 removed; \d+ workload\(s\) restart$/);
    expectNoSecretIn(result.output);
    for (const value of oldTokens) expect(result.output).not.toContain(value);
  });

  test('a field removed from the files shows as removed, as the client-side apply will remove it', async () => {
    const cluster = await appliedCluster();
    const file = path.join(cwd, 'dist', 'staging.k8s.yaml');
    const synthesizedText = fs.readFileSync(file, 'utf8');
    const account = 'kind: ServiceAccount\nmetadata:\n  labels:\n    binderhub-cdk8s.io/deployment: staging\n  name: hub\n';
    expect(synthesizedText).toContain(account);
    fs.writeFileSync(file, synthesizedText.replace(account, account.replace('staging\n', 'staging\n    extra: "yes"\n')));
    // By hand: npm run apply refuses files a fresh synth does not write.
    const byHand = await spawnAsync(toolPath('kubectl'), ['--kubeconfig', path.join(cwd, 'kubeconfig'), 'apply', '-f', file], { env: { ...process.env, KUBECACHEDIR: path.join(cwd, '.kube-cache') } });
    expect(byHand.status).toBe(0);
    fs.writeFileSync(file, synthesizedText);
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging']);
    expect([result.status, result.stdout]).toEqual([1, `deployment staging:\n  changed: ServiceAccount/${NS}/hub\n    metadata.labels.extra: "yes" → (none)\n`
      + 'applying staging to the cluster: 1 changed, 0 added, 0 removed; 0 workload(s) restart\n']);
  });

  test('--prune shows what apply --prune would delete', async () => {
    const cluster = await appliedCluster({
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'left-over', namespace: NS, labels: { [LABEL]: 'staging' }, annotations: { [LAST_APPLIED]: '{}' } } }],
    });
    const plain = await run('diff', cluster, ['--live', '--deployment', 'staging']);
    expect(plain.status).toBe(0);
    const pruning = await run('diff', cluster, ['--live', '--deployment', 'staging', '--prune']);
    expect(pruning.status).toBe(1);
    expect(pruning.stdout).toContain(`removed: ConfigMap/${NS}/left-over`);
  });

  test('a killed run\'s copies in dist-secrets/ are removed by the next run; a running one\'s stay', async () => {
    const cluster = await appliedCluster();
    // No process has pid 2^22 + 1 (Linux's highest is 2^22); this test's own process is running.
    const [killed, running] = [`.kubectl-diff-${2 ** 22 + 1}-a1`, `.kubectl-diff-${process.pid}-b2`];
    for (const folder of [killed, running, '.kubectl-diff-x1']) {
      fs.mkdirSync(path.join(cwd, 'dist-secrets', folder, 'LIVE-1'), { recursive: true });
      fs.writeFileSync(path.join(cwd, 'dist-secrets', folder, 'LIVE-1', 'v1.Secret.ns.hub'), 'copy');
    }
    expect((await run('diff', cluster, ['--live', '--deployment', 'staging'])).status).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'dist-secrets')).sort()).toEqual([running, 'staging-secrets.k8s.yaml']);
  });

  test('a system temporary folder with a space in its path: the diff runs, and writes nothing there', async () => {
    const cluster = await appliedCluster();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'with space-'));
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging'], { TMPDIR: tmp });
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('when the diff program fails, its own error is the line shown, not kubectl\'s "exit status 2"', async () => {
    const cluster = await appliedCluster();
    const failing = path.join(cwd, 'fail-diff-program.js');
    fs.writeFileSync(failing, "if (process.argv[1].endsWith('kubectl-diff-program.js')) { process.stderr.write('error: the program failed here\\n'); process.exit(2); }\n");
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging'], { NODE_OPTIONS: `--require ${failing}` });
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', 'error: kubectl diff of dist/staging.k8s.yaml and '
      + 'dist-secrets/staging-secrets.k8s.yaml failed: error: the program failed here\n']);
  });

  test('a kubectl error that quotes a Secret value of the files shows it redacted', async () => {
    const cluster = await appliedCluster();
    const kubectl = path.join(cwd, 'quoting-kubectl');
    const token = "sed -n 's/^  hub.services.binder.apiToken: //p' dist-secrets/staging-secrets.k8s.yaml";
    fs.writeFileSync(kubectl, `#!/bin/sh\necho "Error from server (Invalid): $(${token}) is $(${token} | base64 -d)" >&2\nexit 1\n`, { mode: 0o755 });
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging'], { KUBECTL: kubectl });
    expect([result.status, result.stderr]).toEqual([2, 'error: kubectl get --raw /version failed: Error from server (Invalid): *** is ***\n']);
    expectNoSecretIn(result.output);
  });

  test('a deployment whose namespace is not in the cluster yet (a first install): every object added', async () => {
    const cluster = await appliedCluster();
    const result = await run('diff', cluster, ['--live']);
    const prod = objectsOf('dist/prod.k8s.yaml');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe([
      'deployment prod:', ...prod.map(o => `  added: ${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`),
      `applying every deployment to the cluster: 0 changed, ${prod.length} added, 0 removed; 0 workload(s) restart`, '',
    ].join('\n'));
    expect(cluster.requests().filter(r => r.namespace === 'binderhub-prod' && r.verb !== 'get')).toEqual([]);
  });

  test('a deployment whose namespace was deleted: what went in it is added, its cluster-scoped objects are compared, the prune is shown', async () => {
    const leftOver = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'staging-left-over', labels: { [LABEL]: 'staging' }, annotations: { [LAST_APPLIED]: '{}' } } };
    const cluster = await appliedCluster({ objects: [leftOver] });
    const deleted = await spawnAsync(toolPath('kubectl'), ['--kubeconfig', path.join(cwd, 'kubeconfig'), 'delete', 'namespace', NS], { env: { ...process.env, KUBECACHEDIR: path.join(cwd, '.kube-cache') } });
    expect(deleted.status).toBe(0);
    const result = await run('diff', cluster, ['--live', '--deployment', 'staging', '--prune']);
    const added = stagingObjects().filter(o => o.metadata.namespace || o.kind === 'Namespace');
    expect(stagingObjects().filter(o => !added.includes(o)).map(id)).toEqual(expect.arrayContaining(['ClusterRole//staging-image-cleaner']));
    expect([result.status, result.stdout]).toEqual([1, [
      'deployment staging:', ...added.map(o => `  added: ${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`),
      '  removed: ClusterRole/staging-left-over', `applying staging to the cluster: 0 changed, ${added.length} added, 1 removed; 0 workload(s) restart`, '',
    ].join('\n')]);
  });

  test.each([
    [['--live', '--against', 'HEAD'], /^error: --live compares dist\/ with the cluster, --against a synth with a git ref: give one of them\n$/],
    [['--prune'], /^error: --prune goes with --live; see --help\n$/],
    [['--live', '--context', 'nosuch'], /^error: --context nosuch: no such context in the kubeconfig \(KUBECONFIG, ~\/\.kube\/config\); its contexts: fake\n$/],
    [['--live', '--kubeconfig', 'no-such-file'], /^error: --kubeconfig no-such-file: no such file; give a kubeconfig file/],
    [['--live', '--deployment', 'nosuch'], /^error: --deployment nosuch: no such deployment in dist\/; run `npm run synth` first or name one of prod, staging\n$/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const cluster = await start();
    const result = await run('diff', cluster, args);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(message);
    expect(cluster.requests()).toEqual([]);
  });
});

describeWithRealChart('npm run apply and diff --live of the example', chart => {
  test.each(['staging', 'prod'])('%s: applied with --prune, every object in the cluster and every workload rolled out; then no changes', async deployment => {
    cwd = exampleWorkspace('apply-real-chart-');
    expect(runCommand('init-secrets', cwd, { BINDERHUB_CHART: chart }).status).toBe(0);
    finishExampleInputs();
    expect(runCommand('synth', cwd, { BINDERHUB_CHART: chart }).status).toBe(0);
    const files = [`dist/${deployment}.k8s.yaml`, `dist-secrets/${deployment}-secrets.k8s.yaml`].filter(f => fs.existsSync(path.join(cwd, f)));
    const objects = files.flatMap(objectsOf);
    const cluster = await start();
    const applied = await run('apply', cluster, ['--deployment', deployment, '--prune', '--timeout', '120'], { BINDERHUB_CHART: chart });
    expect([applied.status, applied.stderr.split('\n').filter(l => l.startsWith('error'))]).toEqual([0, []]);
    expect(cluster.objects().map(id).sort()).toEqual(objects.map(id).sort());
    const workloads = objects.filter(o => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
    expect(applied.stderr.split('\n').filter(l => l.startsWith('rollout: waiting for '))).toHaveLength(workloads.length);
    const diff = await run('diff', cluster, ['--live', '--prune', '--deployment', deployment]);
    expect([diff.status, diff.stdout]).toEqual([0, `no changes: the cluster matches dist/ and dist-secrets/ of ${deployment}\n`]);
    // Five commands with the real chart, apply's own fresh synth among them: seconds each on a busy machine.
  }, 120000);
});
