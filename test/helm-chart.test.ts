import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Helm, Testing } from 'cdk8s';
import { ChartSource, HelmChart, HelmResult, helmOutput, helmTemplateArgs, parseHelmOutput, parseKubeVersion, registerSecrets, renderConcurrently, servedApiVersions, toolPath } from '../lib/internal';
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
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const pdb = (kubeVersion?: string) => render({ kubeVersion }).objects.find(o => o.kind === 'PodDisruptionBudget');
      expect(pdb().apiVersion).toBe('policy/v1');
      expect(pdb('1.28').apiVersion).toBe('policy/v1');
      expect(() => render({ kubeVersion: '1.20.0' })).toThrow(/^kubeVersion v1\.20\.0 of release rel is outside what local chart .* supports \(>=1\.28\.0-0\)/);
      expect(warn.mock.calls).toEqual([[expect.stringMatching(/^warning: Kubernetes 1\.28 left upstream support on 2024-10-28;/)]]);
    } finally {
      warn.mockRestore();
    }
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
    expect(() => render({ values: { dind: { enabled: true } } })).toThrow(/^the chart refused the values of release rel: BREAKING CHANGES:; - dind\.enabled was removed: use imageBuilderType: dind$/);
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

/** A helm that reads its values and prints `output`, whatever it is asked to render. */
function printingHelm(output: string): string {
  const helm = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'printing-helm-')), 'helm');
  fs.writeFileSync(helm, `#!/bin/sh\ncat > /dev/null\ncat <<'EOF'\n${output}\nEOF\n`, { mode: 0o755 });
  return helm;
}

describe('HelmChart with what helm printed', () => {
  test('gives each object the id cdk8s\'s Include gives: name-kind[-namespace], objectN for an unnamed one', () => {
    const helm = printingHelm([
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ns',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: binder',
      'apiVersion: v1\nkind: ConfigMap',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    app: binder',
      'apiVersion: example.org/v1\nmetadata:\n  name: kindless',
    ].join('\n---\n'));
    const { helmChart } = render({ helmExecutable: helm });
    expect(helmChart.apiObjects.map(o => o.node.id)).toEqual(['settings-configmap-ns', 'binder-service', 'object0-configmap', 'object1-configmap', 'kindless']);
  });

  test('drops hooks that run pods and tests, and keeps any other hook object without its helm.sh/hook annotations', () => {
    const object = (kind: string, name: string, annotations: Record<string, string>) =>
      `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  annotations: ${JSON.stringify(annotations)}`;
    const helm = printingHelm([
      object('ConfigMap', 'test-settings', { 'helm.sh/hook': 'test' }),
      object('ConfigMap', 'old-style-test', { 'helm.sh/hook': 'test-success' }),
      object('ConfigMap', 'install-and-test', { 'helm.sh/hook': 'pre-install, test' }),
      object('Job', 'install-job', { 'helm.sh/hook': 'post-install' }),
      object('ServiceAccount', 'installer', {
        'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-1', 'helm.sh/hook-delete-policy': 'before-hook-creation', 'note.example.org/kept': 'yes',
      }),
      object('ConfigMap', 'plain', { 'note.example.org/kept': 'yes' }),
    ].join('\n---\n'));
    const { helmChart, objects } = render({ helmExecutable: helm });
    const reason = 'a one-shot helm hook that runs pods; kubectl apply has no hooks, so it would run at every apply or never finish';
    expect(helmChart.droppedHooks).toEqual([
      { kind: 'ConfigMap', name: 'test-settings', hook: 'test', reason },
      { kind: 'ConfigMap', name: 'old-style-test', hook: 'test-success', reason },
      { kind: 'ConfigMap', name: 'install-and-test', hook: 'pre-install, test', reason },
      { kind: 'Job', name: 'install-job', hook: 'post-install', reason },
    ]);
    expect(objects.map(o => [o.kind, o.metadata.name, o.metadata.annotations])).toEqual([
      ['ServiceAccount', 'installer', { 'note.example.org/kept': 'yes' }],
      ['ConfigMap', 'plain', { 'note.example.org/kept': 'yes' }],
    ]);
  });

  test('has no objects and says it is not rendered while renderConcurrently only finds out the helm calls', async () => {
    const helm = printingHelm('apiVersion: v1\nkind: Service\nmetadata:\n  name: binder');
    const passes: Array<[boolean, string[]]> = [];
    await renderConcurrently(() => {
      const { helmChart } = render({ helmExecutable: helm });
      passes.push([helmChart.rendered, helmChart.apiObjects.map(o => o.node.id)]);
    });
    expect(passes).toEqual([[false, []], [true, ['binder-service']]]);
  });

  test('warns once about a Kubernetes version newer than the project knows, however many charts render for it', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const helm = printingHelm('');
    render({ helmExecutable: helm, kubeVersion: '1.99' });
    render({ helmExecutable: helm, kubeVersion: '1.99' });
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^warning: Kubernetes 1\.99\.0 is newer than this project knows/)]]);
    warn.mockRestore();
  });
});

describe('reading helm\'s output', () => {
  test('skips empty documents (nothing, {}, []) and keeps every other', () => {
    expect(parseHelmOutput('---\n---\n{}\n--- []\n--- [a]\n--- {a: 1}\n--- 5\n--- 0\n--- false\n--- text\n--- ~\n'))
      .toEqual([['a'], { a: 1 }, 5, 0, false, 'text']);
  });
});

describe('helmTemplateArgs', () => {
  test('a chart is its path alone; the namespace, Kubernetes version and its APIs follow', () => {
    expect(helmTemplateArgs({ chart: ChartSource.local(FIXTURE_CHART), releaseName: 'rel', namespace: 'ns', kubeVersion: parseKubeVersion('1.35') })).toEqual([
      'template', 'rel', FIXTURE_CHART, '--namespace', 'ns', '--kube-version', '1.35.0', '--api-versions', expect.stringContaining(',policy/v1,'),
    ]);
  });
});

describe('helm\'s failures, in one line that says what to do', () => {
  const CHART = 'binderhub 1.0.0-0.dev.git.3983.h383374de from https://charts.example.org';
  const chart = ChartSource.repository({ url: 'https://charts.example.org', version: '1.0.0-0.dev.git.3983.h383374de' });
  const errno = (code: string) => Object.assign(new Error(`spawnSync /opt/helm ${code}`), { code });
  const result = (fields: Partial<HelmResult>): HelmResult => ({ status: 1, signal: null, stdout: '', stderr: '', ...fields });
  const failure = (fields: Partial<HelmResult>) => thrownMessage(() => helmOutput(result(fields), '/opt/helm', chart, 'rel'));

  test('a helm that ran and succeeded gives what it printed, even if it never read the values (EPIPE)', () => {
    expect(helmOutput(result({ status: 0, stdout: 'kind: Service\n' }), '/opt/helm', chart, 'rel')).toBe('kind: Service\n');
    expect(helmOutput(result({ status: 0, stdout: 'kind: Service\n', error: errno('EPIPE') }), '/opt/helm', chart, 'rel')).toBe('kind: Service\n');
  });

  test.each(['ENOENT', 'EACCES'])('a helm that cannot be run (%s) is named, with how to get one', code => {
    expect(failure({ status: null, error: errno(code) }))
      .toBe('cannot run helm at /opt/helm: run `npm ci` (it installs the pinned helm into .tools/ on linux/x86-64) or set HELM to a helm 4 (or 3) binary');
  });

  test.each([
    ['output beyond the buffer, helm killed', { status: null, signal: 'SIGTERM' as const, error: errno('ENOBUFS') }, 'ENOBUFS'],
    ['output beyond the buffer, helm done', { status: 0, stdout: 'kind: Serv', error: errno('ENOBUFS') }, 'ENOBUFS'],
    ['a closed pipe, helm killed', { status: null, signal: 'SIGKILL' as const, error: errno('EPIPE') }, 'EPIPE'],
  ])('any other error of the call fails with it (%s)', (_, fields, code) => {
    expect(failure(fields)).toBe(`helm at /opt/helm failed to run for release rel: spawnSync /opt/helm ${code}`);
  });

  test('a helm that failed without reading the values (EPIPE) is explained by what it printed', () => {
    expect(failure({ error: errno('EPIPE'), stderr: 'Error: unknown flag: --kube-version\n' }))
      .toBe(`helm template failed for release rel (${CHART}): unknown flag: --kube-version`);
  });

  test('a helm that failed printing nothing, or only blanks, is named with its status or signal', () => {
    expect(failure({ status: 2, stderr: ' \n' })).toBe(`helm at /opt/helm exited with status 2 and printed nothing while rendering release rel (${CHART}); check HELM`);
    expect(failure({ status: null, signal: 'SIGKILL' })).toBe(`helm at /opt/helm was killed by SIGKILL and printed nothing while rendering release rel (${CHART}); check HELM`);
  });

  test.each([
    ['a Kubernetes version the chart refuses',
      'Error: chart requires kubeVersion: >=1.28.0-0 which is incompatible with Kubernetes v1.20.0\n',
      `kubeVersion v1.20.0 of release rel is outside what ${CHART} supports (>=1.28.0-0); set kubeVersion to your cluster's version (kubectl version), which must satisfy >=1.28.0-0`],
    ['values the schema refuses (helm 4: per chart, a line per problem)',
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nbinderhub:\n- at '/imageBuilderType': value must be one of 'host', 'dind', 'pink'\n"
        + "- at '/replicas': got string, want integer\n- at '': additional properties 'bogus' not allowed\n",
      "the chart's values schema refused the values of release rel: binderhub: at '/imageBuilderType': value must be one of 'host', 'dind', 'pink'; "
        + "at '/replicas': got string, want integer; at '': additional properties 'bogus' not allowed"],
    ['values the schema refuses (helm 3)',
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nbinderhub:\n- (root): Additional property bogus is not allowed\n"
        + '- replicas: Invalid type. Expected: integer, given: string\n',
      "the chart's values schema refused the values of release rel: binderhub: (root): Additional property bogus is not allowed; "
        + 'replicas: Invalid type. Expected: integer, given: string'],
    ['values a template fails on (helm 3 and 4 put the chart\'s message on the lines after)',
      'Error: execution error at (binderhub/templates/NOTES.txt:21:4): \n\nBREAKING CHANGES:\n- dind.enabled was removed: use imageBuilderType: dind\n\n\nUse --debug flag to render out invalid YAML\n',
      'the chart refused the values of release rel: BREAKING CHANGES:; - dind.enabled was removed: use imageBuilderType: dind'],
    ['values a template fails on (the chart\'s message on the same line, after what led there)',
      'Error: template: binderhub/templates/NOTES.txt:21:4: executing "binderhub/templates/NOTES.txt" at <fail>: error calling fail: execution error at (binderhub/templates/NOTES.txt:21:4):  hub.url must end with /\n',
      'the chart refused the values of release rel: hub.url must end with /'],
    ['anything else, each line trimmed, blank lines and the --debug hint left out, an Error: inside a line kept',
      'Error:  first line  \n\n   second line: Error: third\nError:fourth\nUse --debug flag to render out invalid YAML\n',
      `helm template failed for release rel (${CHART}): first line; second line: Error: third; fourth`],
  ])('%s', (_, stderr, message) => {
    expect(failure({ stderr })).toBe(message);
  });
});
