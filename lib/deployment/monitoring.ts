/**
 * Monitoring of a deployment by Prometheus: the binder's, the hub's and the proxy's metrics made scrapable (chart
 * values), and with prometheus-operator its ServiceMonitors, PodMonitor and a PrometheusRule of alerts.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ConfigError } from '../core/errors';
import { checkDnsLabel, checkLabels } from '../core/names';
import { getPath, isPlainObject, setPath, Values } from '../core/values';

/** The port configurable-http-proxy serves its metrics on (`--metrics-port`); the chart starts it with none. */
export const PROXY_METRICS_PORT = 8002;
/** The hub's port (the chart's Service `hub` names it `hub`) and the binder's container port. */
const HUB_PORT = 8081;
const BINDER_PORT = 8585;

/** Settings of every kind of monitoring. */
export interface MonitoringOptions {
  /**
   * The namespace Prometheus runs in: the hub's and the proxy's NetworkPolicies let it reach their metrics ports.
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
}

/** When the alerts of `Monitoring.prometheusOperator` fire. */
export interface AlertThresholds {
  /**
   * The share of builds (0 to 1) that may fail over 30 minutes before BinderHubBuildsFailing fires.
   * @default 0.5
   */
  readonly buildFailureRatio?: number;
  /**
   * Seconds the slowest tenth of successful launches may take over 30 minutes before BinderHubLaunchesSlow fires.
   * @default 120
   */
  readonly launchSeconds?: number;
  /**
   * Minutes a user pod may stay Pending (no node has room, or its image does not pull) before BinderHubUserPodsPending fires.
   * @default 10
   */
  readonly pendingMinutes?: number;
}

/** Settings of `Monitoring.prometheusOperator`. */
export interface PrometheusOperatorOptions extends MonitoringOptions {
  /**
   * Labels on the ServiceMonitors, the PodMonitor and the PrometheusRule, for the Prometheus resource's selectors
   * (kube-prometheus-stack selects `release: <its release name>`).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The alerts' thresholds, or false for no PrometheusRule.
   * @default - see AlertThresholds
   */
  readonly alerts?: AlertThresholds | false;
}

/** What monitoring contributes to a deployment's chart values. @internal */
export interface MonitoringSetup {
  /** Merged over `chartValues`. */
  readonly values: Values;
  /** The settings `chartValues` must leave alone: lists and values that one would replace of the other. */
  readonly ownedPaths: readonly string[];
}

/** What the objects of `Monitoring.prometheusOperator` are made for. @internal */
export interface MonitoredDeployment {
  /** The deployment's id, for the alerts' summaries. */
  readonly id: string;
  readonly namespace: string;
  readonly releaseName: string;
  /** The final chart values, for the base URLs the metrics are under. */
  readonly values: Values;
  /** The objects helm rendered, when it did (not in a first, recording pass). */
  readonly rendered?: readonly ApiObject[];
}

/**
 * How Prometheus watches a deployment. Either way the hub's metrics are readable without a token
 * (`hub.authenticatePrometheus: false`: JupyterHub's metrics are counts and durations, and /hub/metrics becomes
 * public through the proxy), the proxy serves its metrics on port 8002, and the hub's and the proxy's
 * NetworkPolicies let Prometheus's namespace reach them.
 */
export abstract class Monitoring {
  /**
   * For a Prometheus that scrapes Services by their `prometheus.io/*` annotations: the binder's and the hub's Services
   * carry them already, the proxy's Service proxy-public gets them. No alerts: those need prometheus-operator.
   */
  public static annotations(options: MonitoringOptions = {}): Monitoring {
    return new AnnotationMonitoring(options);
  }

  /**
   * For prometheus-operator (kube-prometheus-stack): ServiceMonitors `binder` and `hub`, a PodMonitor `proxy` (the
   * proxy's metrics port is on no Service, and proxy-public would publish it), and a PrometheusRule `binderhub` whose
   * alerts fire when builds fail at a high rate, launches are slow, user pods stay Pending or the hub is down.
   */
  public static prometheusOperator(options: PrometheusOperatorOptions = {}): Monitoring {
    return new OperatorMonitoring(options);
  }

  /** The namespace the NetworkPolicies let in. @internal */
  protected readonly prometheusNamespace: string;

  /** @internal */
  protected constructor(options: MonitoringOptions, setting: string) {
    this.prometheusNamespace = options.prometheusNamespace ?? 'monitoring';
    checkDnsLabel(`${setting} prometheusNamespace`, this.prometheusNamespace);
  }

  /** The chart values: metrics on, readable, and reachable from Prometheus's namespace. @internal */
  public setup(): MonitoringSetup {
    const fromPrometheus = (port: number) => [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.prometheusNamespace } } }],
      ports: [{ port, protocol: 'TCP' }],
    }];
    const settings: Array<[string, unknown]> = [
      ['jupyterhub.hub.authenticatePrometheus', false],
      ['jupyterhub.hub.networkPolicy.ingress', fromPrometheus(HUB_PORT)],
      ['jupyterhub.proxy.chp.extraCommandLineFlags', ['--metrics-ip=', `--metrics-port=${PROXY_METRICS_PORT}`]],
      ['jupyterhub.proxy.chp.networkPolicy.ingress', fromPrometheus(PROXY_METRICS_PORT)],
      ...this.moreSettings(),
    ];
    const values: Values = {};
    for (const [path, value] of settings) setPath(values, path, value);
    // A map (proxy-public's annotations) merges key by key with chartValues' own; a list or a value would replace theirs.
    return { values, ownedPaths: settings.filter(([, value]) => !isPlainObject(value)).map(([path]) => path) };
  }

  /** Settings of this kind of monitoring alone. @internal */
  protected abstract moreSettings(): Array<[string, unknown]>;

  /** Writes this kind's objects for `deployment` into `scope`. @internal */
  public abstract bind(scope: Construct, deployment: MonitoredDeployment): void;
}

class AnnotationMonitoring extends Monitoring {
  constructor(options: MonitoringOptions) {
    super(options, 'Monitoring.annotations');
  }

  protected moreSettings(): Array<[string, unknown]> {
    // One map: its keys hold dots, which no setting path may.
    return [['jupyterhub.proxy.service.annotations', { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PROXY_METRICS_PORT) }]];
  }

  /**
   * No objects: Prometheus finds the Services by itself. Fails when proxy-public leads elsewhere than the proxy's pods
   * (the jupyterhub chart's Let's Encrypt mode puts its traefik pods behind it), where the metrics port serves nothing.
   */
  public bind(_scope: Construct, deployment: MonitoredDeployment): void {
    const rendered = (kind: string, name: string) => deployment.rendered?.find(o => o.kind === kind && o.name === name)?.toJson();
    const service = rendered('Service', 'proxy-public');
    const proxy = rendered('Deployment', 'proxy');
    if (!service || !proxy) return;
    const podLabels: Record<string, string> = proxy.spec.template.metadata.labels ?? {};
    const selector: Record<string, string> = service.spec.selector ?? {};
    if (Object.entries(selector).every(([key, value]) => podLabels[key] === value)) return;
    throw new ConfigError(`deployment "${deployment.id}" has Monitoring.annotations(), which scrapes the proxy through Service proxy-public, `
      + `but proxy-public leads to the ${selector.component ?? 'other'} pods (the jupyterhub chart's Let's Encrypt mode, hubTls Tls.letsEncrypt), `
      + `not to the proxy's: use Monitoring.prometheusOperator(), whose PodMonitor reaches the proxy's pods`);
  }
}

/** One endpoint of a ServiceMonitor. */
type ServiceMonitorEndpoint = NonNullable<IServiceMonitor['spec']>['endpoints'][number];

/** The label the binder's Service gets, as its pods carry it: the chart gives the Service none to select it by. */
const BINDER_SERVICE_LABELS = { component: 'binder' };

class OperatorMonitoring extends Monitoring {
  private readonly labels: Record<string, string>;
  private readonly alerts: Required<AlertThresholds> | false;

  constructor(options: PrometheusOperatorOptions) {
    super(options, 'Monitoring.prometheusOperator');
    this.labels = options.labels ?? {};
    checkLabels('Monitoring.prometheusOperator labels', this.labels);
    this.alerts = options.alerts === false ? false : {
      buildFailureRatio: options.alerts?.buildFailureRatio ?? 0.5,
      launchSeconds: options.alerts?.launchSeconds ?? 120,
      pendingMinutes: options.alerts?.pendingMinutes ?? 10,
    };
    if (this.alerts) checkThresholds(this.alerts);
  }

  protected moreSettings(): Array<[string, unknown]> {
    return [['service.labels.component', BINDER_SERVICE_LABELS.component]];
  }

  public bind(scope: Construct, deployment: MonitoredDeployment): void {
    const { namespace, releaseName, values } = deployment;
    const metadata = (name: string) => ({ name, namespace, ...(Object.keys(this.labels).length > 0 ? { labels: this.labels } : {}) });
    const inNamespace = { matchNames: [namespace] };
    const serviceMonitor = (name: string, matchLabels: Record<string, string>, endpoint: ServiceMonitorEndpoint): IServiceMonitor => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(name),
      spec: { selector: { matchLabels }, namespaceSelector: inNamespace, endpoints: [endpoint] },
    });
    // The chart's binder Service names no port.
    const binder = serviceMonitor('binder', BINDER_SERVICE_LABELS,
      { targetPort: BINDER_PORT, path: `${basePath(getPath(values, 'config.BinderHub.base_url'))}/metrics` });
    const hub = serviceMonitor('hub', { component: 'hub', release: releaseName },
      { port: 'hub', path: `${basePath(getPath(values, 'jupyterhub.hub.baseUrl'))}/hub/metrics` });
    const proxy: IPodMonitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: metadata('proxy'),
      spec: {
        selector: { matchLabels: { component: 'proxy', release: releaseName } },
        namespaceSelector: inNamespace,
        podMetricsEndpoints: [{ targetPort: PROXY_METRICS_PORT, path: '/metrics' }],
      },
    };
    new ApiObject(scope, 'service-monitor-binder', binder);
    new ApiObject(scope, 'service-monitor-hub', hub);
    new ApiObject(scope, 'pod-monitor-proxy', proxy);
    if (this.alerts) new ApiObject(scope, 'prometheus-rule', alertRule(metadata('binderhub'), deployment, this.alerts));
  }
}

/** A base URL's path without its trailing slash ('' for the chart's default '/'). */
function basePath(baseUrl: unknown): string {
  return (typeof baseUrl === 'string' ? baseUrl : '/').replace(/\/+$/, '');
}

function checkThresholds(alerts: Required<AlertThresholds>): void {
  const { buildFailureRatio, launchSeconds, pendingMinutes } = alerts;
  if (typeof buildFailureRatio !== 'number' || !(buildFailureRatio > 0 && buildFailureRatio < 1)) {
    throw new ConfigError(`Monitoring.prometheusOperator alerts.buildFailureRatio ${buildFailureRatio} must be a share between 0 and 1, such as 0.5 (half of the builds failing)`);
  }
  if (typeof launchSeconds !== 'number' || !(Number.isFinite(launchSeconds) && launchSeconds > 0)) {
    throw new ConfigError(`Monitoring.prometheusOperator alerts.launchSeconds ${launchSeconds} must be a number of seconds above 0, such as 120`);
  }
  if (!Number.isInteger(pendingMinutes) || pendingMinutes < 1) {
    throw new ConfigError(`Monitoring.prometheusOperator alerts.pendingMinutes ${pendingMinutes} must be a whole number of minutes of at least 1, such as 10`);
  }
}

/**
 * The alerts, by BinderHub's metrics (binderhub_build_count_total, binderhub_launch_time_seconds), kube-state-metrics'
 * pod phases (KubeSpawner names user pods jupyter-...) and the hub's scrape (ServiceMonitor `hub`: job "hub").
 */
function alertRule(metadata: IPrometheusRule['metadata'], deployment: MonitoredDeployment, alerts: Required<AlertThresholds>): IPrometheusRule {
  const ns = `namespace="${deployment.namespace}"`;
  const status = `npm run status -- --deployment ${deployment.id}`;
  const alert = (name: string, expr: string, wait: string, severity: string, summary: string) => ({
    alert: name, expr, for: wait, labels: { severity }, annotations: { summary: `BinderHub ${deployment.id}: ${summary}` },
  });
  const percent = Math.round(alerts.buildFailureRatio * 100);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata,
    spec: {
      groups: [{
        name: `binderhub-${deployment.id}`,
        rules: [
          alert('BinderHubBuildsFailing',
            `sum(rate(binderhub_build_count_total{${ns},status="failure"}[30m])) / sum(rate(binderhub_build_count_total{${ns}}[30m])) > ${alerts.buildFailureRatio}`,
            '15m', 'warning',
            `over ${percent}% of builds failed in 30 minutes; run \`${status}\` for the builder and the registry, then read a failed build's log on the binder page`),
          alert('BinderHubLaunchesSlow',
            `histogram_quantile(0.9, sum by (le) (rate(binderhub_launch_time_seconds_bucket{${ns},status="success"}[30m]))) > ${alerts.launchSeconds}`,
            '15m', 'warning',
            `the slowest tenth of launches took over ${alerts.launchSeconds}s in 30 minutes; run \`${status}\` for pending user pods and the nodes' room, and check image pulls from the registry`),
          alert('BinderHubUserPodsPending',
            `sum(kube_pod_status_phase{${ns},phase="Pending",pod=~"jupyter-.*"}) > 0`,
            `${alerts.pendingMinutes}m`, 'warning',
            `user pods have been Pending for ${alerts.pendingMinutes} minutes; run \`${status}\` for the event that holds them (no node with room, an image that does not pull)`),
          alert('BinderHubHubDown',
            `absent(up{${ns},job="hub"} == 1)`,
            '5m', 'critical',
            `Prometheus has not reached the hub for 5 minutes, so no launch can start; run \`${status}\` for the hub pod's state and its last event`),
        ],
      }],
    },
  };
}
