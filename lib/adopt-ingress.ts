import { AdoptionNote } from './adopt-registry';
import { getPath, leafPaths, takePath } from './adopt-values';
import { ConfigError } from './errors';
import { IngressOptions, ingressSetup, Tls } from './ingress';
import { PUBLIC_HOSTS_OWNED_PATHS } from './public-hosts';
import { isPlainObject, Values } from './values';

/** How one adopted host gets TLS: `Tls.certManager({ clusterIssuer | issuer })` or `Tls.secret(secretName)`. */
export type TlsPlan = { readonly clusterIssuer: string } | { readonly issuer: string } | { readonly secretName: string };

/** The `ingress` prop of an adopted deployment, with the TLS of each host as a plan. */
export interface IngressPlan {
  readonly binderHost: string;
  readonly hubHost: string;
  readonly ingressClassName?: string;
  readonly binderTls?: TlsPlan;
  readonly hubTls?: TlsPlan;
}

/** The settings of an Ingress section that become props; others are noted as not carried over. */
const READ_KEYS = ['enabled', 'hosts', 'ingressClassName', 'tls'];
/** The annotations that become props (their keys hold dots, so they are not dotted paths). */
const READ_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer', 'kubernetes.io/ingress.class'];

/**
 * Takes both charts' Ingress settings (`ingress.*`, `jupyterhub.ingress.*`) out of `values` when they are enabled,
 * as the `ingress` prop: the first host of each, the class, and TLS from cert-manager's annotation or the first
 * `tls` entry's Secret. The settings the prop owns besides (service types, `hub_url_local`) are noted.
 */
export function planIngress(values: Values, notes: AdoptionNote[]): IngressPlan | undefined {
  const binderOn = getPath(values, 'ingress.enabled') === true;
  const hubOn = getPath(values, 'jupyterhub.ingress.enabled') === true;
  if (!binderOn && !hubOn) return undefined;
  if (binderOn !== hubOn) {
    throw new ConfigError(`${binderOn ? 'ingress' : 'jupyterhub.ingress'}.enabled is true but ${binderOn ? 'jupyterhub.ingress' : 'ingress'}.enabled is not; `
      + 'the ingress prop puts both BinderHub and JupyterHub behind the Ingress: enable both in the values files, or neither');
  }
  const binder = section(values, 'ingress');
  const hub = section(values, 'jupyterhub.ingress');
  const className = binder.ingressClassName ?? hub.ingressClassName ?? annotation(binder, 'kubernetes.io/ingress.class');
  const plan: IngressPlan = {
    binderHost: firstHost(binder, 'ingress.hosts'),
    hubHost: firstHost(hub, 'jupyterhub.ingress.hosts'),
    ...(typeof className === 'string' ? { ingressClassName: className } : {}),
    ...tls(binder, 'binderTls'),
    ...tls(hub, 'hubTls'),
  };
  for (const [name, rest] of [['ingress', binder], ['jupyterhub.ingress', hub]] as const) {
    for (const read of READ_KEYS) takePath(rest, read);
    if (isPlainObject(rest.annotations)) {
      for (const read of READ_ANNOTATIONS) delete rest.annotations[read];
      if (Object.keys(rest.annotations).length === 0) delete rest.annotations;
    }
    for (const leaf of leafPaths(rest, name)) notes.push({ setting: leaf, outcome: 'not carried over: the ingress prop has no such option; add it by hand if you need it' });
  }
  for (const owned of PUBLIC_HOSTS_OWNED_PATHS) {
    if (takePath(values, owned) !== undefined) notes.push({ setting: owned, outcome: 'set by the ingress prop' });
  }
  ingressSetup(ingressOptions(plan), 'adopt'); // the prop's own checks
  return plan;
}

/** The `ingress` prop of `plan`. */
export function ingressOptions(plan: IngressPlan): IngressOptions {
  const tlsOf = (t?: TlsPlan) => t === undefined ? undefined : 'secretName' in t ? Tls.secret(t.secretName) : Tls.certManager(t);
  return { ...plan, binderTls: tlsOf(plan.binderTls), hubTls: tlsOf(plan.hubTls) };
}

function section(values: Values, path: string): Values {
  const value = takePath(values, path);
  if (!isPlainObject(value)) throw new ConfigError(`${path} must be a map in the values files`);
  return value;
}

function annotation(ingress: Values, key: string): unknown {
  return isPlainObject(ingress.annotations) ? ingress.annotations[key] : undefined;
}

function firstHost(ingress: Values, setting: string): string {
  const hosts = ingress.hosts;
  if (!Array.isArray(hosts) || typeof hosts[0] !== 'string') throw new ConfigError(`${setting} must list the host name, such as [binder.example.org]`);
  if (hosts.length > 1) throw new ConfigError(`${setting} lists ${hosts.length} hosts; the ingress prop takes one for each chart: keep one`);
  return hosts[0];
}

function tls(ingress: Values, prop: 'binderTls' | 'hubTls'): { [key: string]: TlsPlan } {
  const clusterIssuer = annotation(ingress, 'cert-manager.io/cluster-issuer');
  const issuer = annotation(ingress, 'cert-manager.io/issuer');
  if (typeof clusterIssuer === 'string') return { [prop]: { clusterIssuer } };
  if (typeof issuer === 'string') return { [prop]: { issuer } };
  const first = Array.isArray(ingress.tls) ? ingress.tls[0] : undefined;
  if (isPlainObject(first) && typeof first.secretName === 'string') return { [prop]: { secretName: first.secretName } };
  return {};
}
