import { ConfigError } from './errors';
import { KUBECTL_UNREACHABLE, KubectlOptions, kubectlLastLine, runKubectl } from './kubectl';

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
    if (service.spec?.type !== 'LoadBalancer') {
      throw new ConfigError(`Service proxy-public in namespace ${options.namespace} is of type ${service.spec?.type}, so it gets no external `
        + 'address: pass --address with the DNS name or node address users reach JupyterHub at');
    }
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    const address: string | undefined = ingress?.ip || ingress?.hostname;
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
    delay = Math.min(delay * 2, 15000);
  }
}

async function getProxyPublic(options: DiscoverOptions): Promise<any> {
  const result = await runKubectl(options, ['get', 'service', 'proxy-public', '--namespace', options.namespace, '--output', 'json', '--request-timeout', '20s']);
  if (result.status === 0) {
    return JSON.parse(result.stdout);
  }
  const stderr = result.stderr.trim();
  if (/namespaces? "[^"]*" not found/.test(stderr)) {
    throw new ConfigError(`namespace ${options.namespace} does not exist in the cluster: apply the deployment's manifests first (kubectl apply -f dist/)`);
  }
  if (/NotFound|not found/.test(stderr)) {
    throw new ConfigError(`Service proxy-public not found in namespace ${options.namespace}: apply the deployment's manifests first (kubectl apply -f dist/)`);
  }
  if (KUBECTL_UNREACHABLE.test(stderr)) {
    throw new ConfigError(`no cluster reachable through kubectl${options.context ? ` (context ${options.context})` : ''}: ${kubectlLastLine(stderr)}; `
      + 'check --kubeconfig / --context (kubectl config current-context)');
  }
  throw new ConfigError(`kubectl get service proxy-public failed: ${kubectlLastLine(stderr)}`);
}
