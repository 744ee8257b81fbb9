import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { BinderHub, ChartSource, HelmRender, renderConcurrently, runHelmTemplate, synthesizeFiles, toolPath } from '../lib/internal';
import { fakeTokens, FIXTURE_CHART, loggingHelm, TEST_REGISTRY } from './helpers';

const define = (helm: string, ids: string[]) => () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'concurrent-')) });
  for (const id of ids) {
    new BinderHub(app, id, { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(id), registry: TEST_REGISTRY, helmExecutable: helm });
  }
  return app;
};

describe('renderConcurrently', () => {
  test('the renders of several deployments run side by side, and the files are those of a synth one by one', async () => {
    const { helm, log } = loggingHelm(0.4);
    const app = await renderConcurrently(define(helm, ['a', 'b']), { concurrency: 2 });
    const times = log();
    expect(times.map(([what]) => what).sort()).toEqual(['end', 'end', 'start', 'start']);
    const lastStart = Math.max(...times.filter(([w]) => w === 'start').map(([, t]) => t));
    const firstEnd = Math.min(...times.filter(([w]) => w === 'end').map(([, t]) => t));
    expect(lastStart).toBeLessThan(firstEnd);
    const oneByOne = define(toolPath('helm'), ['a', 'b'])();
    expect(synthesizeFiles(app)).toEqual(synthesizeFiles(oneByOne));
  });

  test('with a limit of one they run one after another', async () => {
    const { helm, log } = loggingHelm(0.4);
    await renderConcurrently(define(helm, ['a', 'b']), { concurrency: 1 });
    expect(log().map(([what]) => what)).toEqual(['start', 'end', 'start', 'end']);
  });

  test('what the definition refuses is refused before any helm runs', async () => {
    const { helm, log } = loggingHelm(0.4);
    const refused = renderConcurrently(() => {
      const app = Testing.app();
      new BinderHub(app, 'a', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('a'), registry: TEST_REGISTRY, helmExecutable: helm });
      new BinderHub(app, 'b', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('b'), registry: TEST_REGISTRY, helmExecutable: helm, namespace: 'a' });
    });
    await expect(refused).rejects.toThrow(/deployments "a" and "b" share the namespace "a"/);
    expect(log()).toEqual([]);
  });

  test('a helm failure in a render made ahead is the same one-line error as a render made in place', async () => {
    await expect(renderConcurrently(define('/bin/false', ['a']))).rejects
      .toThrow(/^helm at \/bin\/false exited with status 1 and printed nothing while rendering release a \(local chart .*\); check HELM$/);
  });
});

describe('a render made ahead', () => {
  /** A stand-in helm: a shell script run with the values on standard input. */
  const shell = (script: string, input = ''): HelmRender => ({ helm: '/bin/sh', args: ['-c', script], input });

  test('reports what helm read, printed on each stream and exited with, as a render in place does', async () => {
    const render = shell('cat; echo "to stderr" >&2; exit 3', 'values: 1\n');
    const expected = { status: 3, signal: null, error: undefined, stdout: 'values: 1\n', stderr: 'to stderr\n' };
    expect(await renderConcurrently(() => runHelmTemplate(render))).toEqual(expected);
    expect(runHelmTemplate(render)).toMatchObject({ status: 3, stdout: 'values: 1\n', stderr: 'to stderr\n' });
  });

  test('a helm that does not exist is the same one-line error as in place', async () => {
    const expected = 'cannot run helm at /no/such/helm: run `npm ci` (it installs the pinned helm into .tools/ on linux/x86-64) or set HELM to a helm 4 (or 3) binary';
    expect(define('/no/such/helm', ['a'])).toThrow(expected);
    await expect(renderConcurrently(define('/no/such/helm', ['a']))).rejects.toThrow(expected);
  });

  test('serves only the definition it was made for: a call left over runs helm again later', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'counting-helm-'));
    // Each run prints how many runs there have been.
    const render = shell(`echo run >> "${path.join(dir, 'runs')}"; wc -l < "${path.join(dir, 'runs')}"`);
    let pass = 0;
    // The first pass records the call; the second, failing, never takes its result.
    await expect(renderConcurrently(() => {
      pass++;
      if (pass === 2) throw new Error('the second pass fails');
      runHelmTemplate(render);
    })).rejects.toThrow('the second pass fails');
    expect(runHelmTemplate(render)?.stdout.trim()).toBe('2');
  });
});

test('a gateway deployment gets its routes when its render was made ahead', async () => {
  const gateway = { binderHost: 'binder.example.org', hubHost: 'hub.example.org', parent: { name: 'public', namespace: 'gateway-system' } };
  const defineGateway = () => {
    const app = Testing.app();
    new BinderHub(app, 'g', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('g'), registry: TEST_REGISTRY, gateway });
    return app;
  };
  const files = synthesizeFiles(await renderConcurrently(defineGateway));
  expect(files.get('g.k8s.yaml')!.match(/^kind: HTTPRoute$/gm)).toHaveLength(2);
  expect(files).toEqual(synthesizeFiles(defineGateway()));
});
