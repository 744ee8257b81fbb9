import { ConfigError } from '../core/errors';
import { hostNameProblem } from '../core/names';
import { Values } from '../core/values';

/**
 * What the `ingress` and `gateway` props share: BinderHub and JupyterHub on a DNS name each, reached through a
 * proxy in front of the cluster, so both Services are ClusterIP and the hub URL is known at synth.
 */

/** The two public hosts of a deployment. */
export interface PublicHosts {
  /** BinderHub's host, such as binder.example.org. */
  readonly binderHost: string;
  /** JupyterHub's host, such as hub.example.org. */
  readonly hubHost: string;
}

/** The prop that puts a deployment on public hosts. */
export type PublicHostsProp = 'ingress' | 'gateway';

/** What the `ingress` or `gateway` prop contributes to a deployment's chart values and hub URL. */
export interface PublicHostsSetup {
  /** The prop, for messages. */
  readonly prop: PublicHostsProp;
  /** The chart values. */
  readonly values: Values;
  /** The chart values it owns: `chartValues` must leave them alone. */
  readonly ownedPaths: readonly string[];
  /** The hub URL it fixes. */
  readonly hubUrl: string;
  /** BinderHub's public URL, with its trailing slash. */
  readonly binderUrl: string;
}

/** The hub API inside the cluster: Service proxy-public, port 80, which stays plain http behind the proxy. */
export const IN_CLUSTER_HUB_URL = 'http://proxy-public/';

/** Chart values that both props own: `chartValues` must leave them alone. */
export const PUBLIC_HOSTS_OWNED_PATHS: readonly string[] = [
  'ingress', 'service.type', 'jupyterhub.ingress', 'jupyterhub.proxy.service.type', 'jupyterhub.proxy.https', 'config.BinderHub.hub_url_local',
];

/** More hosts of each, where a prop takes them (`ingress`). */
export interface ExtraHosts {
  readonly binderExtraHosts?: readonly string[];
  readonly hubExtraHosts?: readonly string[];
}

/** Fails unless every host is a DNS name (no scheme, port or IP address) and none is given twice. */
export function checkPublicHosts(prop: PublicHostsProp, hosts: PublicHosts & ExtraHosts): void {
  const named: Array<[string, string]> = [
    ['binderHost', hosts.binderHost], ['hubHost', hosts.hubHost],
    ...extraHosts(prop, 'binderExtraHosts', hosts.binderExtraHosts), ...extraHosts(prop, 'hubExtraHosts', hosts.hubExtraHosts),
  ];
  for (const [field, host] of named) {
    const problem = hostNameProblem(host);
    if (problem) {
      throw new ConfigError(`${prop} ${field} "${host}" ${problem}; give one such as binder.example.org `
        + '(lowercase, with a dot, labels of at most 63 characters, no scheme, port or IP address)');
    }
  }
  named.forEach(([field, host], i) => {
    const first = named.findIndex(([, other]) => other === host);
    if (first < i) {
      throw new ConfigError(`${prop} ${named[first][0]} and ${field} are both "${host}"; `
        + (first === 0 && i === 1 ? 'BinderHub and JupyterHub need a host each' : 'give each host once, to one of BinderHub and JupyterHub'));
    }
  });
}

function extraHosts(prop: PublicHostsProp, field: string, hosts: readonly string[] | undefined): Array<[string, string]> {
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts)) throw new ConfigError(`${prop} ${field} must be a list of host names, such as ['binder.example.net']`);
  return hosts.map((host, i): [string, string] => [`${field}[${i}]`, host]);
}

/**
 * Both Services ClusterIP (the proxy in front reaches them inside the cluster), and an in-cluster hub API address
 * so BinderHub never leaves the cluster to reach its hub.
 */
export function clusterIpValues(): Values {
  return {
    service: { type: 'ClusterIP' },
    jupyterhub: { proxy: { service: { type: 'ClusterIP' } } },
    config: { BinderHub: { hub_url_local: IN_CLUSTER_HUB_URL } },
  };
}

/** The public URLs of the hub and of BinderHub on their hosts. */
export function publicUrls(hosts: PublicHosts, https: boolean): { hubUrl: string; binderUrl: string } {
  const scheme = https ? 'https' : 'http';
  return { hubUrl: `${scheme}://${hosts.hubHost}/`, binderUrl: `${scheme}://${hosts.binderHost}/` };
}
