import { ApiObject, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { checkManifests, ChartSource, ConfigError, GatewayOptions, GatewayRoutes, HUB_URL_SOURCE_ANNOTATION, knownKindChecker, pruneCommand } from '../lib/internal';
import { crdSchemaProblems } from './crd-schema';
import { editedFixtureChart, expectAllowlistCoversKinds, find, FIXTURE_CHART, secretValue, synthBinderHub } from './helpers';
import { describeWithRealChart } from './real-chart';

const GATEWAY: GatewayOptions = {
  binderHost: 'binder.example.org', hubHost: 'hub.example.org', parent: { name: 'public', namespace: 'gateway-system' },
  binderSectionName: 'https-binder', hubSectionName: 'https-hub',
};

/** A route as it must come out, written out: the parent, host and backend given. */
function expectedRoute(name: string, host: string, sectionName: string | undefined, service: string, port: number) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'prod', labels: { 'binderhub-cdk8s.io/deployment': 'prod' } },
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway-system', ...(sectionName ? { sectionName } : {}) }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service, port }] }],
    },
  };
}

const routes = (objects: any[]) => objects.filter(o => o.kind === 'HTTPRoute');
const binderValues = (objects: any[]) => yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml')) as any;

/** What every gateway deployment must hold, on either chart. */
function gatewaySuite(chart: string) {
  const objects = synthBinderHub({ chart: ChartSource.local(chart), gateway: GATEWAY }, 'prod');

  test('two HTTPRoutes: the binder host to Service binder, the hub host to proxy-public, each on its listener', () => {
    expect(routes(objects)).toEqual([
      expectedRoute('binderhub', 'binder.example.org', 'https-binder', 'binder', 80),
      expectedRoute('jupyterhub', 'hub.example.org', 'https-hub', 'proxy-public', 80),
    ]);
  });

  test('the routes are valid against the imported HTTPRoute schema; the output is apply-ready', () => {
    expect(routes(objects).map(crdSchemaProblems)).toEqual([[], []]);
    expect(checkManifests(objects, { isKnownKind: knownKindChecker() })).toEqual([]);
  });

  test('ClusterIP services and no Ingress', () => {
    expect(find(objects, 'Service', 'binder').spec.type).toBe('ClusterIP');
    expect(find(objects, 'Service', 'proxy-public').spec.type).toBe('ClusterIP');
    expect(objects.filter(o => o.kind === 'Ingress')).toEqual([]);
  });

  test('the hub URL is the hub host\'s, fixed at synth; the hub API is reached inside the cluster', () => {
    const config = find(objects, 'ConfigMap', 'binder-hub-url');
    expect(config.data.hub_url).toBe('https://hub.example.org/');
    expect(config.metadata.annotations[HUB_URL_SOURCE_ANNOTATION]).toBe('fixed');
    expect(binderValues(objects).config.BinderHub.hub_url_local).toBe('http://proxy-public/');
  });

  test('the derived prune allowlist names HTTPRoute', () => {
    const command = pruneCommand({ manifests: { file: 'dist/prod.k8s.yaml', objects } });
    expect(command.allowlist).toContain('gateway.networking.k8s.io/v1/HTTPRoute');
    expectAllowlistCoversKinds(objects, command.allowlist);
  });
}

describe('gateway (test chart)', () => {
  gatewaySuite(FIXTURE_CHART);

  test('without section names the routes attach to the whole Gateway; an HTTP listener makes an http hub URL', () => {
    const { binderSectionName: _b, hubSectionName: _h, ...plain } = GATEWAY;
    const objects = synthBinderHub({ gateway: { ...plain, listenerProtocol: 'HTTP' } }, 'prod');
    expect(routes(objects).map(r => r.spec.parentRefs)).toEqual([[{ name: 'public', namespace: 'gateway-system' }], [{ name: 'public', namespace: 'gateway-system' }]]);
    expect(find(objects, 'ConfigMap', 'binder-hub-url').data.hub_url).toBe('http://hub.example.org/');
  });

  test('a hub URL that agrees with the hub host is accepted', () => {
    expect(find(synthBinderHub({ gateway: GATEWAY, hubUrl: 'https://hub.example.org' }), 'ConfigMap', 'binder-hub-url').data.hub_url)
      .toBe('https://hub.example.org/');
  });

  test('the routes go to the port the chart gives the Service', () => {
    const chart = editedFixtureChart('templates/service.yaml', text => text.replace('- port: 80\n', '- port: 8080\n'));
    const objects = synthBinderHub({ chart: ChartSource.local(chart), gateway: GATEWAY }, 'prod');
    expect(find(objects, 'HTTPRoute', 'binderhub').spec.rules[0].backendRefs).toEqual([{ name: 'binder', port: 8080 }]);
  });

  test('the schema check catches a broken route', () => {
    const route = routes(synthBinderHub({ gateway: GATEWAY }, 'prod'))[0];
    const broken = JSON.parse(JSON.stringify(route));
    broken.spec.rules[0].backendRefs[0].port = 0;
    broken.spec.hostnames = ['Binder.example.org'];
    broken.spec.parentRefs[0].sectionNmae = 'https';
    expect(crdSchemaProblems(broken)).toEqual([
      'HTTPRoute/binderhub/spec/parentRefs/0: must NOT have additional properties (sectionNmae)',
      'HTTPRoute/binderhub/spec/hostnames/0: must match pattern "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"',
      'HTTPRoute/binderhub/spec/rules/0/backendRefs/0/port: must be >= 1',
    ]);
  });
});

/** A rendered object of the chart, made by hand: `spec` left out when undefined. */
const rendered = (kind: string, name: string, spec?: object) => ({ kind, name, spec });

/** The backends of routes `binderhub` and `jupyterhub` made over hand-made rendered objects. */
function backends(objects: ReturnType<typeof rendered>[]): unknown[] {
  const chart = new Chart(Testing.app(), 'prod');
  const apiObjects = objects.map(({ kind, name, spec }) => new ApiObject(chart, `${kind}-${name}`, {
    apiVersion: kind === 'Service' ? 'v1' : 'apps/v1', kind, metadata: { name }, ...(spec ? { spec } : {}),
  }));
  new GatewayRoutes(chart, 'gateway', { options: GATEWAY, rendered: apiObjects });
  return routes(Testing.synth(chart)).map(r => r.spec.rules[0].backendRefs);
}

describe('the port each route goes to', () => {
  const proxyPublic = rendered('Service', 'proxy-public', { ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] });
  const refusal = (service: string, port: string) => `the chart renders no Service ${service} with ${port}, which the gateway prop routes to; `
    + 'remove what changes its ports from chartValues (such as jupyterhub.proxy.service.disableHttpPort)';

  test('binder: its only port, named or not; proxy-public: the port named http, wherever it is among its ports', () => {
    expect(backends([rendered('Service', 'binder', { ports: [{ port: 8080 }] }), proxyPublic]))
      .toEqual([[{ name: 'binder', port: 8080 }], [{ name: 'proxy-public', port: 80 }]]);
    expect(backends([rendered('Service', 'binder', { ports: [{ name: 'http', port: 8585 }] }), rendered('Service', 'proxy-public', { ports: [{ name: 'http', port: 8000 }] })]))
      .toEqual([[{ name: 'binder', port: 8585 }], [{ name: 'proxy-public', port: 8000 }]]);
  });

  test('only a Service counts: a Deployment of the same name before it is passed over', () => {
    expect(backends([rendered('Deployment', 'binder', { replicas: 1 }), rendered('Service', 'binder', { ports: [{ port: 80 }] }), proxyPublic]))
      .toEqual([[{ name: 'binder', port: 80 }], [{ name: 'proxy-public', port: 80 }]]);
  });

  test.each([
    ['two ports', [rendered('Service', 'binder', { ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }] }), proxyPublic]],
    ['no ports', [rendered('Service', 'binder', { type: 'ClusterIP' }), proxyPublic]],
    ['no spec', [rendered('Service', 'binder'), proxyPublic]],
    ['no Service binder, only a Deployment binder', [rendered('Deployment', 'binder', { replicas: 1 }), proxyPublic]],
  ])('a Service binder with %s is refused, naming it', (_, objects) => {
    expect(() => backends(objects)).toThrow(ConfigError);
    expect(() => backends(objects)).toThrow(new ConfigError(refusal('binder', 'a single port')));
  });

  test('a proxy-public without a port named http is refused, naming it', () => {
    const objects = [rendered('Service', 'binder', { ports: [{ port: 80 }] }), rendered('Service', 'proxy-public', { ports: [{ name: 'https', port: 443 }] })];
    expect(() => backends(objects)).toThrow(new ConfigError(refusal('proxy-public', 'a port named http')));
  });
});

describeWithRealChart('gateway', chart => {
  gatewaySuite(chart);

  test('a proxy-public without its http port is refused, naming the setting', () => {
    const render = () => synthBinderHub({ chart: ChartSource.local(chart), gateway: GATEWAY, chartValues: { jupyterhub: { proxy: { service: { disableHttpPort: true } } } } });
    expect(render).toThrow(ConfigError);
    expect(render).toThrow(/^the chart renders no Service proxy-public with a port named http, which the gateway prop routes to; remove what changes its ports from chartValues \(such as jupyterhub\.proxy\.service\.disableHttpPort\)$/);
  });
});
