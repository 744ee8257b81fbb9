import { ConfigError } from '../core/errors';
import { checkObjectName } from '../core/names';
import { checkPublicHosts, clusterIpValues, PUBLIC_HOSTS_OWNED_PATHS, PublicHostsSetup, publicHubUrl } from './public-hosts';
import { deepMerge, Values } from '../core/values';

/** How one public host gets its TLS certificate. */
export abstract class Tls {
  /** cert-manager issues it, from a ClusterIssuer or a namespaced Issuer, into a Secret named after the host or given. */
  public static certManager(props: CertManagerTlsProps): Tls {
    if ((props.clusterIssuer === undefined) === (props.issuer === undefined)) {
      throw new ConfigError('Tls.certManager needs exactly one of clusterIssuer or issuer');
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
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contactEmail)) {
      throw new ConfigError(`Tls.letsEncrypt contact email "${contactEmail}" is not an email address; `
        + 'give the one Let\'s Encrypt writes to about the certificate, such as admin@example.org');
    }
    return new LetsEncryptTls(contactEmail);
  }

  /** The Ingress annotations and TLS entry for `host`; the Secret name is made from `secretPrefix`. @internal */
  public abstract ingress(host: string, secretPrefix: string): { annotations: Values; tls: Values };
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
  public ingress(host: string, secretPrefix: string) {
    const annotations = this.props.clusterIssuer !== undefined
      ? { 'cert-manager.io/cluster-issuer': this.props.clusterIssuer }
      : { 'cert-manager.io/issuer': this.props.issuer };
    return { annotations, tls: { hosts: [host], secretName: this.props.secretName ?? `${secretPrefix}-tls` } };
  }
}

class SecretTls extends Tls {
  constructor(public readonly secretName: string) {
    super();
  }
  public ingress(host: string) {
    return { annotations: {}, tls: { hosts: [host], secretName: this.secretName } };
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
   * The IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;
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
  const className = options.ingressClassName === undefined ? {} : { ingressClassName: options.ingressClassName };
  const binder = options.binderTls?.ingress(options.binderHost, `${releaseName}-binder`);
  const binderIngress: Values = {
    ingress: {
      enabled: true, hosts: [options.binderHost], ...className,
      annotations: binder?.annotations ?? {}, tls: binder ? [binder.tls] : [],
    },
  };
  let values: Values;
  if (options.hubTls instanceof LetsEncryptTls) {
    // JupyterHub is not behind the Ingress: proxy-public stays a LoadBalancer and answers http with a redirect to https.
    values = deepMerge(binderIngress, {
      service: { type: 'ClusterIP' },
      jupyterhub: { proxy: { https: { enabled: true, type: 'letsencrypt', hosts: [options.hubHost], letsencrypt: { contactEmail: options.hubTls.contactEmail } } } },
      config: { BinderHub: { hub_url_local: 'http://proxy-http:8000/' } },
    });
  } else {
    const hub = options.hubTls?.ingress(options.hubHost, `${releaseName}-hub`);
    values = deepMerge(deepMerge(clusterIpValues(), binderIngress), {
      jupyterhub: { ingress: { enabled: true, hosts: [options.hubHost], ...className, annotations: hub?.annotations ?? {}, tls: hub ? [hub.tls] : [] } },
    });
  }
  return { prop: 'ingress', values, ownedPaths: INGRESS_OWNED_PATHS, hubUrl: publicHubUrl(options, options.hubTls !== undefined) };
}
