import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  BINDERHUB_CORE_OBJECTS, BinderHub, BinderHubProps, ChartSource, checkRenderedBinderHub, ConfigError, ManifestObject,
  missingCoreObjects, Registry, SecretsMode,
} from '../lib';
import { fakeTokens, FIXTURE_CHART } from './helpers';
import { describeWithRealChart } from './real-chart';

// Main refuses Registry.none() with the dind and pink builders: name a registry, so these tests keep the default builder.
const REGISTRY = Registry.dockerHub({ username: 'testbot', password: 'test-registry-password', imagePrefix: 'testorg/binder-test-' });

function synth(props: Partial<BinderHubProps>): any[] {
  const app = Testing.app();
  return Testing.synth(new BinderHub(app, 'test', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(), registry: REGISTRY, ...props }));
}

function object(kind: string, name: string, spec: any = {}): ManifestObject {
  return { apiVersion: 'v1', kind, metadata: { name }, spec };
}

const pod = (containers: any[], initContainers?: any[]) => ({ containers, initContainers });
const CORE = BINDERHUB_CORE_OBJECTS.map(o => object(o.kind, o.name, o.kind === 'Deployment' ? { template: { spec: pod([{ name: o.name, image: `example.org/${o.name}:1.0` }]) } } : {}));
const CONTEXT = { deployment: 'test', chart: 'local chart /charts/binderhub', helm: '/usr/local/bin/helm' };

describe('checkRenderedBinderHub', () => {
  test('passes a BinderHub with every core object', () => {
    expect(missingCoreObjects(CORE)).toEqual([]);
    expect(() => checkRenderedBinderHub(CORE, CONTEXT)).not.toThrow();
  });

  test('refuses empty output, naming the chart and the helm binary', () => {
    expect(() => checkRenderedBinderHub([], CONTEXT)).toThrow(new ConfigError('deployment "test": helm rendered no objects from local chart /charts/binderhub, '
      + 'so the output would hold no BinderHub (and a pruning apply would delete the running one); is BINDERHUB_CHART a binderhub chart? '
      + 'a helm that printed nothing: check HELM or helmExecutable (/usr/local/bin/helm)'));
  });

  test('refuses output without a core object, naming each one missing', () => {
    const without = CORE.filter(o => !(o.kind === 'Secret' && o.metadata.name === 'hub') && o.metadata.name !== 'proxy-public');
    expect(missingCoreObjects(without)).toEqual(['Service proxy-public', 'Secret hub']);
    expect(() => checkRenderedBinderHub(without, CONTEXT)).toThrow(/^deployment "test": local chart \/charts\/binderhub rendered no Service proxy-public, Secret hub, which every BinderHub has/);
  });
});

describe('BinderHub refuses what helm rendered if it is no BinderHub, before the synth writes anything', () => {
  test('checks helm\'s own output, before a secrets mode takes the Secrets out of the deployment\'s file', () => {
    const app = Testing.app();
    const binderhub = new BinderHub(app, 'test', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(), registry: REGISTRY, secrets: SecretsMode.separate() });
    expect(Testing.synth(binderhub).filter(o => o.kind === 'Secret')).toEqual([]);
  });

  test('an empty chart (a Chart.yaml, no templates)', () => {
    const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-chart-'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: binderhub\nversion: 1.0.0-0.dev.git.3959.hb9fad995\n');
    expect(() => synth({ chart: ChartSource.local(chart) }))
      .toThrow(/^deployment "test": helm rendered no objects from local chart .*empty-chart-\w+, so the output would hold no BinderHub .*; is BINDERHUB_CHART a binderhub chart\? a helm that printed nothing: check HELM or helmExecutable \(.*\/helm\)$/);
  });

  test('a helm that exits 0 and prints nothing', () => {
    const helm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-helm-')), 'helm');
    fs.writeFileSync(helm, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(() => synth({ helmExecutable: helm })).toThrow(new RegExp(`^deployment "test": helm rendered no objects from local chart ${FIXTURE_CHART}, .*check HELM or helmExecutable \\(${helm}\\)$`));
  });

  test('a chart without the jupyterhub subchart\'s proxy', () => {
    const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'no-proxy-')), 'binderhub');
    fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
    fs.rmSync(path.join(chart, 'charts', 'jupyterhub', 'templates', 'proxy'), { recursive: true });
    expect(() => synth({ chart: ChartSource.local(chart) }))
      .toThrow(/^deployment "test": local chart .*rendered no Deployment proxy, Service proxy-public, which every BinderHub has .*; is BINDERHUB_CHART a binderhub chart, with its jupyterhub subchart\?$/);
  });
});

describeWithRealChart('BinderHub checks of what helm rendered', realChart => {
  test('the real chart renders every core object of a BinderHub', () => {
    expect(missingCoreObjects(synth({ chart: ChartSource.local(realChart) }))).toEqual([]);
  });
});
