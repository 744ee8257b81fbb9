import { ConfigError } from '../core/errors';
import { checkAnnotations, checkObjectName } from '../core/names';
import { checkPublicHosts, clusterIpValues, PUBLIC_HOSTS_OWNED_PATHS, PublicHostsSetup, publicUrls } from '../service/public-hosts';
import { deepMerge, Values } from '../core/values';

/** The Ingress annotations this module reads or writes: cert-manager's issuers and default-issuer switch, and the old class. */
export const CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const ISSUER = 'cert-manager.io/issuer';
export const TLS_ACME = 'kubernetes.io/tls-acme';
export const INGRESS_CLASS = 'kubernetes.io/ingress.class';

/** Whether `value` looks like one email address, as Let's Encrypt's contact. */
export function isContactEmail(value: string): boolean {
  return typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
}

/** How one public host gets its TLS certificate. */
export abstract class Tls {
  /** cert-manager issues it, from a ClusterIssuer or a namespaced Issuer, into a Secret named after the host or given. */
  public static certManager(props: CertManagerTlsProps): Tls {
    const chosen = [props.clusterIssuer, props.issuer, props.defaultIssuer].filter(given => given !== undefined);
    if (chosen.length !== 1 || props.defaultIssuer === false) {
      throw new ConfigError('Tls.certManager needs exactly one of clusterIssuer, issuer or defaultIssuer: true');
    }
    if (props.clusterIssuer !== undefined) checkObjectName('Tls.certManager clusterIssuer', props.clusterIssuer, 'letsencrypt-prod');
    if (props.issuer !== undefined) checkObjectName('Tls.certManager issuer', props.issuer, 'letsencrypt-prod');
    if (props.secretName !== undefined) checkObjectName('Tls.certManager secretName', props.secretName, 'binder-example-org-tls');
    return new CertManagerTls(props);
  }

  /** An existing Secret of type kubernetes.io/tls in the deployment's namespace, created by you. */
  public static secret(secretName: string): Tls {
    checkObjectName('Tls.secret', secretName);
    return new SecretTls(secretName);
  }

  /**
   * The jupyterhub chart's own Let's Encrypt mode (`proxy.https`): for the hub host only. JupyterHub then is
   * not behind the Ingress; its proxy-public Service stays a LoadBalancer, and the hub host's DNS points at it.
   */
  public static letsEncrypt(contactEmail: string): Tls {
    if (!isContactEmail(contactEmail)) {
      throw new ConfigError(`Tls.letsEncrypt contact email "${contactEmail}" is not an email address; `
        + 'give the one Let\'s Encrypt writes to about the certificate, such as admin@example.org');
    }
    return new LetsEncryptTls(contactEmail);
  }

  /** The Ingress annotations and TLS entry for `hosts` (one certificate for all); the Secret name is made from `secretPrefix`. @internal */
  public abstract ingress(hosts: readonly string[], secretPrefix: string): { annotations: Record<string, string>; tls: Values };
}

/** Props for `Tls.certManager`. */
export interface CertManagerTlsProps {
  /**
   * A ClusterIssuer's name (`cert-manager.io/cluster-issuer`).
   * @default - give issuer instead
   */
  readonly clusterIssuer?: string;
  /**
   * An Issuer's name in the deployment's namespace (`cert-manager.io/issuer`).
   * @default - give clusterIssuer instead
   */
  readonly issuer?: string;
  /**
   * `true`: cert-manager's default issuer (the one its `--default-issuer-name` names), asked for with the annotation
   * `kubernetes.io/tls-acme: "true"` alone, as the binderhub chart's `ingress.https` (type `kube-lego`) does.
   * @default - give clusterIssuer or issuer instead
   */
  readonly defaultIssuer?: boolean;
  /**
   * The Secret cert-manager keeps the certificate in (the Ingress's `tls[].secretName`): keep an existing one's name, so
   * the certificate it holds goes on serving while nothing needs issuing anew.
   * @default - `<release>-binder-tls` or `<release>-hub-tls`
   */
  readonly secretName?: string;
}

class CertManagerTls extends Tls {
  constructor(private readonly props: CertManagerTlsProps) {
    super();
  }
  public ingress(hosts: readonly string[], secretPrefix: string) {
    const { clusterIssuer, issuer } = this.props;
    const annotations: Record<string, string> = clusterIssuer !== undefined ? { [CLUSTER_ISSUER]: clusterIssuer }
      : issuer !== undefined ? { [ISSUER]: issuer } : { [TLS_ACME]: 'true' };
    return { annotations, tls: { hosts: [...hosts], secretName: this.props.secretName ?? `${secretPrefix}-tls` } };
  }
}

class SecretTls extends Tls {
  constructor(public readonly secretName: string) {
    super();
  }
  public ingress(hosts: readonly string[]) {
    return { annotations: {}, tls: { hosts: [...hosts], secretName: this.secretName } };
  }
}

class LetsEncryptTls extends Tls {
  constructor(public readonly contactEmail: string) {
    super();
  }
  public ingress(): never {
    throw new ConfigError('Tls.letsEncrypt is the jupyterhub chart\'s own mode and covers the hub host only: give binderTls another source, '
      + 'such as Tls.certManager');
  }
}

/** Public DNS names for a deployment: BinderHub and JupyterHub behind an Ingress controller, as production BinderHubs run. */
export interface IngressOptions {
  /** BinderHub's host, such as binder.example.org. */
  readonly binderHost: string;
  /** JupyterHub's host, such as hub.example.org; the hub URL becomes `https://<hubHost>/` (http without TLS). */
  readonly hubHost: string;
  /**
   * More hosts BinderHub answers on (an old name, say): the same Ingress routes them, and binderTls's certificate
   * covers them too.
   * @default - none
   */
  readonly binderExtraHosts?: string[];
  /**
   * More hosts JupyterHub answers on: the same Ingress routes them, and hubTls's certificate covers them too. The hub
   * URL stays on hubHost.
   * @default - none
   */
  readonly hubExtraHosts?: string[];
  /**
   * The IngressClass.
   * @default - the cluster's default IngressClass (or the class annotation `kubernetes.io/ingress.class` among the annotations)
   */
  readonly ingressClassName?: string;
  /**
   * More annotations of Ingress `binderhub`, such as Traefik's `traefik.ingress.kubernetes.io/router.middlewares` or
   * the old class annotation `kubernetes.io/ingress.class`. binderTls adds its own (cert-manager's issuer); the same
   * key with another value here is refused.
   * @default - only binderTls's
   */
  readonly binderAnnotations?: Record<string, string>;
  /**
   * More annotations of the hub's Ingress, as binderAnnotations (none with Tls.letsEncrypt, which has no Ingress).
   * @default - only hubTls's
   */
  readonly hubAnnotations?: Record<string, string>;
  /**
   * TLS for the BinderHub host.
   * @default - none: plain http (then hubTls must be unset too)
   */
  readonly binderTls?: Tls;
  /**
   * TLS for the JupyterHub host.
   * @default - none: plain http (then binderTls must be unset too)
   */
  readonly hubTls?: Tls;
}

/** Chart values an Ingress setup owns: `chartValues` must leave them alone. */
export const INGRESS_OWNED_PATHS: readonly string[] = PUBLIC_HOSTS_OWNED_PATHS;

/**
 * Builds the chart values for an Ingress setup: both charts' `ingress` values (or the jupyterhub chart's
 * Let's Encrypt mode), ClusterIP services, and an in-cluster hub API address so BinderHub never leaves the
 * cluster to reach its hub.
 */
export function ingressSetup(options: IngressOptions, releaseName: string): PublicHostsSetup {
  checkPublicHosts('ingress', options);
  if (options.ingressClassName !== undefined) {
    checkObjectName('ingress ingressClassName', options.ingressClassName, 'nginx (kubectl get ingressclass)');
  }
  if ((options.binderTls === undefined) !== (options.hubTls === undefined)) {
    throw new ConfigError('ingress has TLS for one host only; give binderTls and hubTls both (https) or neither (http): '
      + 'a browser refuses to mix them');
  }
  const binderIngress: Values = {
    ingress: chartIngress(options, 'binder', [options.binderHost, ...options.binderExtraHosts ?? []], `${releaseName}-binder`),
  };
  let values: Values;
  if (options.hubTls instanceof LetsEncryptTls) {
    if (options.hubAnnotations !== undefined) {
      throw new ConfigError('ingress hubAnnotations are for the hub\'s Ingress, and hubTls Tls.letsEncrypt puts the hub on its own LoadBalancer instead: '
        + 'leave hubAnnotations out, or give hubTls another source');
    }
    // JupyterHub is not behind the Ingress: proxy-public stays a LoadBalancer and answers http with a redirect to https.
    values = deepMerge(binderIngress, {
      service: { type: 'ClusterIP' },
      jupyterhub: { proxy: { https: { enabled: true, type: 'letsencrypt', hosts: hubHosts(options), letsencrypt: { contactEmail: options.hubTls.contactEmail } } } },
      config: { BinderHub: { hub_url_local: 'http://proxy-http:8000/' } },
    });
  } else {
    values = deepMerge(deepMerge(clusterIpValues(), binderIngress), {
      jupyterhub: { ingress: chartIngress(options, 'hub', hubHosts(options), `${releaseName}-hub`) },
    });
  }
  return { prop: 'ingress', values, ownedPaths: INGRESS_OWNED_PATHS, ...publicUrls(options, options.hubTls !== undefined) };
}

function hubHosts(options: IngressOptions): string[] {
  return [options.hubHost, ...options.hubExtraHosts ?? []];
}

/** One chart's `ingress` values: its hosts, the class, the annotations given and those of its TLS, and the TLS entry. */
function chartIngress(options: IngressOptions, side: 'binder' | 'hub', hosts: string[], secretPrefix: string): Values {
  const given = options[`${side}Annotations`] ?? {};
  checkAnnotations(`ingress ${side}Annotations`, given);
  const className = given[INGRESS_CLASS];
  if (options.ingressClassName !== undefined && className !== undefined && className !== options.ingressClassName) {
    throw new ConfigError(`ingress ${side}Annotations has ${INGRESS_CLASS} "${className}" and ingressClassName is "${options.ingressClassName}": `
      + 'the API server refuses an Ingress whose two differ; give the class once');
  }
  const tls = options[`${side}Tls`]?.ingress(hosts, secretPrefix);
  for (const [key, value] of Object.entries(tls?.annotations ?? {})) {
    if (given[key] !== undefined && given[key] !== value) {
      throw new ConfigError(`ingress ${side}Annotations has ${key} "${given[key]}", and ${side}Tls sets it to "${value}": leave it to ${side}Tls`);
    }
  }
  return {
    enabled: true, hosts,
    ...(options.ingressClassName === undefined ? {} : { ingressClassName: options.ingressClassName }),
    annotations: { ...given, ...tls?.annotations }, tls: tls ? [tls.tls] : [],
  };
}
