/**
 * `npm run patch-hub-url` end to end: the built CLI as the npm script runs it, the real kubectl, and the fake API
 * server of test/support/fake-kube-api.ts on 127.0.0.1, holding the namespace and the Service as each test sets them
 * (kubectl reads the Service and, on NotFound, the namespace).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BinderHub, ChartSource, hubUrlState } from '../lib/internal';
import { CommandResult, exampleWorkspace, fakeTokens, FIXTURE_CHART, runCommand, runCommandAsync, TEST_REGISTRY } from './helpers';
import { FakeKubeApi, FakeKubeApiOptions, kubeEvent, writeKubeconfig } from './support/fake-kube-api';

const NAMESPACE = 'binder-prod';

type ServiceState = { type?: string; ingress?: Array<{ ip?: string; hostname?: string }> } | 'missing' | 'no-namespace';

const serviceStatus = (state: Exclude<ServiceState, string>) => ({ loadBalancer: state.ingress ? { ingress: state.ingress } : {} });

/**
 * A fake API server whose Service proxy-public goes through the states one GET after another (the last one
 * repeats), as its load-balancer controller would move it along. 'missing' and 'no-namespace' hold throughout.
 */
async function fakeCluster(states: ServiceState[]): Promise<FakeKubeApi> {
  const first = states[0];
  const objects: object[] = states.includes('no-namespace') ? [] : [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }];
  if (typeof first === 'object') {
    objects.push({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'proxy-public', namespace: NAMESPACE },
      spec: { type: first.type ?? 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, status: serviceStatus(first),
    });
  }
  let gets = 0;
  return FakeKubeApi.start({
    objects,
    beforeRequest: (request, api) => {
      if (request.verb !== 'get' || request.resource !== 'services') return;
      const state = states[Math.min(gets++, states.length - 1)];
      if (typeof state === 'object') api.setStatus('Service', NAMESPACE, 'proxy-public', serviceStatus(state));
    },
  });
}

/** How many times the command read the Service. */
const serviceGets = (cluster: FakeKubeApi) => cluster.requests().filter(r => r.verb === 'get' && r.resource === 'services').length;

/** A working folder with dist/prod.k8s.yaml as a synth writes it. */
function workspace(props: object = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-e2e-'));
  const app = Testing.app({ outdir: path.join(dir, 'dist') });
  new BinderHub(app, 'prod', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('prod'), namespace: NAMESPACE, registry: TEST_REGISTRY, ...props });
  app.synth();
  return dir;
}

/** Runs the CLI without blocking this process, whose event loop serves the fake cluster. */
function cli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return runCommandAsync('patch-hub-url', cwd, { KUBECACHEDIR: path.join(cwd, 'kube-cache'), ...env }, ['--deployment', 'prod', ...args]);
}

const manifest = (dir: string) => fs.readFileSync(path.join(dir, 'dist', 'prod.k8s.yaml'), 'utf8');
const pending = { ingress: undefined };

describe('npm run patch-hub-url', () => {
  test.each([
    ['an IP', { ip: '203.0.113.7' }, 'http://203.0.113.7/'],
    ['a host name (AWS ELB)', { hostname: 'a1b2-123.eu-west-1.elb.amazonaws.com' }, 'http://a1b2-123.eu-west-1.elb.amazonaws.com/'],
  ])('waits while pending, then patches and records %s', async (_, ingress, url) => {
    const cluster = await fakeCluster([pending, { ingress: [ingress] }]);
    const dir = workspace();
    try {
      const result = await cli(dir, ['--kubeconfig', writeKubeconfig(dir, cluster.url), '--interval', '1', '--timeout', '60']);
      expect(result.stderr).toMatch(/proxy-public in binder-prod: EXTERNAL-IP pending \(\d+s of 60s\)\n/);
      expect(result.status).toBe(0);
      expect(serviceGets(cluster)).toBe(2);
      expect(hubUrlState(manifest(dir))).toEqual({ namespace: NAMESPACE, url, source: 'discovered' });
      expect(fs.readFileSync(path.join(dir, 'hub-urls', 'prod.url'), 'utf8')).toBe(`${url}\n`);
      expect(result.stdout).toContain(`hub URL ${url} (was pending)`);
    } finally {
      await cluster.close();
    }
  });

  const failures: Array<[string, ServiceState[], string[], RegExp]> = [
    ['the Service is missing', ['missing'], [], /^error: Service proxy-public not found in namespace binder-prod: apply the deployment's manifests first/],
    ['the namespace is missing', ['no-namespace'], [], /^error: namespace binder-prod does not exist in the cluster/],
    ['the Service is not a LoadBalancer', [{ type: 'NodePort' }], [], /^error: Service proxy-public in namespace binder-prod is of type NodePort, so it gets no external address: pass --address/],
    ['the address stays pending', [pending], ['--timeout', '1', '--interval', '1'],
      /^error: Service proxy-public in namespace binder-prod still has no external address after 1s; .*load-balancer controller .*--address/m],
  ];
  test.each(failures)('fails clearly, leaving dist/ alone, when %s', async (_, states, args, message) => {
    const cluster = await fakeCluster(states);
    const dir = workspace();
    const before = manifest(dir);
    try {
      const result = await cli(dir, ['--kubeconfig', writeKubeconfig(dir, cluster.url), ...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(manifest(dir)).toBe(before);
      expect(fs.existsSync(path.join(dir, 'hub-urls'))).toBe(false);
    } finally {
      await cluster.close();
    }
  });

  test('fails clearly when no cluster answers', async () => {
    const cluster = await fakeCluster([]);
    await cluster.close(); // the port is now closed
    const dir = workspace();
    const result = await cli(dir, ['--kubeconfig', writeKubeconfig(dir, cluster.url)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: no cluster reachable through kubectl: .*refused.*; check --kubeconfig/);
  });

  test('fails clearly when kubectl is missing', async () => {
    const dir = workspace();
    const result = await cli(dir, [], { KUBECTL: '/no/such/kubectl' });
    expect(result.stderr).toMatch(/^error: cannot run kubectl at \/no\/such\/kubectl: run `npm ci`/);
    expect(result.status).toBe(1);
  });

  test('--address skips discovery; a second run changes nothing', async () => {
    const dir = workspace();
    const first = await cli(dir, ['--address', 'hub.example.org', '--scheme', 'https']);
    expect(first.status).toBe(0);
    const file = path.join(dir, 'dist', 'prod.k8s.yaml');
    const stat = fs.statSync(file);
    const second = await cli(dir, ['--address', 'hub.example.org', '--scheme', 'https']);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('hub URL https://hub.example.org/ already');
    expect(fs.statSync(file).mtimeMs).toBe(stat.mtimeMs);
    expect(hubUrlState(manifest(dir)).url).toBe('https://hub.example.org/');
  });

  const password = 'AddrPw-Zt55-secret';
  test.each([
    [`${password}@hub.example.org`, 'error: --address "***@hub.example.org" is neither an IP address nor a host name; give an IP address '
      + 'or a DNS name, such as 203.0.113.7 or hub.example.org\n'],
    [`admin:${password}@hub.example.org`, 'error: --address "***@hub.example.org" is neither an IP address nor a host name; give an IP address '
      + 'or a DNS name, such as 203.0.113.7 or hub.example.org\n'],
  ])('--address %s is refused without echoing the password, before anything is written', async (address, error) => {
    const dir = workspace();
    const before = manifest(dir);
    const result = await cli(dir, ['--address', address, '--scheme', 'https']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(error);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect(result.stdout + result.stderr).not.toContain(Buffer.from(password).toString('base64'));
    expect(manifest(dir)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'hub-urls'))).toBe(false);
  });

  test('--dist and --records: patches the manifest in that folder and records the URL in that one; dist/ and hub-urls/ stay absent', async () => {
    const dir = workspace();
    fs.renameSync(path.join(dir, 'dist'), path.join(dir, 'out'));
    const result = await cli(dir, ['--address', '203.0.113.7', '--dist', 'out', '--records', 'urls']);
    expect(result.status).toBe(0);
    expect(hubUrlState(fs.readFileSync(path.join(dir, 'out', 'prod.k8s.yaml'), 'utf8'))).toEqual({ namespace: NAMESPACE, url: 'http://203.0.113.7/', source: 'discovered' });
    expect(fs.readFileSync(path.join(dir, 'urls', 'prod.url'), 'utf8')).toBe('http://203.0.113.7/\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['out', 'urls']);
  });

  test('--help prints the usage, options included, and touches nothing', async () => {
    const dir = workspace();
    const before = manifest(dir);
    const result = await cli(dir, ['--help']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^usage: npm run patch-hub-url -- --deployment <name> \[options\]\n/);
    for (const option of ['--dist <dir>', '--address <ip|host>', '--scheme http|https', '--records <dir>', '--apply']) expect(result.stdout).toContain(`  ${option}`);
    expect(manifest(dir)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
  });

  test('a deployment with a fixed hub URL needs no patch', async () => {
    const dir = workspace({ hubUrl: 'https://hub.example.org' });
    const before = manifest(dir);
    const result = await cli(dir, ['--address', '203.0.113.7']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/fixed hub URL, https:\/\/hub\.example\.org\/, set in code: nothing to patch/);
    expect(manifest(dir)).toBe(before);
  });

  test('fails clearly before a synth', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-e2e-'));
    const result = await cli(dir, ['--address', '203.0.113.7']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: dist/prod.k8s.yaml does not exist: dist/ holds no deployment; run `npm run synth` first if prod is new (or pass --dist)\n');
  });
});

test('npm run patch-hub-url: a --kubeconfig that is no file is refused in one line, and nothing is written', async () => {
  const dir = workspace();
  const before = manifest(dir);
  const result = await cli(dir, ['--kubeconfig', path.join(dir, 'no-such-kubeconfig')]);
  expect([result.status, result.stderr]).toEqual([1, `error: --kubeconfig ${path.join(dir, 'no-such-kubeconfig')}: no such file; give a kubeconfig file (or leave the option out for KUBECONFIG, ~/.kube/config)\n`]);
  expect(manifest(dir)).toBe(before);
});

describe('npm run patch-hub-url --apply', () => {
  // The example's staging, synthesized once: --apply checks the files against a fresh synth of main.ts.
  const STAGING = 'binderhub-staging';
  let synthesized: string;
  beforeAll(() => {
    synthesized = exampleWorkspace('patch-apply-');
    expect(runCommand('init-secrets', synthesized).status).toBe(0);
    expect(runCommand('synth', synthesized).status).toBe(0);
  });

  /** Runs `--apply` of staging with a known address against a fresh fake cluster made with `options`, `edit` made to the workspace first. */
  async function applyTo(options: FakeKubeApiOptions, args: string[] = [], edit: (dir: string) => void = () => {}) {
    const cluster = await FakeKubeApi.start(options);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-apply-'));
    fs.cpSync(synthesized, dir, { recursive: true });
    edit(dir);
    try {
      const result = await runCommandAsync('patch-hub-url', dir, { KUBECACHEDIR: path.join(dir, 'kube-cache') },
        ['--deployment', 'staging', '--address', '203.0.113.7', '--apply', '--kubeconfig', writeKubeconfig(dir, cluster.url), ...args]);
      return { result, cluster, dir };
    } finally {
      await cluster.close();
    }
  }
  const stagingManifest = (dir: string) => fs.readFileSync(path.join(dir, 'dist', 'staging.k8s.yaml'), 'utf8');

  test('applies the patched file, then waits for the binder rollout', async () => {
    const { result, cluster } = await applyTo({}, ['--timeout', '90']);
    expect(result.status).toBe(0);
    expect(cluster.get('ConfigMap', STAGING, 'binder-hub-url').data).toEqual({ hub_url: 'http://203.0.113.7/' });
    expect(result.stdout).toMatch(/hub URL http:\/\/203\.0\.113\.7\/ \(was pending\)[\s\S]*configmap\/binder-hub-url created\n/);
    expect(result.stderr).toBe('rollout: waiting for deployment/binder (1 of 1)\ndeployment "binder" successfully rolled out\n');
    const verbs = cluster.requests().filter(r => r.verb === 'create' || r.verb === 'watch').map(r => r.verb);
    expect(verbs.indexOf('watch')).toBeGreaterThan(verbs.lastIndexOf('create'));
  });

  test('a failed apply stops before the rollout wait and says what kubectl said; the patch itself stands', async () => {
    const { result, cluster, dir } = await applyTo({ forbidden: [{ verb: 'create', resource: 'configmaps' }], user: 'ci-deployer' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: kubectl apply --filename ${path.join('dist', 'staging.k8s.yaml').replace(/[./]/g, '\\$&')} failed: `
      + 'Error from server \\(Forbidden\\): .*configmaps is forbidden: User "ci-deployer" cannot create resource "configmaps"'));
    expect(cluster.requests().filter(r => r.verb === 'watch')).toEqual([]);
    expect(hubUrlState(stagingManifest(dir)).url).toBe('http://203.0.113.7/');
  });

  test('a binder that does not become ready fails the command, naming it and its last event', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: STAGING, name: 'binder-6f7-k2x9z' };
    const { result } = await applyTo({
      rollouts: { [`Deployment/${STAGING}/binder`]: 'stuck' },
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: STAGING } },
        kubeEvent(pod, { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 500', lastTimestamp: '2026-11-26T10:00:00Z' })],
    }, ['--timeout', '2']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('rollout: waiting for deployment/binder (1 of 1)\n'
      + `error: deployment/binder in namespace ${STAGING} was not ready when --timeout ran out (2 s for all workloads; error: timed out waiting for the condition); `
      + 'last event: Unhealthy on pod/binder-6f7-k2x9z: Readiness probe failed: HTTP probe failed with statuscode: 500; '
      + `see kubectl describe deployment binder --namespace ${STAGING}\n`);
  });

  test.each([
    ['a ClusterRoleBinding to cluster-admin', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: staging-everything\n'
      + 'roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n'
      + `subjects:\n  - kind: ServiceAccount\n    name: default\n    namespace: ${STAGING}\n`, 'it adds ClusterRoleBinding/staging-everything'],
    ['a ConfigMap in kube-system', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns\n  namespace: kube-system\n', 'it adds ConfigMap/kube-system/coredns'],
  ])('%s appended to the manifest is refused, naming it, before anything is written or kubectl is asked anything', async (_, object, what) => {
    let before = '';
    const { result, cluster, dir } = await applyTo({}, [], workspaceDir => {
      fs.appendFileSync(path.join(workspaceDir, 'dist', 'staging.k8s.yaml'), `---\n${object}`);
      before = stagingManifest(workspaceDir);
    });
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', `error: dist/staging.k8s.yaml is not what a fresh synth of main.ts writes: ${what}: `
      + 'run `npm run diff` to see what differs and `npm run synth` to write the files again, and find out who changed them\n']);
    expect(cluster.requests()).toEqual([]);
    expect(stagingManifest(dir)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'hub-urls'))).toBe(false);
  });

  test('a plaintext Secret in dist/ of a deployment in SecretsMode.separate() is refused, naming it', async () => {
    const secret = `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: smuggled\n  namespace: ${STAGING}\nstringData:\n  token: not-ours\n`;
    const { result, cluster } = await applyTo({}, [], dir => fs.appendFileSync(path.join(dir, 'dist', 'staging.k8s.yaml'), secret));
    expect([result.status, result.stderr]).toEqual([1, `error: dist/staging.k8s.yaml: Secret ${STAGING}/smuggled holds plaintext data, but deployment staging `
      + 'keeps its Secrets out of dist/ (separate mode): remove it and run `npm run synth`\n']);
    expect(cluster.requests()).toEqual([]);
  });
});

describe('npm run patch-hub-url validates everything before it writes', () => {
  const untouched = (dir: string, before: string) => {
    expect(manifest(dir)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'hub-urls'))).toBe(false);
  };

  test.each([
    ['a deployment name with a path', ['--deployment', '../x', '--address', '203.0.113.7'], /^error: --deployment "\.\.\/x" must be lowercase letters, digits and '-'/],
    ['an IPv4 address with a missing part', ['--address', '1.2.3'], /^error: --address "1\.2\.3" is neither an IP address nor a host name; give an IP address or a DNS name/],
    ['an address as one number', ['--address', '2130706433'], /^error: --address "2130706433" is neither an IP address nor a host name/],
    ['an address with a scheme', ['--address', 'http://203.0.113.7'], /^error: --address "http:\/\/203\.0\.113\.7" is neither .*; give the address without a scheme \(the scheme is --scheme\)/],
    ['a --timeout Number() reads but kubectl cannot', ['--address', '203.0.113.7', '--timeout', '1e21'], /^error: --timeout must be a whole number of seconds from 1 to 86400 \(a day\), got "1e21"$/m],
    ['a --timeout of zero', ['--address', '203.0.113.7', '--timeout', '0'], /^error: --timeout must be a whole number of seconds from 1 to 86400 \(a day\), got "0"$/m],
    ['an --interval of Infinity', ['--address', '203.0.113.7', '--interval', 'Infinity'],
      /^error: --interval must be a whole number of seconds from 1 to 15 \(the longest wait between polls\), got "Infinity"$/m],
  ])('refuses %s, writing nothing', async (_name, args, message) => {
    const dir = workspace();
    const before = manifest(dir);
    const result = await cli(dir, args);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    untouched(dir, before);
    expect(fs.existsSync(path.join(dir, '..', 'x.k8s.yaml'))).toBe(false);
  });

  test('an address with credentials is refused without echoing them', async () => {
    const dir = workspace();
    const result = await cli(dir, ['--address', 'http://admin:S3cretPassw0rd@203.0.113.7']);
    expect(result.stderr).toMatch(/^error: --address "http:\/\/\*\*\*@203\.0\.113\.7" is neither/);
    expect(result.stderr).not.toContain('S3cretPassw0rd');
  });

  test('a records folder that cannot be written stops it before the manifest changes', async () => {
    const dir = workspace();
    const before = manifest(dir);
    fs.writeFileSync(path.join(dir, 'not-a-folder'), '');
    const result = await cli(dir, ['--address', '203.0.113.7', '--records', 'not-a-folder/hub-urls']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*not-a-folder is a file where the hub URL records folder not-a-folder\/hub-urls should be; move it away or pass --records/);
    untouched(dir, before);
  });

  test('a record that is a link to the secrets file is refused without printing any of it (a token stays unprinted)', async () => {
    const dir = workspace();
    const before = manifest(dir);
    const token = 'f0'.repeat(32);
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'prod.json'), JSON.stringify({ tokens: { proxySecretToken: token } }), { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'hub-urls'));
    fs.symlinkSync('../secrets/prod.json', path.join(dir, 'hub-urls', 'prod.url'));
    const result = await cli(dir, ['--address', '203.0.113.7']);
    expect([result.status, result.stderr]).toEqual([1,
      'error: the URL in hub-urls/prod.url is not a URL; give the public address of JupyterHub, such as http://203.0.113.7 or https://hub.example.org\n']);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(manifest(dir)).toBe(before);
  });

  test('a folder where the record file goes stops it before the manifest changes', async () => {
    const dir = workspace();
    const before = manifest(dir);
    fs.mkdirSync(path.join(dir, 'hub-urls', 'prod.url'), { recursive: true });
    const result = await cli(dir, ['--address', '203.0.113.7']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: hub-urls/prod.url is a folder, not a regular file; remove it and run `npm run patch-hub-url -- --deployment prod` again '
      + '(it should hold the deployment\'s recorded hub URL, at most 2 KiB)\n');
    expect(manifest(dir)).toBe(before);
  });
});
