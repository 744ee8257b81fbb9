import { AdoptionNote } from './adopt-registry';
import { getPath, leafPaths, takePath } from './adopt-values';
import { ConfigError } from '../core/errors';
import { CertManagerTlsProps, IngressOptions, ingressSetup, Tls } from '../deployment/ingress';
import { PUBLIC_HOSTS_OWNED_PATHS } from '../deployment/public-hosts';
import { isEmptyValue, isPlainObject, Values } from '../core/values';

/**
 * How one adopted host gets TLS: `Tls.certManager(certManager)`, `Tls.secret(secretName)`, or (the hub host only) the
 * jupyterhub chart's own Let's Encrypt, `Tls.letsEncrypt(letsEncrypt)` with the contact email.
 */
export type TlsPlan = { readonly certManager: CertManagerTlsProps } | { readonly secretName: string } | { readonly letsEncrypt: string };

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
/** The Ingress annotations adopt reads: cert-manager's issuers and its default-issuer switch, and the old class annotation. */
export const CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const ISSUER = 'cert-manager.io/issuer';
export const TLS_ACME = 'kubernetes.io/tls-acme';
export const INGRESS_CLASS = 'kubernetes.io/ingress.class';

/**
 * Takes both charts' Ingress settings (`ingress.*`, `jupyterhub.ingress.*`, or for the hub the jupyterhub chart's
 * Let's Encrypt, `jupyterhub.proxy.https`) out of `values` when they are enabled, as the `ingress` prop: the first host
 * of each (the others are noted), the class, and TLS from the `tls` entry of that host, issued by cert-manager when
 * an issuer annotation says so. The settings the prop owns besides (service types, `hub_url_local`) are noted.
 */
export function planIngress(values: Values, notes: AdoptionNote[]): IngressPlan | undefined {
  const binderOn = getPath(values, 'ingress.enabled') === true;
  const hubOn = getPath(values, 'jupyterhub.ingress.enabled') === true;
  const letsEncrypt = getPath(values, 'jupyterhub.proxy.https.enabled') === true && getPath(values, 'jupyterhub.proxy.https.type') === 'letsencrypt';
  if (!binderOn && !hubOn) return undefined;
  if (binderOn !== hubOn && !(binderOn && letsEncrypt)) {
    throw new ConfigError(`${binderOn ? 'ingress' : 'jupyterhub.ingress'}.enabled is true but ${binderOn ? 'jupyterhub.ingress' : 'ingress'}.enabled is not; `
      + 'the ingress prop puts BinderHub behind the Ingress, and JupyterHub too or on the jupyterhub chart\'s Let\'s Encrypt (jupyterhub.proxy.https): '
      + 'enable both Ingresses in the values files, or neither');
  }
  if (hubOn && letsEncrypt) {
    throw new ConfigError('jupyterhub.ingress and the jupyterhub chart\'s Let\'s Encrypt (jupyterhub.proxy.https) are both enabled; the ingress prop takes one '
      + 'for the hub: disable one in the values files');
  }
  const binder = section(values, 'ingress');
  const binderHost = firstHost(binder, 'ingress', notes);
  const hub = hubOn ? hubIngress(values, notes) : hubLetsEncrypt(values, notes);
  const binderClass = binder.ingressClassName ?? annotation(binder, INGRESS_CLASS);
  const className = binderClass ?? hub.className;
  if (binderClass !== undefined && hub.className !== undefined && hub.className !== binderClass) {
    notes.push({ setting: 'jupyterhub.ingress.ingressClassName', outcome: `${hub.className} not carried over: the ingress prop takes one class for both hosts, ${binderClass}` });
  }
  const plan: IngressPlan = {
    binderHost,
    hubHost: hub.host,
    ...(typeof className === 'string' ? { ingressClassName: className } : {}),
    ...withTls('binderTls', tlsOf(binder, binderHost, 'ingress', notes)),
    ...withTls('hubTls', hub.tls),
  };
  noteRest(binder, 'ingress', notes);
  for (const owned of PUBLIC_HOSTS_OWNED_PATHS) {
    if (takePath(values, owned) !== undefined) notes.push({ setting: owned, outcome: 'set by the ingress prop' });
  }
  ingressSetup(ingressOptions(plan), 'adopt'); // the prop's own checks
  return plan;
}

/** The `ingress` prop of `plan`. */
export function ingressOptions(plan: IngressPlan): IngressOptions {
  return { ...plan, binderTls: plan.binderTls && tlsFor(plan.binderTls), hubTls: plan.hubTls && tlsFor(plan.hubTls) };
}

function tlsFor(plan: TlsPlan): Tls {
  if ('certManager' in plan) return Tls.certManager(plan.certManager);
  return 'secretName' in plan ? Tls.secret(plan.secretName) : Tls.letsEncrypt(plan.letsEncrypt);
}

interface HubPlan {
  readonly host: string;
  readonly className?: unknown;
  readonly tls?: TlsPlan;
}

/** The hub behind the jupyterhub chart's Ingress. */
function hubIngress(values: Values, notes: AdoptionNote[]): HubPlan {
  const hub = section(values, 'jupyterhub.ingress');
  const host = firstHost(hub, 'jupyterhub.ingress', notes);
  const plan = { host, className: hub.ingressClassName ?? annotation(hub, INGRESS_CLASS), tls: tlsOf(hub, host, 'jupyterhub.ingress', notes) };
  noteRest(hub, 'jupyterhub.ingress', notes);
  return plan;
}

/** The hub on the jupyterhub chart's own Let's Encrypt (`jupyterhub.proxy.https`), its proxy-public a LoadBalancer. */
function hubLetsEncrypt(values: Values, notes: AdoptionNote[]): HubPlan {
  const https = section(values, 'jupyterhub.proxy.https');
  const host = firstHost(https, 'jupyterhub.proxy.https', notes);
  const email = takePath(https, 'letsencrypt.contactEmail');
  if (typeof email !== 'string') {
    throw new ConfigError('jupyterhub.proxy.https.letsencrypt.contactEmail is missing: Tls.letsEncrypt needs the address Let\'s Encrypt writes to; add it to the values files');
  }
  for (const read of ['enabled', 'type', 'hosts']) takePath(https, read);
  for (const leaf of leafPaths(https, 'jupyterhub.proxy.https')) {
    notes.push({ setting: leaf, outcome: 'not carried over: Tls.letsEncrypt takes the contact email only; add it by hand if you need it' });
  }
  return { host, tls: { letsEncrypt: email } };
}

function section(values: Values, path: string): Values {
  const value = takePath(values, path);
  if (!isPlainObject(value)) throw new ConfigError(`${path} must be a map in the values files`);
  return value;
}

function annotation(ingress: Values, key: string): unknown {
  return isPlainObject(ingress.annotations) ? ingress.annotations[key] : undefined;
}

/** The first host; the others are noted, as the prop serves one host per chart. */
function firstHost(ingress: Values, setting: string, notes: AdoptionNote[]): string {
  const hosts = ingress.hosts;
  if (!Array.isArray(hosts) || typeof hosts[0] !== 'string') throw new ConfigError(`${setting}.hosts must list the host name, such as [binder.example.org]`);
  hosts.slice(1).forEach((host, i) => notes.push({
    setting: `${setting}.hosts[${i + 1}]`, outcome: `${host} not carried over: the ingress prop serves one host per chart; route it with an Ingress of your own`,
  }));
  return hosts[0];
}

/**
 * The TLS of `host`: the `tls` entry that names it (or names no hosts), its Secret issued by cert-manager when an
 * issuer annotation is there. cert-manager issues nothing for an Ingress without a `tls` entry, so an issuer
 * annotation alone means plain http, as before; `kubernetes.io/tls-acme` alone asks for cert-manager's default issuer,
 * which adopt cannot see.
 */
function tlsOf(ingress: Values, host: string, setting: string, notes: AdoptionNote[]): TlsPlan | undefined {
  const entries = Array.isArray(ingress.tls) ? ingress.tls : [];
  const index = entries.findIndex(e => isPlainObject(e) && typeof e.secretName === 'string' && (!Array.isArray(e.hosts) || e.hosts.includes(host)));
  entries.forEach((_entry, i) => {
    if (i !== index) notes.push({ setting: `${setting}.tls[${i}]`, outcome: `not carried over: TLS for another host than ${host}; add it by hand if you need it` });
  });
  const clusterIssuer = annotation(ingress, CLUSTER_ISSUER);
  const issuer = annotation(ingress, ISSUER);
  const issuers = { ...(typeof clusterIssuer === 'string' ? { clusterIssuer } : {}), ...(typeof issuer === 'string' && clusterIssuer === undefined ? { issuer } : {}) };
  const acme = annotation(ingress, TLS_ACME);
  if (index < 0) {
    if (Object.keys(issuers).length > 0 || acme !== undefined) {
      notes.push({ setting: `${setting}.annotations`, outcome: `cert-manager's annotations not carried over: without a tls entry for ${host} it issued nothing, so ${host} stays plain http` });
    }
    return undefined;
  }
  const secretName = (entries[index] as Values).secretName as string;
  if (Object.keys(issuers).length === 0) {
    if (String(acme) === 'true') {
      throw new ConfigError(`${setting}.annotations has ${TLS_ACME} without ${CLUSTER_ISSUER} or ${ISSUER}: cert-manager then uses its default issuer, which adopt `
        + `cannot see; add ${CLUSTER_ISSUER}: <name> (kubectl get clusterissuer) or ${ISSUER}: <name> to the values files`);
    }
    return { secretName };
  }
  if (acme !== undefined) notes.push({ setting: `${setting}.annotations["${TLS_ACME}"]`, outcome: 'replaced by the issuer annotation Tls.certManager sets' });
  if (clusterIssuer !== undefined && issuer !== undefined) notes.push({ setting: `${setting}.annotations["${ISSUER}"]`, outcome: `not carried over: ${CLUSTER_ISSUER} is used` });
  return { certManager: { ...issuers, secretName } };
}

function withTls(prop: 'binderTls' | 'hubTls', tls: TlsPlan | undefined): Partial<Record<'binderTls' | 'hubTls', TlsPlan>> {
  return tls === undefined ? {} : { [prop]: tls };
}

/** Notes what is left of an Ingress section once the prop took its settings; nothing set (empty) is no setting. */
function noteRest(ingress: Values, setting: string, notes: AdoptionNote[]): void {
  for (const read of READ_KEYS) takePath(ingress, read);
  const annotations = isPlainObject(ingress.annotations) ? ingress.annotations : {};
  delete ingress.annotations;
  // Annotation keys hold dots and slashes: they are named whole, not as dotted paths.
  for (const [key, value] of Object.entries(annotations).filter(([key]) => ![CLUSTER_ISSUER, ISSUER, TLS_ACME, INGRESS_CLASS].includes(key))) {
    notes.push({
      setting: `${setting}.annotations["${key}"]`,
      outcome: typeof value === 'string' ? 'not carried over: the ingress prop sets no other annotation; add it by hand if you need it'
        : 'not carried over: an annotation\'s value must be a string, so the API server refuses this one (the guide\'s https section has such a map by mistake)',
    });
  }
  for (const leaf of leafPaths(ingress).filter(leaf => !isEmptyValue(getPath(ingress, leaf)))) {
    notes.push({ setting: `${setting}.${leaf}`, outcome: 'not carried over: the ingress prop has no such option; add it by hand if you need it' });
  }
}
