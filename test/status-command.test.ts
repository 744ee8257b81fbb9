/**
 * `npm run status` end to end: the example synthesized with the test chart, its objects seeded into the fake API
 * server (test/support/fake-kube-api.ts) as if applied, and the real pinned kubectl reading them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCommandAsync, synthesizedExamplePerTest } from './helpers';
import { fakeKubeApiPerTest, FakeKubeApi, FakeKubeApiOptions, kubeEvent, writeKubeconfig } from './support/fake-kube-api';

const NS = 'binderhub-staging';
const ADDRESS = '203.0.113.7';

// Staging's hub URL as patch-hub-url records it, so the synth renders it discovered.
const example = synthesizedExamplePerTest('status-command-', dir => {
  fs.mkdirSync(path.join(dir, 'hub-urls'));
  fs.writeFileSync(path.join(dir, 'hub-urls', 'staging.url'), `http://${ADDRESS}/\n`);
});
const objectsOf = example.objectsOf;
let cwd: string;
beforeEach(() => {
  cwd = example.folder();
});

const start = fakeKubeApiPerTest();

/** The cluster with staging applied: its files' objects, and proxy-public given `address` by a load balancer (none: pending). */
async function stagingCluster(address: string | undefined, options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const cluster = await start({ ...options, objects: [...objectsOf('dist/staging.k8s.yaml'), ...objectsOf('dist-secrets/staging-secrets.k8s.yaml'), ...(options.objects ?? [])] });
  if (address) cluster.setStatus('Service', NS, 'proxy-public', { loadBalancer: { ingress: [{ ip: address }] } });
  return cluster;
}

function status(cluster: FakeKubeApi | string, args: string[] = [], deployment = 'staging') {
  const url = typeof cluster === 'string' ? cluster : cluster.url;
  return runCommandAsync('status', cwd, { KUBECONFIG: writeKubeconfig(cwd, url), KUBECACHEDIR: path.join(cwd, '.kube-cache') }, ['--deployment', deployment, ...args]);
}

/** The report's lines of one check. */
const linesOf = (stdout: string, check: string) => stdout.split('\n').filter(line => line.slice(8).startsWith(`${check}:`));

const tokenValues = () => Object.values(JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', 'staging.json'), 'utf8')).tokens as Record<string, string>);

describe('npm run status', () => {
  test('a healthy deployment: every check ok, exit 0, and no Secret value printed', async () => {
    const result = await status(await stagingCluster(ADDRESS));
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout.split('\n').filter(Boolean).filter(line => !line.startsWith('ok '))).toEqual([]);
    expect(linesOf(result.stdout, 'hub-url')).toEqual([`ok      hub-url: http://${ADDRESS}/, as the binder pod is configured and hub-urls/ records it`]);
    for (const value of tokenValues()) expect(result.output).not.toContain(value);
  });

  test('--json: the same checks for scripts', async () => {
    const result = await status(await stagingCluster(ADDRESS), ['--json']);
    const report = JSON.parse(result.stdout);
    expect([result.status, report.deployment, report.namespace]).toEqual([0, 'staging', NS]);
    expect(report.checks.map((c: any) => c.status)).not.toContain('failing');
    expect(report.checks.map((c: any) => c.check)).toEqual(expect.arrayContaining(['objects', 'rollout', 'proxy-public', 'hub-url', 'builds']));
  });

  test('a wrong hub URL: proxy-public has another address; named with patch-hub-url, exit 1', async () => {
    const result = await status(await stagingCluster('203.0.113.99'));
    expect(result.status).toBe(1);
    expect(linesOf(result.stdout, 'hub-url')).toEqual([`failing hub-url: the hub URL http://${ADDRESS}/ is not proxy-public's address 203.0.113.99: `
      + 'run `npm run patch-hub-url -- --deployment staging --apply`']);
  });

  test('a pending LoadBalancer is named with its last event, exit 1', async () => {
    const service = { apiVersion: 'v1', kind: 'Service', namespace: NS, name: 'proxy-public' };
    const event = kubeEvent(service, { reason: 'SyncLoadBalancerFailed', message: 'quota exceeded for external addresses' });
    const result = await status(await stagingCluster(undefined, { objects: [event] }));
    expect(result.status).toBe(1);
    expect(linesOf(result.stdout, 'proxy-public')).toEqual([expect.stringMatching(
      /^failing proxy-public: LoadBalancer EXTERNAL-IP pending \(last event: SyncLoadBalancerFailed on service\/proxy-public: quota exceeded for external addresses\);/)]);
  });

  test('a Certificate not Ready is named with the reason from its status, exit 1', async () => {
    const certificate = {
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'hub-tls', namespace: NS },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist' }] },
    };
    const result = await status(await stagingCluster(ADDRESS, { objects: [certificate] }));
    expect(result.status).toBe(1);
    expect(linesOf(result.stdout, 'tls')).toEqual([expect.stringMatching(/^failing tls: Certificate hub-tls is not Ready: DoesNotExist: Issuing certificate as Secret does not exist;/)]);
  });

  test('a failed build pod is named with the push error of its log, exit 1', async () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'build-abc123', namespace: NS, labels: { component: 'binderhub-build' } },
      spec: { containers: [{ name: 'builder', image: 'repo2docker' }] }, status: { phase: 'Failed' },
    };
    const logs = { [`${NS}/build-abc123`]: 'Step 1/9\nSuccessfully built 0123abcd\nPushing image\ndenied: requested access to the resource is denied\n' };
    const result = await status(await stagingCluster(ADDRESS, { objects: [pod], logs }));
    expect(result.status).toBe(1);
    expect(linesOf(result.stdout, 'builds')).toEqual(['failing builds: build pod build-abc123 failed: Pushing image | denied: requested access to the resource is denied']);
  });

  test('a missing Secret behind a SealedSecret is named with the controller\'s event, exit 1', async () => {
    // prod seals its Secrets: applied without a controller that can unseal them, none of them exists.
    const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', namespace: 'binderhub-prod', name: 'binder-build-docker-config' };
    const event = kubeEvent(sealed, { reason: 'ErrUnsealFailed', message: 'Failed to unseal: no key could decrypt secret (config.json)' });
    const cluster = await start({ objects: [...objectsOf('dist/prod.k8s.yaml'), event] });
    const result = await status(cluster, [], 'prod');
    expect(result.status).toBe(1);
    expect(linesOf(result.stdout, 'sealed-secrets')).toContain('failing sealed-secrets: SealedSecret binder-build-docker-config: Secret binder-build-docker-config '
      + 'is missing; last event: ErrUnsealFailed on sealedsecret/binder-build-docker-config: Failed to unseal: no key could decrypt secret (config.json)');
    expect(linesOf(result.stdout, 'registry-login')).toEqual(['failing registry-login: Secret binder-build-docker-config does not exist: builds cannot push their images']);
  });

  test('an unreachable cluster: one line, exit 2', async () => {
    const cluster = await start();
    const url = cluster.url;
    await cluster.close();
    const result = await status(url);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(/^error: no cluster reachable through kubectl: .*; check --kubeconfig \/ --context \(kubectl config current-context\)\n$/);
  });

  test('a bad flag is refused before the cluster is asked anything, exit 2', async () => {
    const cluster = await stagingCluster(ADDRESS);
    const result = await status(cluster, ['--delete-data']);
    expect([result.status, result.stderr]).toEqual([2, 'error: Unknown option \'--delete-data\'; see --help\n']);
    expect(cluster.requests()).toEqual([]);
  });
});
