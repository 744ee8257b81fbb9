import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecParentRefs, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import { ConfigError } from '../core/errors';
import { checkDnsLabel, checkObjectName } from '../core/names';
import { checkPublicHosts, clusterIpValues, PUBLIC_HOSTS_OWNED_PATHS, PublicHostsSetup, publicUrls } from '../service/public-hosts';

/** The Gateway that the routes attach to: the cluster operator's, not this deployment's. */
export interface GatewayParent {
  /** The Gateway's name (`kubectl get gateway -A`). */
  readonly name: string;
  /**
   * The Gateway's namespace. Its listeners must allow routes from the deployment's namespace
   * (`allowedRoutes.namespaces.from: All`, or a selector that matches it).
   */
  readonly namespace: string;
}

/**
 * Public DNS names for a deployment through the Gateway API: HTTPRoutes for BinderHub and JupyterHub attached to
 * an existing Gateway, which terminates TLS. The successor to `ingress`.
 */
export interface GatewayOptions {
  /** BinderHub's host, such as binder.example.org. */
  readonly binderHost: string;
  /** JupyterHub's host, such as hub.example.org; the hub URL becomes `https://<hubHost>/` (http with an HTTP listener). */
  readonly hubHost: string;
  /** The Gateway both routes attach to. */
  readonly parent: GatewayParent;
  /**
   * The listener of the Gateway for the binder host (`sectionName`).
   * @default - every listener of the Gateway that accepts the route
   */
  readonly binderSectionName?: string;
  /**
   * The listener of the Gateway for the hub host (`sectionName`).
   * @default - every listener of the Gateway that accepts the route
   */
  readonly hubSectionName?: string;
  /**
   * The protocol of the Gateway's listeners for both hosts: `HTTPS` (the Gateway terminates TLS) or `HTTP`
   * (plain; the hub URL then starts with http://).
   * @default 'HTTPS'
   */
  readonly listenerProtocol?: 'HTTPS' | 'HTTP';
}

/**
 * Chart values a Gateway setup owns: those of an Ingress setup (the Ingress values too, so one deployment is
 * never reached both ways), and the binderhub chart's own `httpRoute`, since the routes are rendered here.
 */
export const GATEWAY_OWNED_PATHS: readonly string[] = [...PUBLIC_HOSTS_OWNED_PATHS, 'httpRoute'];

/** Checks a Gateway setup and builds its chart values: ClusterIP services and an in-cluster hub API address. */
export function gatewaySetup(options: GatewayOptions): PublicHostsSetup {
  checkPublicHosts('gateway', options);
  checkObjectName('gateway parent.name', options.parent?.name, 'public (kubectl get gateway -A)');
  checkDnsLabel('gateway parent.namespace', options.parent.namespace);
  for (const field of ['binderSectionName', 'hubSectionName'] as const) {
    const section = options[field];
    if (section !== undefined) checkObjectName(`gateway ${field}`, section, 'https (a listener name of the Gateway)');
  }
  const protocol = options.listenerProtocol ?? 'HTTPS';
  if (protocol !== 'HTTPS' && protocol !== 'HTTP') {
    throw new ConfigError(`gateway listenerProtocol "${protocol}" must be HTTPS or HTTP, the protocol of the Gateway's listeners for both hosts`);
  }
  return { prop: 'gateway', values: clusterIpValues(), ownedPaths: GATEWAY_OWNED_PATHS, ...publicUrls(options, protocol === 'HTTPS') };
}

/** Props for `GatewayRoutes`. */
export interface GatewayRoutesProps {
  /** The checked options (`gatewaySetup`). */
  readonly options: GatewayOptions;
  /** The objects the chart rendered: the routes go to the ports of its Services `binder` and `proxy-public`. */
  readonly rendered: ApiObject[];
}

/**
 * HTTPRoutes `binderhub` (binder host to Service `binder`) and `jupyterhub` (hub host to Service `proxy-public`),
 * named as the Ingress objects are. Rendered here rather than by the chart's `httpRoute` values: the jupyterhub
 * subchart has none, and one mechanism for both hosts works with any chart version.
 */
export class GatewayRoutes extends Construct {
  constructor(scope: Construct, id: string, props: GatewayRoutesProps) {
    super(scope, id);
    const { options, rendered } = props;
    const route = (name: string, host: string, sectionName: string | undefined, service: string, port: number) => {
      const parent: HttpRouteSpecParentRefs = { name: options.parent.name, namespace: options.parent.namespace, sectionName };
      new HttpRoute(this, name, {
        metadata: { name },
        spec: {
          parentRefs: [parent],
          hostnames: [host],
          rules: [{
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            backendRefs: [{ name: service, port }],
          }],
        },
      });
    };
    route('binderhub', options.binderHost, options.binderSectionName, 'binder', servicePort(rendered, 'binder'));
    route('jupyterhub', options.hubHost, options.hubSectionName, 'proxy-public', servicePort(rendered, 'proxy-public', 'http'));
  }
}

/** The port of a rendered Service: the one named `portName`, else its only one. */
function servicePort(rendered: ApiObject[], service: string, portName?: string): number {
  const object = rendered.find(o => o.kind === 'Service' && o.name === service);
  const ports: Array<{ name?: string; port: number }> = object?.toJson().spec?.ports ?? [];
  const port = portName === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find(p => p.name === portName);
  if (port === undefined) {
    throw new ConfigError(`the chart renders no Service ${service} with ${portName === undefined ? 'a single port' : `a port named ${portName}`}, `
      + 'which the gateway prop routes to; remove what changes its ports from chartValues (such as jupyterhub.proxy.service.disableHttpPort)');
  }
  return port.port;
}
