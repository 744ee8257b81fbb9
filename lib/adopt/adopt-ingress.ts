import { AdoptionNote } from './adopt-registry';
import { getPath, leafPaths, takePath } from './adopt-values';
import { ConfigError } from '../core/errors';
import { checkAnnotations, checkObjectName, hostNameProblem } from '../core/names';
import { CertManagerTlsProps, CLUSTER_ISSUER, INGRESS_CLASS, IngressOptions, ingressSetup, isContactEmail, ISSUER, Tls, TLS_ACME } from '../deployment/ingress';
import { PUBLIC_HOSTS_OWNED_PATHS } from '../service/public-hosts';
import { isEmptyValue, isPlainObject, Values } from '../core/values';

/**
 * How one adopted host gets TLS: `Tls.certManager(certManager)`, `Tls.secret(secretName)`, or (the hub host only) the
 * jupyterhub chart's own Let's Encrypt, `Tls.letsEncrypt(letsEncrypt)` with the contact email.
 */
export type TlsPlan = { readonly certManager: CertManagerTlsProps } | { readonly secretName: string } | { readonly letsEncrypt: string };

/** The `ingress` prop of an adopted deployment, with the TLS of each host as a plan. */
export type IngressPlan = Omit<IngressOptions, 'binderTls' | 'hubTls'> & { readonly binderTls?: TlsPlan; readonly hubTls?: TlsPlan };

/**
 * The note for an Ingress of one chart alone (binderhub's CI enables binder's only): the ingress prop routes both
 * hosts, so the section stays in chartValues, where the chart renders that Ingress as helm does.
 */
function oneIngressNote(on: string, off: string): AdoptionNote {
  return {
    setting: on,
    outcome: `kept in chartValues as written, since ${off}.enabled is not true: the chart renders this Ingress as for the helm release; `
      + 'the ingress prop, which puts both BinderHub and JupyterHub behind Ingresses (their hosts, TLS, the hub URL), is not used',
  };
}

/** The settings of an Ingress section that become props; others are noted as not carried over. */
const READ_KEYS = ['enabled', 'hosts', 'ingressClassName', 'tls', 'annotations'];

/** What one chart's Ingress (or the hub's Let's Encrypt) becomes. */
interface SidePlan {
  /** Its values section, for messages. */
  readonly setting: string;
  /** The setting its TLS came from (or would), for messages. */
  readonly tlsSetting: string;
  readonly hosts: string[];
  readonly className?: string;
  readonly annotations: Record<string, string>;
  readonly tls?: TlsPlan;
}

/**
 * Takes both charts' Ingress settings (`ingress.*`, `jupyterhub.ingress.*`, or for the hub the jupyterhub chart's
 * Let's Encrypt, `jupyterhub.proxy.https`) out of `values` when they are enabled, as the `ingress` prop: the hosts,
 * the class, the annotations as written, and TLS from the `tls` entry of the first host (or the binderhub chart's
 * `ingress.https`, which makes one), issued by cert-manager when an issuer annotation or `kubernetes.io/tls-acme` says
 * so. The settings the prop owns besides (service types, `hub_url_local`) are noted. Refusals name the settings.
 */
export function planIngress(values: Values, notes: AdoptionNote[], releaseName: string): IngressPlan | undefined {
  const binderOn = getPath(values, 'ingress.enabled') === true;
  const hubOn = getPath(values, 'jupyterhub.ingress.enabled') === true;
  const letsEncrypt = getPath(values, 'jupyterhub.proxy.https.enabled') === true && getPath(values, 'jupyterhub.proxy.https.type') === 'letsencrypt';
  if (!binderOn && !hubOn) return undefined;
  if (binderOn !== hubOn && !(binderOn && letsEncrypt)) {
    notes.push(oneIngressNote(binderOn ? 'ingress' : 'jupyterhub.ingress', binderOn ? 'jupyterhub.ingress' : 'ingress'));
    return undefined;
  }
  if (hubOn && letsEncrypt) {
    throw new ConfigError('jupyterhub.ingress and the jupyterhub chart\'s Let\'s Encrypt (jupyterhub.proxy.https) are both enabled; the ingress prop takes one '
      + 'for the hub: disable one in the values files');
  }
  const binder = sidePlan(values, 'ingress', releaseName, notes);
  const hub = hubOn ? sidePlan(values, 'jupyterhub.ingress', releaseName, notes) : hubLetsEncrypt(values, notes);
  checkHosts([binder, hub]);
  if ((binder.tls === undefined) !== (hub.tls === undefined)) {
    const [https, http] = binder.tls ? [binder, hub] : [hub, binder];
    throw new ConfigError(`${https.tlsSetting} gives ${https.hosts[0]} TLS but ${http.tlsSetting} has no entry for ${http.hosts[0]}; the ingress prop serves both hosts `
      + 'over https or both over http (a browser refuses to mix them): add the missing tls entry to the values files, or remove the other');
  }
  const className = sharedClass(binder, hub, notes);
  const plan: IngressPlan = {
    binderHost: binder.hosts[0],
    hubHost: hub.hosts[0],
    ...optional('binderExtraHosts', binder.hosts.slice(1)),
    ...optional('hubExtraHosts', hub.hosts.slice(1)),
    ...(className === undefined ? {} : { ingressClassName: className }),
    ...optional('binderAnnotations', binder.annotations),
    ...optional('hubAnnotations', hub.annotations),
    ...(binder.tls ? { binderTls: binder.tls } : {}),
    ...(hub.tls ? { hubTls: hub.tls } : {}),
  };
  for (const owned of PUBLIC_HOSTS_OWNED_PATHS) {
    if (takePath(values, owned) !== undefined) notes.push({ setting: owned, outcome: 'set by the ingress prop' });
  }
  ingressSetup(ingressOptions(plan), releaseName); // the prop's own checks, which the ones above leave nothing to refuse
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

/** `{ [key]: value }` when the list or map has something, else nothing: the prop's default is the same. */
function optional<K extends string, V extends object>(key: K, value: V): Partial<Record<K, V>> {
  return Object.keys(value).length > 0 ? { [key]: value } as Record<K, V> : {};
}

/** One chart's Ingress, as its template renders it. */
function sidePlan(values: Values, setting: string, releaseName: string, notes: AdoptionNote[]): SidePlan {
  const ingress = section(values, setting);
  const hosts = hostsOf(ingress.hosts, `${setting}.hosts`);
  const className = ingress.ingressClassName ?? undefined;
  if (className !== undefined) checkObjectName(`${setting}.ingressClassName`, className as string, 'nginx (kubectl get ingressclass)');
  const annotations = annotationsOf(ingress, setting, notes);
  const kubeLego = setting === 'ingress' ? kubeLegoTls(ingress, hosts, releaseName, notes) : undefined;
  if (kubeLego && !(TLS_ACME in annotations)) annotations[TLS_ACME] = 'true';
  const tls = tlsOf(kubeLego ? [kubeLego] : Array.isArray(ingress.tls) ? ingress.tls : [], annotations, hosts, setting, notes);
  noteRest(ingress, setting, notes);
  return { setting, tlsSetting: kubeLego ? `${setting}.https` : `${setting}.tls`, hosts, className: className as string | undefined, annotations, tls };
}

/**
 * The TLS entry the binderhub chart makes itself when `ingress.https` is enabled with type `kube-lego` (its default):
 * Secret `kubelego-tls-binder-<release>` for every host, which `kubernetes.io/tls-acme` asks cert-manager to fill; the
 * chart then ignores `ingress.tls`. Another type makes nothing.
 */
function kubeLegoTls(ingress: Values, hosts: string[], releaseName: string, notes: AdoptionNote[]): Values | undefined {
  const enabled = takePath(ingress, 'https.enabled');
  const type = takePath(ingress, 'https.type') ?? 'kube-lego';
  if (enabled !== true) return undefined;
  if (type !== 'kube-lego') {
    notes.push({ setting: 'ingress.https', outcome: `not carried over: the chart acts on type kube-lego only, so type ${String(type)} made nothing` });
    return undefined;
  }
  if (Array.isArray(ingress.tls) && ingress.tls.length > 0) {
    notes.push({ setting: 'ingress.tls', outcome: 'not carried over: with ingress.https (type kube-lego) on, the chart rendered its own TLS entry in place of it, as adopted' });
  }
  return { secretName: `kubelego-tls-binder-${releaseName}`, hosts };
}

/** The hub on the jupyterhub chart's own Let's Encrypt (`jupyterhub.proxy.https`), its proxy-public a LoadBalancer. */
function hubLetsEncrypt(values: Values, notes: AdoptionNote[]): SidePlan {
  const setting = 'jupyterhub.proxy.https';
  const https = section(values, setting);
  const hosts = hostsOf(https.hosts, `${setting}.hosts`);
  const email = takePath(https, 'letsencrypt.contactEmail');
  if (!isContactEmail(email as string)) {
    throw new ConfigError(`${setting}.letsencrypt.contactEmail ${email == null ? 'is missing' : `"${String(email)}" is not an email address`}: `
      + 'the chart\'s Let\'s Encrypt needs the address Let\'s Encrypt writes to; set it in the values files');
  }
  for (const read of ['enabled', 'type', 'hosts']) takePath(https, read);
  for (const leaf of leafPaths(https, setting)) {
    notes.push({ setting: leaf, outcome: 'not carried over: Tls.letsEncrypt takes the contact email only; add it by hand if you need it' });
  }
  return { setting, tlsSetting: setting, hosts, annotations: {}, tls: { letsEncrypt: email as string } };
}

function section(values: Values, path: string): Values {
  const value = takePath(values, path);
  if (!isPlainObject(value)) throw new ConfigError(`${path} must be a map in the values files`);
  return value;
}

function hostsOf(hosts: unknown, setting: string): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0 || hosts.some(host => typeof host !== 'string')) {
    throw new ConfigError(`${setting} must list the host names, such as [binder.example.org]: the ingress prop routes by host`);
  }
  return hosts;
}

/** Every host a DNS name, and none twice: the prop routes each to one place. */
function checkHosts(sides: SidePlan[]): void {
  const seen = new Map<string, string>();
  for (const side of sides) {
    side.hosts.forEach((host, i) => {
      const setting = `${side.setting}.hosts[${i}]`;
      const problem = hostNameProblem(host);
      if (problem) throw new ConfigError(`${setting} "${host}" ${problem}; give one such as binder.example.org in the values files`);
      const other = seen.get(host);
      if (other) throw new ConfigError(`${other} and ${setting} are both "${host}"; the ingress prop routes each host to one of BinderHub and JupyterHub: list it once`);
      seen.set(host, setting);
    });
  }
}

/** The annotations as written (strings); one the API server would refuse is noted. */
function annotationsOf(ingress: Values, setting: string, notes: AdoptionNote[]): Record<string, string> {
  const given = isPlainObject(ingress.annotations) ? ingress.annotations : {};
  const kept: Record<string, string> = {};
  // Annotation keys hold dots and slashes: they are named whole, not as dotted paths.
  for (const [key, value] of Object.entries(given)) {
    if (typeof value === 'string') kept[key] = value;
    else {
      notes.push({
        setting: `${setting}.annotations["${key}"]`,
        outcome: 'not carried over: an annotation\'s value must be a string, so the API server refuses this one (the guide\'s https section has such a map by mistake)',
      });
    }
  }
  checkAnnotations(`${setting}.annotations`, kept);
  return kept;
}

/**
 * The TLS of the first host: the `tls` entry that names it (or names no hosts), its Secret issued by cert-manager
 * when an issuer annotation or `kubernetes.io/tls-acme: "true"` is there (that annotation then comes from the Tls, not
 * the annotations). cert-manager issues nothing for an Ingress without a `tls` entry, so then the annotations stay
 * as they are and the host plain http. The prop gives every host of a chart the one certificate; what else the
 * entries had is noted.
 */
function tlsOf(entries: unknown[], annotations: Record<string, string>, hosts: string[], setting: string, notes: AdoptionNote[]): TlsPlan | undefined {
  const index = entries.findIndex(e => isPlainObject(e) && typeof e.secretName === 'string' && (!Array.isArray(e.hosts) || e.hosts.includes(hosts[0])));
  if (index < 0) {
    entries.forEach((_entry, i) => notes.push({ setting: `${setting}.tls[${i}]`, outcome: `not carried over: no TLS for ${hosts[0]}, so the ingress prop serves ${hosts.join(', ')} over http` }));
    return undefined;
  }
  const entry = entries[index] as Values;
  const secretName = entry.secretName as string;
  checkObjectName(`${setting}.tls[${index}].secretName`, secretName);
  entries.forEach((_entry, i) => {
    if (i !== index) notes.push({ setting: `${setting}.tls[${i}]`, outcome: `not carried over: the ingress prop gives ${hosts.join(', ')} one TLS Secret, ${secretName}` });
  });
  const uncovered = Array.isArray(entry.hosts) ? hosts.filter(host => !(entry.hosts as unknown[]).includes(host)) : [];
  if (uncovered.length > 0) notes.push({ setting: `${setting}.tls[${index}].hosts`, outcome: `${uncovered.join(', ')} added: the ingress prop gives every host of the Ingress its TLS` });
  const issuer = certManagerIssuer(annotations, setting);
  return issuer ? { certManager: { ...issuer, secretName } } : { secretName };
}

/** The issuer the annotations ask cert-manager for, taken out of them (the Tls sets it); the first of cluster-issuer, issuer, tls-acme. */
function certManagerIssuer(annotations: Record<string, string>, setting: string): Omit<CertManagerTlsProps, 'secretName'> | undefined {
  for (const [key, prop] of [[CLUSTER_ISSUER, 'clusterIssuer'], [ISSUER, 'issuer']] as const) {
    const name = annotations[key];
    if (name === undefined) continue;
    checkObjectName(`${setting}.annotations["${key}"]`, name, 'letsencrypt-prod');
    delete annotations[key];
    return { [prop]: name };
  }
  if (annotations[TLS_ACME] !== 'true') return undefined;
  delete annotations[TLS_ACME];
  return { defaultIssuer: true };
}

/**
 * The prop's one `ingressClassName` for both Ingresses: what either sets (an unset or other one on the hub is noted).
 * A class annotation that names another class than it is refused, as the API server refuses such an Ingress.
 */
function sharedClass(binder: SidePlan, hub: SidePlan, notes: AdoptionNote[]): string | undefined {
  const className = binder.className ?? hub.className;
  if (className === undefined) return undefined;
  const source = binder.className !== undefined ? binder.setting : hub.setting;
  for (const side of hub.tls !== undefined && 'letsEncrypt' in hub.tls ? [binder] : [binder, hub]) {
    const annotated = side.annotations[INGRESS_CLASS];
    if (annotated !== undefined && annotated !== className) {
      throw new ConfigError(`${side.setting}.annotations["${INGRESS_CLASS}"] is ${annotated} but ${source}.ingressClassName is ${className}; `
        + 'the ingress prop takes one class for both Ingresses: give them the same class in the values files');
    }
    if (side.className !== className) {
      notes.push({
        setting: `${side.setting}.ingressClassName`,
        outcome: `${side.className === undefined ? 'unset' : side.className}, adopted as ${className}: the ingress prop takes one class for both Ingresses`,
      });
    }
  }
  return className;
}

/** Notes what is left of an Ingress section once the prop took its settings; nothing set (empty) is no setting. */
function noteRest(ingress: Values, setting: string, notes: AdoptionNote[]): void {
  for (const read of READ_KEYS) takePath(ingress, read);
  for (const leaf of leafPaths(ingress).filter(leaf => !isEmptyValue(getPath(ingress, leaf)))) {
    notes.push({ setting: `${setting}.${leaf}`, outcome: 'not carried over: the ingress prop has no such option; add it by hand if you need it' });
  }
}
