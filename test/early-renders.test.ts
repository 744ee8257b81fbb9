/**
 * Renders started early: a synth leaves its helm calls beside the secrets files, and the next command that
 * synthesizes starts helm on them before it has loaded its libraries and the app. A result is used only for a call
 * the definition makes again byte for byte; nothing in the file can make helm do anything but such a render.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  BinderHub, ChartSource, HelmChart, HelmRender, OUTPUTS_FOLDER, readRenderPlan, renderConcurrently, RENDER_PLAN_FILE, runHelmTemplate, startEarlyRenders,
  spawnHelm, synthesizeFiles, takeEarlyRenders, toolPath, writeRenderPlan,
} from '../lib/internal';
import { fakeTokens, FIXTURE_CHART, loggingHelm, projectWorkspace, runCommand, TEST_REGISTRY, writeSite } from './helpers';

/** An app of one deployment per id, rendered by the project's helm (HELM) from `chart`, with `replicas` binder pods. */
const define = (ids: string[], replicas = 1, chart = FIXTURE_CHART) => () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'early-')) });
  for (const id of ids) {
    new BinderHub(app, id, { chart: ChartSource.local(chart), tokens: fakeTokens(id), registry: TEST_REGISTRY, chartValues: { replicas } });
  }
  return app;
};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A fresh secrets folder. */
function secretsFolder(): string {
  const secrets = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'secrets');
  fs.mkdirSync(secrets);
  return secrets;
}

/** A plan file's path in a fresh secrets folder. */
const planFile = () => path.join(secretsFolder(), RENDER_PLAN_FILE);

describe('with the project helm logging its runs', () => {
  const helm = loggingHelm();
  const saved = process.env.HELM;
  beforeAll(() => { process.env.HELM = helm.helm; });
  afterAll(() => {
    if (saved === undefined) delete process.env.HELM;
    else process.env.HELM = saved;
  });
  const runs = () => helm.log().filter(([what]) => what === 'start').length;
  const plainFiles = (ids: string[], replicas = 1) => synthesizeFiles(define(ids, replicas)());

  test('a synth leaves its calls beside the secrets files, readable by this user alone', async () => {
    const plan = planFile();
    await renderConcurrently(define(['a', 'b']), { concurrency: 2, keepIn: path.dirname(plan) });
    expect(fs.statSync(plan).mode & 0o777).toBe(0o600);
    const calls = readRenderPlan(plan);
    expect(calls.map(call => [call.helm, call.args[1]])).toEqual([[helm.helm, 'a'], [helm.helm, 'b']]);
  });

  test('the next synth takes the results of the renders started early: helm runs once per deployment', async () => {
    const plan = planFile();
    await renderConcurrently(define(['a']), { concurrency: 2, keepIn: path.dirname(plan) });
    const before = runs();
    startEarlyRenders(plan);
    const files = synthesizeFiles(await renderConcurrently(define(['a']), { concurrency: 2, keepIn: path.dirname(plan) }));
    expect(runs() - before).toBe(1);
    expect(files).toEqual(plainFiles(['a']));
  });

  /** `define`, counting how often it runs. */
  const counted = (definition: () => App) => {
    const counter = { passes: 0, define: () => { counter.passes++; return definition(); } };
    return counter;
  };

  test('with every call started early, the app is defined once, and finished from the previous synth\'s outputs while helm renders', async () => {
    const plan = planFile();
    await renderConcurrently(define(['a', 'b']), { concurrency: 2, keepIn: path.dirname(plan) });
    const names = readRenderPlan(plan).map(call => call.output);
    expect(names.every(name => fs.existsSync(path.join(path.dirname(plan), OUTPUTS_FOLDER, `${name}.json`)))).toBe(true);
    startEarlyRenders(plan);
    const app = counted(define(['a', 'b']));
    const files = await renderConcurrently(app.define, { concurrency: 2, keepIn: path.dirname(plan), finish: synthesizeFiles });
    expect(app.passes).toBe(1);
    expect(files).toEqual(plainFiles(['a', 'b']));
  });

  test('what the previous outputs made the definition refuse is judged again without them: a chart changed in place is no error', async () => {
    const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'changing-chart-')), 'binderhub');
    fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
    const plan = planFile();
    await renderConcurrently(define(['a'], 1, chart), { concurrency: 2, keepIn: path.dirname(plan) });
    const before = readRenderPlan(plan)[0].output;
    const service = path.join(chart, 'templates', 'service.yaml');
    fs.writeFileSync(service, fs.readFileSync(service, 'utf8').replace('labels:', 'labels:\n    changed-in-place: "yes"'));
    startEarlyRenders(plan);
    // What the previous outputs make, the definition refuses: judged again on helm's own output, it is not refused.
    const app = counted(() => {
      const defined = define(['a'], 1, chart)();
      const rendered = defined.node.findAll().filter((c): c is HelmChart => c instanceof HelmChart && c.rendered).flatMap(c => c.apiObjects);
      if (rendered.length > 0 && !rendered.some(o => o.metadata.getLabel('changed-in-place'))) throw new Error('refused the unchanged chart');
      return defined;
    });
    const files = await renderConcurrently(app.define, { concurrency: 2, keepIn: path.dirname(plan), finish: synthesizeFiles });
    expect(app.passes).toBe(3); // with the previous outputs, on its own, then with helm's
    expect(files).toEqual(synthesizeFiles(define(['a'], 1, chart)()));
    expect(files.get('a.k8s.yaml')).toContain('changed-in-place');
    expect(readRenderPlan(plan)[0].output).not.toBe(before);
  });

  test('a chart changed in place since the previous synth: helm prints other bytes, so the files are made anew from them', async () => {
    const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'changing-chart-')), 'binderhub');
    fs.cpSync(FIXTURE_CHART, chart, { recursive: true });
    const plan = planFile();
    await renderConcurrently(define(['a'], 1, chart), { concurrency: 2, keepIn: path.dirname(plan) });
    const service = path.join(chart, 'templates', 'service.yaml');
    fs.writeFileSync(service, fs.readFileSync(service, 'utf8').replace('labels:', 'labels:\n    changed-in-place: "yes"'));
    startEarlyRenders(plan);
    const app = counted(define(['a'], 1, chart));
    const files = await renderConcurrently(app.define, { concurrency: 2, keepIn: path.dirname(plan), finish: synthesizeFiles });
    expect(app.passes).toBe(2); // with the previous outputs, then with helm's
    expect(files).toEqual(synthesizeFiles(define(['a'], 1, chart)()));
    expect(files.get('a.k8s.yaml')).toContain('changed-in-place');
  });

  test('a call node cannot pass to a process (a NUL byte) is a failed call, not a crash', async () => {
    const { error, status } = await spawnHelm({ helm: '/bin/sh', args: ['-c', 'a\0b'], input: '' }, secretsFolder()).result;
    expect(status).toBeNull();
    expect(error?.code).toBe('ERR_INVALID_ARG_VALUE');
  });

  test('helm started early prints into a file of the secrets folder, removed at once, not a pipe that node must empty', async () => {
    const printsItsOutput = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fd-helm-')), 'helm');
    fs.writeFileSync(printsItsOutput, '#!/bin/sh\nreadlink /proc/self/fd/1\n', { mode: 0o755 });
    process.env.HELM = printsItsOutput;
    try {
      const plan = planFile();
      writeRenderPlan(plan, [{ helm: printsItsOutput, args: ['template', 'a', FIXTURE_CHART, '--namespace', 'a', '--kube-version', '1.35.0', '--api-versions', 'v1', '--values', '-'], input: '{}' }]);
      startEarlyRenders(plan);
      const { stdout } = await takeEarlyRenders().running[0].result;
      expect(stdout.trim()).toMatch(new RegExp(`^${path.dirname(plan)}/\\.helm-output-${process.pid}-\\d+ \\(deleted\\)$`));
      expect(fs.readdirSync(path.dirname(plan)).filter(name => name.startsWith('.helm-output-'))).toEqual([]);
    } finally {
      process.env.HELM = helm.helm;
    }
  });

  test('a render started early on values that changed since is not used: the call runs, and the files are the new ones', async () => {
    const plan = planFile();
    await renderConcurrently(define(['a'], 1), { concurrency: 2, keepIn: path.dirname(plan) });
    startEarlyRenders(plan);
    // Whether the early render was stopped before its helm got as far as logging depends on the machine's load.
    const files = synthesizeFiles(await renderConcurrently(define(['a'], 2), { concurrency: 2, keepIn: path.dirname(plan) }));
    expect(files).toEqual(plainFiles(['a'], 2));
    expect(readRenderPlan(plan)[0].input).toContain('"replicas":2');
  });

  test('a render started early that failed runs again (it may have run before its chart was prepared)', async () => {
    const plan = planFile();
    await renderConcurrently(define(['a']), { concurrency: 2, keepIn: path.dirname(plan) });
    const failOnce = path.join(path.dirname(helm.helm), 'fail-once');
    const failing = path.join(path.dirname(helm.helm), 'failing-helm');
    fs.writeFileSync(failing, `#!/bin/sh\nif [ -e "${failOnce}" ]; then rm "${failOnce}"; exit 1; fi\nexec "${helm.helm}" "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(failOnce, '');
    process.env.HELM = failing;
    try {
      writeRenderPlan(plan, readRenderPlan(plan).map(call => ({ ...call, helm: failing })));
      startEarlyRenders(plan);
      const files = synthesizeFiles(await renderConcurrently(define(['a']), { concurrency: 2 }));
      expect(fs.existsSync(failOnce)).toBe(false);
      expect(files).toEqual(plainFiles(['a']));
    } finally {
      process.env.HELM = helm.helm;
    }
  });

  test('a definition that fails stops the renders started early', async () => {
    const slow = loggingHelm(0.5);
    process.env.HELM = slow.helm;
    try {
      const plan = planFile();
      writeRenderPlan(plan, [{ helm: slow.helm, args: ['template', 'a', FIXTURE_CHART, '--namespace', 'a', '--kube-version', '1.35.0', '--api-versions', 'v1', '--values', '-'], input: '{}' }]);
      startEarlyRenders(plan);
      while (slow.log().length === 0) await sleep(20); // started, pausing before it renders
      await expect(renderConcurrently(() => { throw new Error('refused'); })).rejects.toThrow('refused');
      await sleep(1000);
      expect(slow.log().map(([what]) => what)).toEqual(['start']);
    } finally {
      process.env.HELM = helm.helm;
    }
  });
});

describe('the documents of helm\'s outputs, kept beside the plan', () => {
  const shell = (script: string): HelmRender => ({ helm: '/bin/sh', args: ['-c', script], input: '' });
  const kept = (secrets: string) => fs.existsSync(path.join(secrets, OUTPUTS_FOLDER)) ? fs.readdirSync(path.join(secrets, OUTPUTS_FOLDER)) : [];
  const keptFile = (secrets: string) => path.join(secrets, OUTPUTS_FOLDER, kept(secrets)[0]);
  /** Changes the kept documents so that files made from them show it. */
  const tamper = (file: string) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"heritage":"Helm"/g, '"heritage":"changed-in-the-kept-file"'));

  test('are read by the next synth instead of the YAML, which it writes byte for byte the same', async () => {
    const secrets = secretsFolder();
    const first = synthesizeFiles(await renderConcurrently(define(['a']), { concurrency: 2, keepIn: secrets }));
    expect(kept(secrets)).toHaveLength(1);
    expect(fs.statSync(keptFile(secrets)).mode & 0o777).toBe(0o600);
    expect(synthesizeFiles(await renderConcurrently(define(['a']), { concurrency: 2, keepIn: secrets }))).toEqual(first);
    // Proof that the kept file is what the next synth reads: a change made to it shows in the files.
    tamper(keptFile(secrets));
    expect(synthesizeFiles(await renderConcurrently(define(['a']), { concurrency: 2, keepIn: secrets })).get('a.k8s.yaml')).toContain('changed-in-the-kept-file');
  });

  test('are not read when others may read the file, and those of outputs no longer rendered are removed', async () => {
    const secrets = secretsFolder();
    await renderConcurrently(define(['a'], 1), { concurrency: 2, keepIn: secrets });
    const before = kept(secrets);
    tamper(keptFile(secrets));
    fs.chmodSync(keptFile(secrets), 0o644);
    expect(synthesizeFiles(await renderConcurrently(define(['a'], 1), { concurrency: 2, keepIn: secrets })).get('a.k8s.yaml')).not.toContain('changed-in-the-kept-file');
    await renderConcurrently(define(['a'], 2), { concurrency: 2, keepIn: secrets });
    expect(kept(secrets)).toHaveLength(1);
    expect(kept(secrets)).not.toEqual(before);
  });

  test('are neither written nor removed through a link where their folder should be (as a pull request can bring)', async () => {
    const secrets = secretsFolder();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.writeFileSync(path.join(elsewhere, 'id_rsa'), 'not ours');
    fs.writeFileSync(path.join(elsewhere, `${'0'.repeat(64)}.json`), '[]');
    fs.symlinkSync(elsewhere, path.join(secrets, OUTPUTS_FOLDER));
    await renderConcurrently(define(['a']), { concurrency: 2, keepIn: secrets });
    expect(fs.readdirSync(elsewhere).sort()).toEqual([`${'0'.repeat(64)}.json`, 'id_rsa']);
  });

  test('remove only files of kept documents from their folder', async () => {
    const secrets = secretsFolder();
    fs.mkdirSync(path.join(secrets, OUTPUTS_FOLDER));
    fs.writeFileSync(path.join(secrets, OUTPUTS_FOLDER, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(secrets, OUTPUTS_FOLDER, `${'0'.repeat(64)}.json`), '[]');
    await renderConcurrently(define(['a']), { concurrency: 2, keepIn: secrets });
    expect(kept(secrets)).toContain('notes.txt');
    expect(kept(secrets)).not.toContain(`${'0'.repeat(64)}.json`);
    expect(kept(secrets)).toHaveLength(2);
  });

  test('are kept only when they come back the same from JSON (a YAML timestamp would not)', async () => {
    const plain = secretsFolder();
    await renderConcurrently(() => runHelmTemplate(shell('echo "a: text"')), { concurrency: 2, keepIn: plain });
    expect(kept(plain)).toHaveLength(1);
    const dated = secretsFolder();
    await renderConcurrently(() => runHelmTemplate(shell('echo "a: 2001-12-14"')), { concurrency: 2, keepIn: dated });
    expect(kept(dated)).toEqual([]);
  });
});

describe('a plan file', () => {
  const call = (args: string[] = ['template', 'rel', '/charts/binderhub.tgz', '--namespace', 'ns', '--kube-version', '1.35.0', '--api-versions', 'v1,apps/v1', '--values', '-']) => ({ args, input: '{"a":1}' });
  const written = (content: unknown, mode = 0o600) => {
    const plan = planFile();
    fs.writeFileSync(plan, JSON.stringify(content), { mode });
    return plan;
  };

  test('runs only the project helm, whatever helm the file names, and keeps the name of each call\'s kept output', () => {
    const output = 'ab'.repeat(32);
    const plan = written({ renders: [{ helm: '/bin/evil', ...call() }, { ...call(), output }] });
    expect(readRenderPlan(plan)).toEqual([{ helm: toolPath('helm'), ...call() }, { helm: toolPath('helm'), ...call(), output }]);
  });

  test.each([
    ['readable by others (as git checks files out)', () => written({ renders: [call()] }, 0o644)],
    ['a symbolic link', () => {
      const target = written({ renders: [call()] });
      const link = path.join(path.dirname(target), 'link.json');
      fs.symlinkSync(target, link);
      return link;
    }],
    ['no JSON', () => { const plan = planFile(); fs.writeFileSync(plan, '{', { mode: 0o600 }); return plan; }],
    ['a post-renderer added', () => written({ renders: [call([...call().args, '--post-renderer', '/bin/evil'])] })],
    ['another values file', () => written({ renders: [call([...call().args.slice(0, 9), '--values', '/etc/passwd'])] })],
    ['a flag in the chart\'s place', () => written({ renders: [call(['template', 'rel', '--repo=x', ...call().args.slice(3)])] })],
    ['a release that is no DNS label', () => written({ renders: [call(['template', 'Rel;', ...call().args.slice(2)])] })],
    ['values that are no text', () => written({ renders: [{ args: call().args, input: { a: 1 } }] })],
    ['an output name that is no sha256 (a path)', () => written({ renders: [{ ...call(), output: '../../etc/passwd' }] })],
    ['an argument node cannot pass (a NUL byte)', () => written({ renders: [call(['template', 'rel', '/charts/a\0b.tgz', ...call().args.slice(3)])] })],
  ])('is ignored whole when %s', (_, file) => {
    expect(readRenderPlan(file())).toEqual([]);
  });

  test('is not written where there is no secrets folder, holds only the project helm\'s calls, and is left alone when unchanged', () => {
    const nowhere = path.join(os.tmpdir(), 'no-such-folder-for-plans', RENDER_PLAN_FILE);
    writeRenderPlan(nowhere, [{ helm: toolPath('helm'), ...call() }]);
    expect(fs.existsSync(nowhere)).toBe(false);
    const plan = planFile();
    writeRenderPlan(plan, [{ helm: '/opt/other-helm', ...call() }, { helm: toolPath('helm'), ...call() }]);
    expect(JSON.parse(fs.readFileSync(plan, 'utf8'))).toEqual({ renders: [call()] });
    const { ino } = fs.statSync(plan);
    writeRenderPlan(plan, [{ helm: toolPath('helm'), ...call() }]);
    expect(fs.statSync(plan).ino).toBe(ino);
  });
});

describe('the commands that synthesize', () => {
  const helm = loggingHelm();
  const dir = projectWorkspace(['alpha']);
  const synth = (args: string[] = []) => runCommand('synth', dir, { HELM: helm.helm }, args);
  const runs = () => helm.log().filter(([what]) => what === 'start').length;

  test('start helm on the previous synth\'s call before loading the app, and use its result when the values are the same', () => {
    expect(runCommand('init-secrets', dir).status).toBe(0);
    expect(synth().status).toBe(0);
    expect(runs()).toBe(1);
    const first = fs.readFileSync(path.join(dir, 'dist', 'alpha.k8s.yaml'), 'utf8');
    expect(fs.statSync(path.join(dir, 'secrets', RENDER_PLAN_FILE)).mode & 0o777).toBe(0o600);
    expect(synth().stdout).toContain('unchanged dist/alpha.k8s.yaml');
    expect(runs()).toBe(2);
    writeSite(dir, ['alpha'], { replicas: 2 });
    expect(synth().stdout).toContain('wrote dist/alpha.k8s.yaml');
    expect(runs()).toBe(4); // the early render of the old values, then the render of the new ones
    expect(fs.readFileSync(path.join(dir, 'dist', 'alpha.k8s.yaml'), 'utf8')).not.toBe(first);
    expect(synth(['--help']).status).toBe(0);
    expect(runs()).toBe(4);
  });
});
