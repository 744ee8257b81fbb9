/**
 * Monitoring (#33): on the real chart, Prometheus's scraping reaches the binder's, the hub's and the proxy's metrics
 * (annotations, or prometheus-operator's ServiceMonitors and PodMonitor, which validate against their schemas); the
 * alerts name metrics BinderHub, JupyterHub and kube-state-metrics export; and a deployment without the prop is
 * unchanged.
 */
import { BinderHubProps, Builder, ChartSource, DEPLOYMENT_LABEL, kubernetesModel, Monitoring, PROXY_METRICS_PORT, Tls } from '../lib/internal';
import { describeWithChartConfig, effectiveJupyterHubConfig } from './effective-config';
import { configErrorMessage, find, synthBinderHub } from './helpers';

/**
 * The metrics the alerts may name: BinderHub's (binderhub/builder.py and launcher: prometheus_client adds `_total` to
 * a Counter and `_bucket` to a Histogram's buckets), JupyterHub's (jupyterhub/metrics.py), kube-state-metrics' pod
 * phase (kube-prometheus-stack runs it beside prometheus-operator) and Prometheus's own `up`.
 */
const EXPORTED_METRICS = new Set([
  'binderhub_build_count_total', 'binderhub_launch_count_total', 'binderhub_build_time_seconds_bucket', 'binderhub_launch_time_seconds_bucket',
  'binderhub_inprogress_builds', 'binderhub_inprogress_launches',
  'jupyterhub_running_servers', 'jupyterhub_server_spawn_duration_seconds_bucket', 'jupyterhub_total_users',
  'kube_pod_status_phase', 'up',
]);
/** PromQL's functions and keywords, which are no metric names. */
const PROMQL_WORDS = new Set(['sum', 'rate', 'by', 'histogram_quantile', 'absent', 'le']);

/** The metric names an expression selects: names before a `{` or a `[`, but label names and PromQL's words. */
function metricNames(expr: string): string[] {
  const withoutMatchers = expr.replace(/\{[^}]*\}/g, '{}');
  return [...withoutMatchers.matchAll(/[a-z_:][a-z0-9_:]*(?=\{|\[)/g)].map(m => m[0]).filter(name => !PROMQL_WORDS.has(name));
}

/** Whether `selector`'s labels are all among `labels`. */
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The ingress rules of NetworkPolicy `name` that let namespace `from` reach `port`. */
function ingressFrom(objects: any[], name: string, from: string, port: number): any[] {
  return find(objects, 'NetworkPolicy', name).spec.ingress.filter((rule: any) =>
    (rule.from ?? []).some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === from)
    && (rule.ports ?? []).some((p: any) => p.port === port));
}

const proxyCommand = (objects: any[]): string[] => find(objects, 'Deployment', 'proxy').spec.template.spec.containers[0].command;

describeWithChartConfig('monitoring', chart => {
  const props = (monitoring?: Monitoring): Partial<BinderHubProps> => ({ chart: ChartSource.local(chart), builder: Builder.host(), monitoring });
  let without: any[];
  let annotated: any[];
  let operated: any[];

  beforeAll(() => {
    without = synthBinderHub(props(), 'mon');
    annotated = synthBinderHub(props(Monitoring.annotations({ prometheusNamespace: 'prometheus' })), 'mon');
    operated = synthBinderHub(props(Monitoring.prometheusOperator({ labels: { release: 'kube-prometheus-stack' } })), 'mon');
  }, 120_000);

  test('annotations: the binder\'s and the hub\'s Services carry the chart\'s, proxy-public gets the proxy\'s metrics port, which the proxy serves', () => {
    expect(find(annotated, 'Service', 'binder').metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    // Annotation scraping takes the endpoints' port: the binder container's, where BinderHub serves /metrics.
    const binderPorts = find(annotated, 'Deployment', 'binder').spec.template.spec.containers[0].ports.map((p: any) => p.containerPort);
    expect(binderPorts).toContain(find(annotated, 'Service', 'binder').spec.ports[0].targetPort);
    expect(find(annotated, 'Service', 'hub').metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/hub/metrics', 'prometheus.io/port': '8081' });
    expect(find(annotated, 'Service', 'proxy-public').metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PROXY_METRICS_PORT) });
    expect(proxyCommand(annotated)).toEqual(expect.arrayContaining(['--metrics-ip=', `--metrics-port=${PROXY_METRICS_PORT}`]));
  });

  test('either way Prometheus\'s namespace may reach the hub\'s and the proxy\'s metrics ports through their NetworkPolicies', () => {
    expect(ingressFrom(annotated, 'hub', 'prometheus', 8081)).toHaveLength(1);
    expect(ingressFrom(annotated, 'proxy', 'prometheus', PROXY_METRICS_PORT)).toHaveLength(1);
    expect(ingressFrom(operated, 'hub', 'monitoring', 8081)).toHaveLength(1);
    expect(ingressFrom(operated, 'proxy', 'monitoring', PROXY_METRICS_PORT)).toHaveLength(1);
  });

  test('JupyterHub serves its metrics without a token (z2jh\'s jupyterhub_config.py run on the render)', () => {
    expect(effectiveJupyterHubConfig(annotated).JupyterHub.authenticate_prometheus).toBe(false);
    expect(effectiveJupyterHubConfig(without).JupyterHub.authenticate_prometheus).toBeUndefined();
  });

  test('prometheus-operator: the ServiceMonitors, the PodMonitor and the PrometheusRule validate against their schemas and carry the labels', () => {
    const monitoring = operated.filter(o => o.apiVersion === 'monitoring.coreos.com/v1');
    expect(monitoring.map(o => `${o.kind} ${o.metadata.name}`)).toEqual(['ServiceMonitor binder', 'ServiceMonitor hub', 'PodMonitor proxy', 'PrometheusRule binderhub']);
    for (const object of monitoring) {
      expect(() => new (kubernetesModel(object.apiVersion, object.kind)!)(object).validate()).not.toThrow();
      expect(object.metadata).toMatchObject({ namespace: 'mon', labels: { release: 'kube-prometheus-stack' } });
    }
  });

  test('prometheus-operator: each ServiceMonitor selects exactly the Service it means, at its metrics port and path', () => {
    const services = operated.filter(o => o.kind === 'Service');
    const selected = (monitor: any) => services.filter(s => selects(monitor.spec.selector.matchLabels, s.metadata.labels)).map(s => s.metadata.name);
    const binderMonitor = find(operated, 'ServiceMonitor', 'binder');
    const hubMonitor = find(operated, 'ServiceMonitor', 'hub');
    expect([selected(binderMonitor), selected(hubMonitor)]).toEqual([['binder'], ['hub']]);
    expect(binderMonitor.spec.endpoints).toEqual([{ targetPort: find(operated, 'Service', 'binder').spec.ports[0].targetPort, path: '/metrics' }]);
    expect(find(operated, 'Service', 'hub').spec.ports.map((p: any) => p.name)).toContain(hubMonitor.spec.endpoints[0].port);
    expect(hubMonitor.spec.endpoints[0].path).toBe(find(operated, 'Service', 'hub').metadata.annotations['prometheus.io/path']);
    for (const monitor of [binderMonitor, hubMonitor]) expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['mon'] });
  });

  test('prometheus-operator: the PodMonitor selects the proxy\'s pods alone, at the port the proxy serves its metrics on', () => {
    const workloads = operated.filter(o => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
    const podMonitor = find(operated, 'PodMonitor', 'proxy');
    const selected = workloads.filter(w => selects(podMonitor.spec.selector.matchLabels, w.spec.template.metadata.labels)).map(w => w.metadata.name);
    expect(selected).toEqual(['proxy']);
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{ targetPort: PROXY_METRICS_PORT, path: '/metrics' }]);
    expect(proxyCommand(operated)).toContain(`--metrics-port=${PROXY_METRICS_PORT}`);
  });

  test('the alerts: builds failing, slow launches, pending user pods, the hub down; each names exported metrics and says to run status', () => {
    const rules = find(operated, 'PrometheusRule', 'binderhub').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['BinderHubBuildsFailing', 'BinderHubLaunchesSlow', 'BinderHubUserPodsPending', 'BinderHubHubDown']);
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter(name => !EXPORTED_METRICS.has(name))).toEqual([]);
      expect(rule.expr).toContain('namespace="mon"');
      expect(rule.annotations.summary).toContain('`npm run status -- --deployment mon`');
    }
    expect(rules[0].expr).toMatch(/status="failure"\}\[30m\]\)\) \/ sum\(rate\(binderhub_build_count_total\{namespace="mon"\}\[30m\]\)\) > 0\.5$/);
    expect(rules[1].expr).toMatch(/> 120$/);
    expect(rules[2].for).toBe('10m');
    // ServiceMonitor hub's targets are job "hub" (the Service's name).
    expect(rules[3].expr).toBe('absent(up{namespace="mon",job="hub"} == 1)');
  });

  test('thresholds given move the alerts; alerts: false leaves the PrometheusRule out', () => {
    const tuned = synthBinderHub(props(Monitoring.prometheusOperator({ alerts: { buildFailureRatio: 0.2, launchSeconds: 60, pendingMinutes: 5 } })), 'mon');
    const rules = find(tuned, 'PrometheusRule', 'binderhub').spec.groups[0].rules;
    expect([rules[0].expr.endsWith('> 0.2'), rules[1].expr.endsWith('> 60'), rules[2].for]).toEqual([true, true, '5m']);
    expect(find(tuned, 'ServiceMonitor', 'binder').metadata.labels).toEqual({ [DEPLOYMENT_LABEL]: 'mon' });
    const silent = synthBinderHub(props(Monitoring.prometheusOperator({ alerts: false })), 'mon');
    expect(silent.filter(o => o.kind === 'PrometheusRule')).toEqual([]);
  });

  test('with the jupyterhub chart\'s Let\'s Encrypt, whose traefik pods proxy-public leads to, annotations are refused and the PodMonitor still reaches the proxy', () => {
    const ingress = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', binderTls: Tls.secret('binder-cert'), hubTls: Tls.letsEncrypt('admin@example.org') };
    expect(configErrorMessage(() => synthBinderHub({ ...props(Monitoring.annotations()), ingress }, 'mon'))).toMatch(/proxy-public leads to the autohttps pods/);
    const objects = synthBinderHub({ ...props(Monitoring.prometheusOperator()), ingress }, 'mon');
    const podMonitor = find(objects, 'PodMonitor', 'proxy');
    expect(selects(podMonitor.spec.selector.matchLabels, find(objects, 'Deployment', 'proxy').spec.template.metadata.labels)).toBe(true);
    expect(selects(podMonitor.spec.selector.matchLabels, find(objects, 'Deployment', 'autohttps').spec.template.metadata.labels)).toBe(false);
  });

  test('a deployment without monitoring is unchanged: monitoring adds its objects and settings, nothing else', () => {
    expect(without.filter(o => o.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    expect(proxyCommand(without).some(flag => flag.startsWith('--metrics'))).toBe(false);
    expect(comparable(undoMonitoring(annotated, 'prometheus'))).toEqual(comparable(without));
    expect(comparable(undoMonitoring(operated, 'monitoring'))).toEqual(comparable(without));
  });
});

/**
 * A render with what monitoring adds taken away again: its objects, the proxy's flags, proxy-public's annotations,
 * the binder Service's label, the ingress rules from Prometheus's namespace.
 */
function undoMonitoring(objects: any[], prometheusNamespace: string): any[] {
  const undone = objects.filter(o => !o.apiVersion.startsWith('monitoring.coreos.com/')).map(o => structuredClone(o));
  const proxy = find(undone, 'Deployment', 'proxy').spec.template.spec.containers[0];
  proxy.command = proxy.command.filter((flag: string) => !flag.startsWith('--metrics'));
  const proxyPublic = find(undone, 'Service', 'proxy-public').metadata;
  for (const key of ['prometheus.io/scrape', 'prometheus.io/port']) delete proxyPublic.annotations?.[key];
  if (proxyPublic.annotations && Object.keys(proxyPublic.annotations).length === 0) delete proxyPublic.annotations;
  delete find(undone, 'Service', 'binder').metadata.labels.component;
  for (const name of ['hub', 'proxy']) {
    const policy = find(undone, 'NetworkPolicy', name);
    policy.spec.ingress = policy.spec.ingress.filter((rule: any) =>
      !rule.from?.some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === prometheusNamespace));
  }
  return undone;
}

/**
 * The objects with the pods' config checksums (which the hub's setting changes) and the values the hub and binder
 * read (which hold the settings: the hub's and the binder Service's; checked above through the config files) dropped.
 */
function comparable(objects: any[]): any[] {
  return objects.map(o => {
    const copy = structuredClone(o);
    const annotations = copy.spec?.template?.metadata?.annotations;
    if (annotations) for (const key of Object.keys(annotations)) if (key.startsWith('checksum/')) delete annotations[key];
    if (copy.kind === 'Secret' && ['hub', 'binder-secret'].includes(copy.metadata.name)) delete copy.data?.['values.yaml'];
    return copy;
  });
}
