import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Helm, Testing } from 'cdk8s';
import { ChartSource, HelmChart, registerSecrets, servedApiVersions, toolPath } from '../lib';
import { fakeTokens, FIXTURE_CHART, packageChart, thrownMessage } from './helpers';

function render(props: Partial<ConstructorParameters<typeof HelmChart>[2]> = {}) {
  const chart = Testing.chart();
  const helmChart = new HelmChart(chart, 'h', { chart: ChartSource.local(FIXTURE_CHART), releaseName: 'rel', namespace: 'ns', ...props });
  return { helmChart, objects: Testing.synth(chart) };
}

describe('HelmChart', () => {
  test('renders the chart with the real helm, for the release and namespace given', () => {
    const { objects } = render({ values: { replicas: 3 } });
    const binder = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'binder');
    expect(binder.spec.replicas).toBe(3);
    expect(binder.spec.selector.matchLabels.release).toBe('rel');
    const roleBinding = objects.find(o => o.kind === 'RoleBinding' && o.metadata.name === 'binderhub');
    expect(roleBinding.subjects[0].namespace).toBe('ns');
  });

  test('gives exactly the objects of cdk8s\'s own Helm, which loads helm\'s output through a child process', () => {
    const values = { ...fakeTokens().toChartValues(), imageBuilderType: 'dind' };
    const plain = Testing.chart();
    new Helm(plain, 'h', { chart: FIXTURE_CHART, releaseName: 'rel', namespace: 'ns', values, helmExecutable: toolPath('helm'), helmFlags: ['--kube-version', '1.35.0', '--api-versions', servedApiVersions(35).join(',')] });
    expect(render({ values }).objects).toEqual(Testing.synth(plain));
  });

  test('renders a packaged .tgz as well as a directory', () => {
    const tgz = packageChart(FIXTURE_CHART);
    const values = fakeTokens().toChartValues(); // without them the jupyterhub chart mints random tokens
    expect(render({ chart: ChartSource.local(tgz), values }).objects).toEqual(render({ values }).objects);
  });

  test('renders for the Kubernetes version and the APIs it serves, so .Capabilities do not depend on the helm build', () => {
    const pdb = (kubeVersion?: string) => render({ kubeVersion }).objects.find(o => o.kind === 'PodDisruptionBudget');
    expect(pdb().apiVersion).toBe('policy/v1');
    expect(pdb('1.28').apiVersion).toBe('policy/v1');
    expect(() => render({ kubeVersion: '1.20.0' })).toThrow(/^kubeVersion v1\.20\.0 of release rel is outside what local chart .* supports \(>=1\.28\.0-0\)/);
  });

  test('leaves no temporary files behind (they would hold the values, tokens included)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tmpdir-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      render({ values: { config: { BinderHub: { build_token_secret: 'x'.repeat(64) } } } });
    } finally {
      process.env.TMPDIR = saved;
    }
    const left = fs.readdirSync(tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  test('throws a one-line message with the fix if the chart repository cannot be reached', () => {
    // A local port nothing listens on: unreachable on every machine, without touching any network.
    const chart = ChartSource.repository({ url: 'http://127.0.0.1:9' });
    expect(() => render({ chart })).toThrow(/^cannot reach the chart repository for binderhub 1\.0\.0-0\.dev\.git\.\d+\.h[0-9a-f]+ from http:\/\/127\.0\.0\.1:9 \(.*connection refused\); to render without the network, set BINDERHUB_CHART/);
  });

  test('a helm that fails without a word is named, with the status, instead of an empty message', () => {
    expect(() => render({ helmExecutable: '/bin/false' }))
      .toThrow(/^helm at \/bin\/false exited with status 1 and printed nothing while rendering release rel \(local chart .*\); check HELM$/);
  });

  test('throws a one-line message naming the helm binary if it is missing', () => {
    expect(() => render({ helmExecutable: '/no/such/helm' })).toThrow(/^cannot run helm at \/no\/such\/helm: run `npm ci`.* or set HELM/);
  });

  test('throws the schema problem if the chart schema refuses a value', () => {
    expect(() => render({ values: { imageBuilderType: 'kaniko' } })).toThrow(/^the chart's values schema refused the values of release rel: .*imageBuilderType/);
    expect(() => render({ values: { bogus: 1 } })).toThrow("the chart's values schema refused the values of release rel: binderhub: at '': additional properties 'bogus' not allowed");
  });

  test('throws what NOTES.txt fails on, as the real chart does for dind.enabled', () => {
    expect(() => render({ values: { dind: { enabled: true } } })).toThrow(/^the chart refused the values of release rel: .*dind\.enabled was removed: use imageBuilderType: dind/);
  });

  test('redacts registered secrets, plain and base64, from what helm prints when it fails', () => {
    // A helm that fails and echoes each string value it was given, plain and base64, as a template error may.
    const helm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'echo-helm-')), 'helm');
    fs.writeFileSync(helm, `#!${process.execPath}
let input = '';
process.stdin.on('data', chunk => { input += chunk; }).on('end', () => {
  const strings = [];
  const walk = value => typeof value === 'string' ? strings.push(value) : Object.values(value ?? {}).forEach(walk);
  walk(JSON.parse(input));
  for (const s of strings) process.stderr.write(\`Error: rejected value \${s} (base64 \${Buffer.from(s).toString('base64')})\\n\`);
  process.exit(1);
});
`, { mode: 0o755 });
    const secret = 'echoed-by-helm-SECRET-value-41';
    registerSecrets(secret);
    const message = thrownMessage(() => render({ helmExecutable: helm, values: { config: { BinderHub: { build_token_secret: secret } } } }));
    expect(message).toMatch(/^helm template failed for release rel \(local chart .*\): rejected value \*\*\* \(base64 \*\*\*\)$/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(Buffer.from(secret).toString('base64'));
  });
});
