import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  BINDERHUB_CORE_OBJECTS, BinderHub, Builder, ChartSource, checkRenderedBinderHub, ConfigError, imageProblems,
  imageTagProblem, ManifestObject, missingCoreObjects, registerSecrets, SecretsMode,
} from '../lib/internal';
import { fakeTokens, find, FIXTURE_CHART, synthBinderHub, TEST_REGISTRY, thrownMessage } from './helpers';
import { describeWithRealChart, editChartFile, unpackChart } from './real-chart';



function object(kind: string, name: string, spec: any = {}): ManifestObject {
  return { apiVersion: 'v1', kind, metadata: { name }, spec };
}

const pod = (containers: any[], initContainers?: any[]) => ({ containers, initContainers });
const CORE = BINDERHUB_CORE_OBJECTS.map(o => object(o.kind, o.name, o.kind === 'Deployment' ? { template: { spec: pod([{ name: o.name, image: `example.org/${o.name}:1.0` }]) } } : {}));
const CONTEXT = { deployment: 'test', chart: 'local chart /charts/binderhub', helm: '/usr/local/bin/helm' };

describe('imageTagProblem', () => {
  test.each([
    ['quay.io/jupyterhub/k8s-binderhub:1.0.0-0.dev.git.3959.hb9fad995', undefined],
    ['registry.example.org:5000/team/image:2.1', undefined],
    ['docker.io/library/docker@sha256:' + 'a'.repeat(64), undefined],
    ['quay.io/jupyterhub/k8s-binderhub:set-by-chartpress@sha256:' + 'b'.repeat(64), undefined],
    ['quay.io/jupyterhub/k8s-binderhub:set-by-chartpress', 'the placeholder tag set-by-chartpress, which chartpress replaces when it packages the chart'],
    ['busybox', 'no tag, so whatever :latest is when a node pulls it'],
    ['registry.example.org:5000/team/image', 'no tag, so whatever :latest is when a node pulls it'],
    // Malformed, but read the same way: the colon right before the last slash is no tag's, one at the start is a tag's.
    ['registry.example.org:/image', 'no tag, so whatever :latest is when a node pulls it'],
    [':1.0', undefined],
    ['quay.io/jupyterhub/docker-image-cleaner:', 'an empty tag'],
    ['', 'no image'],
    [undefined, 'no image'],
  ])('%p: %p', (image, expected) => {
    expect(imageTagProblem(image)).toBe(expected);
  });
});

describe('imageProblems', () => {
  test('looks at every container and init container of every kind that runs pods, and at nothing else', () => {
    const objects = [
      object('Deployment', 'a', { template: { spec: pod([{ name: 'main', image: 'ok:1' }], [{ name: 'init', image: 'busybox' }]) } }),
      object('DaemonSet', 'b', { template: { spec: pod([{ name: 'main', image: 'x:set-by-chartpress' }]) } }),
      object('StatefulSet', 'c', { template: { spec: pod([{ name: 'main', image: 'c' }]) } }),
      object('Job', 'd', { template: { spec: pod([{ name: 'main', image: 'd' }]) } }),
      object('CronJob', 'e', { jobTemplate: { spec: { template: { spec: pod([{ name: 'main', image: 'e' }]) } } } }),
      { ...object('Pod', 'f'), spec: pod([{ name: 'main', image: 'f' }]) },
      object('ConfigMap', 'g', { template: { spec: pod([{ name: 'main', image: 'g' }]) } }),
    ];
    expect(imageProblems(objects).map(p => `${p.object} / ${p.container} / ${p.image}`)).toEqual([
      'Deployment a / init container init / busybox',
      'DaemonSet b / container main / x:set-by-chartpress',
      'StatefulSet c / container main / c',
      'Job d / container main / d',
      'CronJob e / container main / e',
      'Pod f / container main / f',
    ]);
  });
});

describe('checkRenderedBinderHub', () => {
  test('passes a BinderHub whose images all pin what runs', () => {
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

  test('refuses images that do not pin what runs, naming object, container, image and the way out', () => {
    const objects = [...CORE, object('DaemonSet', 'cleaner', { template: { spec: pod([{ name: 'clean', image: 'cleaner:set-by-chartpress' }], [{ name: 'wait', image: 'busybox' }]) } })];
    expect(() => checkRenderedBinderHub(objects, CONTEXT)).toThrow(new ConfigError('deployment "test": local chart /charts/binderhub renders images that do not say which build runs: '
      + 'DaemonSet cleaner, init container wait: busybox has no tag, so whatever :latest is when a node pulls it; '
      + 'DaemonSet cleaner, container clean: cleaner:set-by-chartpress has the placeholder tag set-by-chartpress, which chartpress replaces when it packages the chart; '
      + 'package the chart with chartpress (or use a published chart), or set the tag in chartValues (such as image.tag for Deployment binder)'));
  });

  test('never shows a registered secret that an image reference carries', () => {
    const secret = 'private-registry-SECRET-host';
    registerSecrets(secret);
    const message = thrownMessage(() => checkRenderedBinderHub(
      [...CORE, object('Pod', 'p', undefined)].map(o => o.kind === 'Pod' ? { ...o, spec: pod([{ name: 'c', image: `${secret}/image` }]) } : o), CONTEXT));
    expect(message).toMatch(/Pod p, container c: \*\*\*\/image has no tag/);
    expect(message).not.toContain(secret);
  });
});

describe('BinderHub refuses what helm rendered if it is no BinderHub, before the synth writes anything', () => {
  test('checks helm\'s own output, before a secrets mode takes the Secrets out of the deployment\'s file', () => {
    const app = Testing.app();
    const binderhub = new BinderHub(app, 'test', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(), registry: TEST_REGISTRY, secrets: SecretsMode.separate() });
    expect(Testing.synth(binderhub).filter(o => o.kind === 'Secret')).toEqual([]);
  });

  test('an empty chart (a Chart.yaml, no templates)', () => {
    const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-chart-'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: binderhub\nversion: 1.0.0-0.dev.git.3959.hb9fad995\n');
    expect(() => synthBinderHub({ chart: ChartSource.local(chart) }))
      .toThrow(/^deployment "test": helm rendered no objects from local chart .*empty-chart-\w+, so the output would hold no BinderHub .*; is BINDERHUB_CHART a binderhub chart\? a helm that printed nothing: check HELM or helmExecutable \(.*\/helm\)$/);
  });

  test('a helm that exits 0 and prints nothing', () => {
    const helm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-helm-')), 'helm');
    fs.writeFileSync(helm, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(() => synthBinderHub({ helmExecutable: helm })).toThrow(new RegExp(`^deployment "test": helm rendered no objects from local chart ${FIXTURE_CHART}, .*check HELM or helmExecutable \\(${helm}\\)$`));
  });

  test('a chart without the jupyterhub subchart\'s proxy', () => {
    const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'no-proxy-')), 'binderhub');
    fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
    fs.rmSync(path.join(chart, 'charts', 'jupyterhub', 'templates', 'proxy'), { recursive: true });
    expect(() => synthBinderHub({ chart: ChartSource.local(chart) }))
      .toThrow(/^deployment "test": local chart .*rendered no Deployment proxy, Service proxy-public, which every BinderHub has .*; is BINDERHUB_CHART a binderhub chart, with its jupyterhub subchart\?$/);
  });

  test('an image without a tag, given in chartValues', () => {
    const initContainers = [{ name: 'wait-for-registry', image: 'registry.example.org:5000/tools/wait' }];
    expect(() => synthBinderHub({ chartValues: { initContainers } })).toThrow(new RegExp('^deployment "test": local chart .* renders images that do not say which build runs: '
      + 'Deployment binder, init container wait-for-registry: registry\\.example\\.org:5000/tools/wait has no tag, .*set the tag in chartValues'));
    const pinned = [{ name: 'wait-for-registry', image: 'registry.example.org:5000/tools/wait:1.2' }];
    expect(find(synthBinderHub({ chartValues: { initContainers: pinned } }), 'Deployment', 'binder').spec.template.spec.initContainers).toEqual(pinned);
  });

  test('a dind builder image without a tag, when the builder is defined', () => {
    expect(() => Builder.dind({ image: 'docker' })).toThrow(/^builder image "docker" has no tag, .*; pin a tag in Builder\.dind\(\{ image \}\), such as docker\.io\/library\/docker:28\.3\.3-dind$/);
    expect(() => Builder.dind({ image: 'docker:27.5.1-dind' })).not.toThrow();
  });
});

describeWithRealChart('BinderHub checks of what helm rendered', realChart => {
  test('the real chart renders a BinderHub whose images all pin what runs', () => {
    const objects = synthBinderHub({ chart: ChartSource.local(realChart) });
    expect(missingCoreObjects(objects)).toEqual([]);
    expect(imageProblems(objects)).toEqual([]);
    expect(find(objects, 'Deployment', 'binder').spec.template.spec.containers[0].image).toMatch(/^quay\.io\/jupyterhub\/k8s-binderhub:1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+$/);
  });

  test('a git checkout of the chart (set-by-chartpress tags, no values schema) is refused, naming the image and chartpress', () => {
    const checkout = unpackChart(realChart);
    editChartFile(checkout, 'Chart.yaml', text => text.replace(/^version: .*$/m, 'version: 0.0.1-set.by.chartpress'));
    editChartFile(checkout, 'values.yaml', text => text.replace(/^(  tag: )"1\.0\.0-0\.dev\.git\.[^"]+"/m, '$1"set-by-chartpress"'));
    fs.rmSync(path.join(checkout, 'values.schema.json'));
    expect(() => synthBinderHub({ chart: ChartSource.local(checkout) })).toThrow(new RegExp('^deployment "test": local chart .* renders images that do not say which build runs: '
      + 'Deployment binder, container binder: quay\\.io/jupyterhub/k8s-binderhub:set-by-chartpress has the placeholder tag set-by-chartpress, '
      + 'which chartpress replaces when it packages the chart; package the chart with chartpress \\(or use a published chart\\), '
      + 'or set the tag in chartValues \\(such as image\\.tag for Deployment binder\\)$'));
    // The way out the message names: the tag in chartValues.
    const objects = synthBinderHub({ chart: ChartSource.local(checkout), chartValues: { image: { tag: '1.0.0-0.dev.git.3959.hb9fad995' } } });
    expect(find(objects, 'Deployment', 'binder').spec.template.spec.containers[0].image).toBe('quay.io/jupyterhub/k8s-binderhub:1.0.0-0.dev.git.3959.hb9fad995');
  });
});
