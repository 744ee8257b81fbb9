import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { checkManifests, ChartSource, ConfigError, GatewayOptions, HUB_URL_SOURCE_ANNOTATION, knownKindChecker, pruneCommand } from '../lib';
import { crdSchemaProblems } from './crd-schema';
import { expectAllowlistCoversKinds, find, FIXTURE_CHART, secretValue, synthBinderHub } from './helpers';
import { describeWithRealChart, editChartFile } from './real-chart';

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
    const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-chart-')), 'binderhub');
    fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
    editChartFile(chart, 'templates/service.yaml', text => text.replace('- port: 80\n', '- port: 8080\n'));
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

describeWithRealChart('gateway', chart => {
  gatewaySuite(chart);

  test('a proxy-public without its http port is refused, naming the setting', () => {
    const render = () => synthBinderHub({ chart: ChartSource.local(chart), gateway: GATEWAY, chartValues: { jupyterhub: { proxy: { service: { disableHttpPort: true } } } } });
    expect(render).toThrow(ConfigError);
    expect(render).toThrow(/^the chart renders no Service proxy-public with a port named http, which the gateway prop routes to; remove what changes its ports from chartValues \(such as jupyterhub\.proxy\.service\.disableHttpPort\)$/);
  });
});
