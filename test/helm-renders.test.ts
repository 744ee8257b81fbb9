import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { BinderHub, ChartSource, renderConcurrently, synthesizeFiles, toolPath } from '../lib';
import { fakeTokens, FIXTURE_CHART, TEST_REGISTRY } from './helpers';

/** A helm that logs when each render starts and ends (after a pause long enough to see overlap), then renders. */
function loggingHelm(): { helm: string; log: () => Array<[string, number]> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logging-helm-'));
  const log = path.join(dir, 'log');
  const helm = path.join(dir, 'helm');
  fs.writeFileSync(helm, `#!/bin/sh\necho "start $(date +%s%N)" >> "${log}"\nsleep 0.4\n"${toolPath('helm')}" "$@"\nstatus=$?\necho "end $(date +%s%N)" >> "${log}"\nexit $status\n`, { mode: 0o755 });
  const read = () => fs.existsSync(log)
    ? fs.readFileSync(log, 'utf8').trim().split('\n').map(line => line.split(' ')).map(([what, ns]) => [what, Number(ns) / 1e6] as [string, number])
    : [];
  return { helm, log: read };
}

const define = (helm: string, ids: string[]) => () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'concurrent-')) });
  for (const id of ids) {
    new BinderHub(app, id, { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens(id), registry: TEST_REGISTRY, helmExecutable: helm });
  }
  return app;
};

describe('renderConcurrently', () => {
  test('the renders of several deployments run side by side, and the files are those of a synth one by one', async () => {
    const { helm, log } = loggingHelm();
    const app = await renderConcurrently(define(helm, ['a', 'b']), 2);
    const times = log();
    expect(times.map(([what]) => what).sort()).toEqual(['end', 'end', 'start', 'start']);
    const lastStart = Math.max(...times.filter(([w]) => w === 'start').map(([, t]) => t));
    const firstEnd = Math.min(...times.filter(([w]) => w === 'end').map(([, t]) => t));
    expect(lastStart).toBeLessThan(firstEnd);
    const oneByOne = define(toolPath('helm'), ['a', 'b'])();
    expect(synthesizeFiles(app)).toEqual(synthesizeFiles(oneByOne));
  });

  test('with a limit of one they run one after another', async () => {
    const { helm, log } = loggingHelm();
    await renderConcurrently(define(helm, ['a', 'b']), 1);
    expect(log().map(([what]) => what)).toEqual(['start', 'end', 'start', 'end']);
  });

  test('what the definition refuses is refused before any helm runs', async () => {
    const { helm, log } = loggingHelm();
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
