/**
 * Waiting for the external address of Service proxy-public (lib/cluster/proxy-address.ts), in this process: the real pinned
 * kubectl against the fake API server (test/support/fake-kube-api.ts), whose Service changes from one read to the next
 * as a load-balancer controller would change it, and a clock that moves only when a test moves it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, discoverProxyAddress, DiscoverOptions, nextPollDelay } from '../lib/internal';
import { fakeKubeApiPerTest, FakeKubeApi } from './support/fake-kube-api';
import { fakeClock } from './helpers';
import { recordingKubectl, shellScript } from './support/kubectl-scripts';

const NS = 'binder-prod';
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
const proxyPublic = (type: string) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'proxy-public', namespace: NS }, spec: { type, ports: [{ name: 'http', port: 80 }] },
});

const start = fakeKubeApiPerTest();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-address-'));
});
afterEach(() => {
  jest.restoreAllMocks();
});

/**
 * A cluster whose Service proxy-public (a LoadBalancer, with no status at first) gets each of `statuses` in turn,
 * one per read (undefined: no change); the last one stays.
 */
function clusterWithStatuses(statuses: Array<object | undefined>): Promise<FakeKubeApi> {
  let reads = 0;
  return start({
    objects: [NAMESPACE, proxyPublic('LoadBalancer')],
    beforeRequest: (request, api) => {
      if (request.verb !== 'get' || request.resource !== 'services') return;
      const status = statuses[Math.min(reads++, statuses.length - 1)];
      if (status !== undefined) api.setStatus('Service', NS, 'proxy-public', status);
    },
  });
}

/** Options for `cluster`, with the progress lines collected in `lines`, and `onLine` called with each. */
function optionsFor(cluster: FakeKubeApi, timeoutSec: number, lines: string[], onLine: (line: string) => void = () => undefined): DiscoverOptions {
  const { options } = recordingKubectl(dir, cluster.url);
  return { ...options, namespace: NS, timeoutSec, firstDelayMs: 10, onProgress: line => { lines.push(line); onLine(line); } };
}

const serviceReads = (cluster: FakeKubeApi) => cluster.requests().filter(r => r.verb === 'get' && r.resource === 'services');

describe('discoverProxyAddress', () => {
  test('polls while the address is pending (no status yet, then a status without a load balancer), one line each, and returns the IP', async () => {
    const clock = fakeClock();
    const cluster = await clusterWithStatuses([undefined, {}, { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } }]);
    const lines: string[] = [];
    const address = await discoverProxyAddress(optionsFor(cluster, 60, lines, () => clock.advance(1500)));
    expect(address).toBe('203.0.113.7');
    expect(lines).toEqual([
      `proxy-public in ${NS}: EXTERNAL-IP pending (0s of 60s)`,
      `proxy-public in ${NS}: EXTERNAL-IP pending (2s of 60s)`,
      `proxy-public in ${NS}: 203.0.113.7 (after 3s)`,
    ]);
    // Each read gives up after the request timeout (30 s unless given), so an API server that does not answer cannot hold the command forever.
    expect(serviceReads(cluster).map(r => r.query.timeout)).toEqual(['30s', '30s', '30s']);
  });

  test('a load balancer with a host name and no IP (AWS ELB): the host name', async () => {
    const cluster = await clusterWithStatuses([{ loadBalancer: { ingress: [{ hostname: 'a1b2-123.eu-west-1.elb.amazonaws.com' }] } }]);
    expect(await discoverProxyAddress(optionsFor(cluster, 60, []))).toBe('a1b2-123.eu-west-1.elb.amazonaws.com');
  });

  test('a load balancer host name longer than any DNS name (5 MB) is refused in one short line, quoting none of it, with no progress line', async () => {
    const cluster = await clusterWithStatuses([{ loadBalancer: { ingress: [{ hostname: `${'a'.repeat(5 * 1024 * 1024)}.elb.example.com` }] } }]);
    const lines: string[] = [];
    await expect(discoverProxyAddress(optionsFor(cluster, 60, lines))).rejects.toThrow(new ConfigError(
      `Service proxy-public in namespace ${NS} reports an address of ${5 * 1024 * 1024 + 16} characters, longer than any host name (253); `
      + 'check its load balancer, or pass --address with the DNS name users reach JupyterHub at'));
    expect(lines).toEqual([]);
  });

  test('gives up as soon as the time is up, without another read', async () => {
    const clock = fakeClock();
    const cluster = await clusterWithStatuses([{ loadBalancer: {} }]);
    const lines: string[] = [];
    await expect(discoverProxyAddress(optionsFor(cluster, 3, lines, () => clock.advance(3000)))).rejects.toThrow(new ConfigError(
      `Service proxy-public in namespace ${NS} still has no external address after 3s; the cluster may have no load-balancer controller `
      + '(bare metal, kubeadm, minikube: use MetalLB or `minikube tunnel`), or pass --address with the DNS name users reach JupyterHub at'));
    expect(lines).toEqual([`proxy-public in ${NS}: EXTERNAL-IP pending (0s of 3s)`]);
    expect(serviceReads(cluster)).toHaveLength(1);
  });

  test.each([
    ['the Service is not a LoadBalancer', { objects: [NAMESPACE, proxyPublic('NodePort')] },
      `Service proxy-public in namespace ${NS} is of type NodePort, so it gets no external address: pass --address with the DNS name or node address users reach JupyterHub at`],
    ['the Service is missing', { objects: [NAMESPACE] },
      `Service proxy-public not found in namespace ${NS}: apply the deployment's manifests first (kubectl apply -f dist/)`],
    ['the namespace is missing', { objects: [] },
      `namespace ${NS} does not exist in the cluster: apply the deployment's manifests first (kubectl apply -f dist/)`],
    ['the cluster forbids reading the Service: kubectl\'s refusal, not "no cluster reachable"', { objects: [NAMESPACE, proxyPublic('LoadBalancer')], forbidden: [{ resource: 'services' }] },
      `kubectl get service proxy-public failed: Error from server (Forbidden): services "proxy-public" is forbidden: User "tester" cannot get resource "services" in API group "" in the namespace "${NS}"`],
  ])('fails with one line when %s', async (_, cluster, message) => {
    await expect(discoverProxyAddress(optionsFor(await start(cluster), 60, []))).rejects.toThrow(new ConfigError(message));
  });

  test('a kubectl that prints no JSON is named, not parsed', async () => {
    const kubectl = shellScript(dir, 'kubectl', 'echo "service/proxy-public"\n');
    await expect(discoverProxyAddress({ kubectl, namespace: NS, timeoutSec: 60 })).rejects.toThrow(new ConfigError(
      `kubectl get service proxy-public --namespace ${NS} printed no JSON; check the kubectl in use (KUBECTL)`));
  });

  test('fails with one line naming the context when no cluster answers', async () => {
    const cluster = await start();
    await cluster.close();
    const port = new URL(cluster.url).port;
    await expect(discoverProxyAddress({ ...optionsFor(cluster, 60, []), context: 'fake' })).rejects.toThrow(new ConfigError(
      `no cluster reachable through kubectl (context fake): The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?; `
      + 'check --kubeconfig / --context (kubectl config current-context)'));
  });
});

describe('nextPollDelay', () => {
  test.each([
    [10, 20],
    [2000, 4000],
    [8000, 15000],
    [15000, 15000],
    [30000, 15000],
  ])('after a wait of %i ms, the next is %i ms', (delay, next) => {
    expect(nextPollDelay(delay)).toBe(next);
  });
});
