import { ConfigError } from '../core/errors';
import { kubectlError, KubectlOptions, parseKubectlJson, runKubectl } from './kubectl';

/** Options for `discoverProxyAddress`. */
export interface DiscoverOptions extends KubectlOptions {
  /** The deployment's namespace. */
  readonly namespace: string;
  /** How long to wait for an address, in seconds. */
  readonly timeoutSec: number;
  /** Receives one progress line per poll. */
  readonly onProgress?: (line: string) => void;
  /** First wait between polls, in milliseconds; doubles up to 15 s. @default 2000 */
  readonly firstDelayMs?: number;
}

/** The longest address a load balancer can report: a DNS name is at most 253 characters (an IPv6 address at most 45). */
const MAX_ADDRESS_LENGTH = 253;

/** The longest wait between two polls: a load balancer that takes minutes is still seen soon after it is ready. */
export const LONGEST_POLL_DELAY_MS = 15000;

/** What we read of Service proxy-public. The API server always sends a Service's spec, with a type (ClusterIP by default). */
interface ProxyService {
  readonly spec: { readonly type: string };
  /** Set by the load-balancer controller; a Service no controller has touched may lack it. */
  readonly status?: { readonly loadBalancer?: { readonly ingress?: ReadonlyArray<{ readonly ip?: string; readonly hostname?: string }> } };
}

/** The wait before the next poll, after a wait of `delayMs`: twice as long, up to 15 s. */
export function nextPollDelay(delayMs: number): number {
  return Math.min(delayMs * 2, LONGEST_POLL_DELAY_MS);
}

/**
 * Waits until Service proxy-public of `namespace` has an external address and returns it: the load
 * balancer's IP, or its host name (AWS ELB gives a host name, not an IP). Polls with backoff, reporting
 * each state, until `timeoutSec`.
 */
export async function discoverProxyAddress(options: DiscoverOptions): Promise<string> {
  const start = Date.now();
  let delay = options.firstDelayMs ?? 2000;
  for (;;) {
    const service = await getProxyPublic(options);
    if (service.spec.type !== 'LoadBalancer') {
      throw new ConfigError(`Service proxy-public in namespace ${options.namespace} is of type ${service.spec.type}, so it gets no external `
        + 'address: pass --address with the DNS name or node address users reach JupyterHub at');
    }
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    const address: string | undefined = ingress?.ip || ingress?.hostname;
    if (address !== undefined && address.length > MAX_ADDRESS_LENGTH) {
      // Not quoted: a progress line or an error of megabytes is no line.
      throw new ConfigError(`Service proxy-public in namespace ${options.namespace} reports an address of ${address.length} characters, longer than any host name `
        + `(${MAX_ADDRESS_LENGTH}); check its load balancer, or pass --address with the DNS name users reach JupyterHub at`);
    }
    const elapsed = Math.round((Date.now() - start) / 1000);
    if (address) {
      options.onProgress?.(`proxy-public in ${options.namespace}: ${address} (after ${elapsed}s)`);
      return address;
    }
    options.onProgress?.(`proxy-public in ${options.namespace}: EXTERNAL-IP pending (${elapsed}s of ${options.timeoutSec}s)`);
    const remaining = options.timeoutSec * 1000 - (Date.now() - start);
    if (remaining <= 0) {
      throw new ConfigError(`Service proxy-public in namespace ${options.namespace} still has no external address after ${options.timeoutSec}s; `
        + 'the cluster may have no load-balancer controller (bare metal, kubeadm, minikube: use MetalLB or `minikube tunnel`), '
        + 'or pass --address with the DNS name users reach JupyterHub at');
    }
    await new Promise(resolve => setTimeout(resolve, Math.min(delay, remaining)));
    delay = nextPollDelay(delay);
  }
}

async function getProxyPublic(options: DiscoverOptions): Promise<ProxyService> {
  const result = await runKubectl(options, ['get', 'service', 'proxy-public', '--namespace', options.namespace, '--output', 'json']);
  if (result.status === 0) {
    return parseKubectlJson(result.stdout, `kubectl get service proxy-public --namespace ${options.namespace}`);
  }
  // When the Service is not found, kubectl looks for its namespace, and names the namespace if that is missing.
  if (/namespaces "[^"]*" not found/.test(result.stderr)) {
    throw new ConfigError(`namespace ${options.namespace} does not exist in the cluster: apply the deployment's manifests first (kubectl apply -f dist/)`);
  }
  if (/NotFound|not found/.test(result.stderr)) {
    throw new ConfigError(`Service proxy-public not found in namespace ${options.namespace}: apply the deployment's manifests first (kubectl apply -f dist/)`);
  }
  throw kubectlError('kubectl get service proxy-public', result.stderr, options);
}
