/**
 * `npm run diff -- --live` in this process (lib/cluster/kubectl-diff.ts): the real pinned kubectl against the fake API server
 * (test/support/fake-kube-api.ts), running our diff program (the bundle `npm test` builds); and scripts standing in
 * for kubectl where what kubectl prints, or how it runs the program, is the point.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, kubectlLiveDiff, LiveDiffOptions, ManifestObject, PruneCommand, runKubectl } from '../lib/internal';
import { spawnAsync } from './helpers';
import { fakeKubeApiPerTest } from './support/fake-kube-api';
import { recordingKubectl, shellScript } from './support/kubectl-scripts';

const start = fakeKubeApiPerTest();
let dir: string;
let secretsFolder: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-diff-'));
  secretsFolder = path.join(dir, 'dist-secrets');
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** The apply command of `files`, as `pruneCommand` gives it (only `files` and `argv` matter here). */
const commandOf = (files: string[]): PruneCommand => ({ release: 'demo', files, skipped: [], allowlist: [], kept: [], argv: ['kubectl', 'apply', ...files.flatMap(f => ['-f', f])] });

/** Writes `objects` to `name` in the test's folder as a YAML stream; returns its path. */
function writeObjects(name: string, objects: object[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map(o => `---\n${JSON.stringify(o)}\n`).join(''));
  return file;
}

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (ns: string, name: string, data: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
const clusterRole = (name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
const deployment = (name: string, checksum: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'demo' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, annotations: { 'checksum/config': checksum } }, spec: { containers: [{ name, image: `${name}:1` }] } },
  },
});

describe('kubectlLiveDiff against a cluster', () => {
  test('a change shows as changed; workloads restart in the files\' order, not in kubectl\'s (by file name)', async () => {
    const cluster = await start({ objects: [namespace('demo')] });
    const kubectl = recordingKubectl(dir, cluster.url);
    const before = [namespace('demo'), configMap('demo', 'settings', { a: '1' }), deployment('zeta', 'c1'), deployment('alpha', 'c1')];
    const file = writeObjects('demo.yaml', before);
    expect((await runKubectl(kubectl.options, ['apply', '-f', file])).status).toBe(0);
    const after = [namespace('demo'), configMap('demo', 'settings', { a: '2' }), deployment('zeta', 'c2'), deployment('alpha', 'c2')];
    writeObjects('demo.yaml', after);
    // A custom resource of kind Namespace is no Namespace of the cluster: it is not looked up.
    const objects = [...after, { apiVersion: 'example.org/v1', kind: 'Namespace', metadata: { name: 'tenant' } }] as ManifestObject[];
    expect(await kubectlLiveDiff({ ...kubectl.options, secretsFolder }, commandOf([file]), objects)).toEqual({
      objects: [{ change: 'changed', id: 'ConfigMap/demo/settings', fields: [{ path: 'data.a', before: '1', after: '2' }], keys: [] }],
      restarts: [{ workload: 'Deployment/demo/zeta', annotations: ['checksum/config'] }, { workload: 'Deployment/demo/alpha', annotations: ['checksum/config'] }],
    });
    // Every namespace exists, so kubectl reads the files themselves; each read of a namespace gives up after 20 s.
    expect(kubectl.calls()).toEqual([`--request-timeout=30s apply -f ${file}`, '--request-timeout=30s get namespace demo', `--request-timeout=30s diff -f ${file}`]);
    expect(fs.readdirSync(secretsFolder)).toEqual([]);
  });

  test('in a Namespace that does not exist yet, objects are added; the rest is compared through standard input', async () => {
    const cluster = await start({ objects: [clusterRole('reader')] });
    const kubectl = recordingKubectl(dir, cluster.url);
    const objects = [namespace('fresh'), configMap('fresh', 'settings', { a: '1' }), clusterRole('reader'), clusterRole('writer')] as ManifestObject[];
    const file = writeObjects('fresh.yaml', objects);
    expect(await kubectlLiveDiff({ ...kubectl.options, secretsFolder }, commandOf([file]), objects)).toEqual({
      objects: [
        { change: 'added', id: 'Namespace/fresh', fields: [], keys: [] },
        { change: 'added', id: 'ConfigMap/fresh/settings', fields: [], keys: [] },
        { change: 'added', id: 'ClusterRole/writer', fields: [], keys: [] },
      ],
      restarts: [],
    });
    expect(kubectl.calls()).toEqual(['--request-timeout=30s get namespace fresh', '--request-timeout=30s diff -f -']);
    expect(cluster.objects().map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/reader']);
  });

  test('a kind the cluster does not serve: one line naming the kind and the file that holds it', async () => {
    const cluster = await start();
    const kubectl = recordingKubectl(dir, cluster.url);
    const file = writeObjects('widget.yaml', [{ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } }]);
    await expect(kubectlLiveDiff({ ...kubectl.options, secretsFolder }, commandOf([file]), [])).rejects.toThrow(new ConfigError(
      `kubectl diff of ${file} failed: error: resource mapping not found for name: "w" namespace: "" from "${file}": `
      + 'no matches for kind "Widget" in version "example.org/v1"; ensure CRDs are installed first'));
  });
});

describe('kubectlLiveDiff: the work folder and the diff program', () => {
  /** A kubectl that runs the diff program as kubectl does, on LIVE (empty) and MERGED (one ConfigMap), and records what it was given in `seen`. */
  const programRunningKubectl = () => shellScript(dir, 'kubectl', `printf '%s\\n' "$TMPDIR" "$KUBECTL_EXTERNAL_DIFF" > "${dir}/seen"
mkdir "$TMPDIR/LIVE" "$TMPDIR/MERGED"
echo '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"demo"}}' > "$TMPDIR/MERGED/v1.ConfigMap.demo.settings"
exec "$KUBECTL_EXTERNAL_DIFF" "$TMPDIR/LIVE" "$TMPDIR/MERGED"
`);
  const added = { objects: [{ change: 'added', id: 'ConfigMap/demo/settings', fields: [], keys: [] }], restarts: [] };

  test('kubectl\'s copies go into a folder of this process in the Secrets folder, removed when the diff is done', async () => {
    const options: LiveDiffOptions = { kubectl: programRunningKubectl(), secretsFolder };
    expect(await kubectlLiveDiff(options, commandOf(['demo.yaml']), [])).toEqual(added);
    const [work, program] = fs.readFileSync(path.join(dir, 'seen'), 'utf8').split('\n');
    expect(path.dirname(work)).toBe(secretsFolder);
    expect(path.basename(work)).toMatch(new RegExp(`^\\.kubectl-diff-${process.pid}-\\w{6}$`));
    expect(program).toBe(path.join(path.relative(process.cwd(), work), 'diff-program'));
    expect(fs.readdirSync(secretsFolder)).toEqual([]);
  });

  test('node in a folder whose name has a quote (/home/o\'brien) still runs the diff program', async () => {
    const bin = path.join(dir, "o'brien");
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const execPath = process.execPath;
    process.execPath = path.join(bin, 'node');
    try {
      expect(await kubectlLiveDiff({ kubectl: programRunningKubectl(), secretsFolder }, commandOf(['demo.yaml']), [])).toEqual(added);
    } finally {
      process.execPath = execPath;
    }
  });

  test('a Secrets folder with a space in its path is refused (kubectl cannot run a program there), leaving nothing in it', async () => {
    const spaced = path.join(dir, 'with space', 'dist-secrets');
    await expect(kubectlLiveDiff({ kubectl: programRunningKubectl(), secretsFolder: spaced }, commandOf(['demo.yaml']), [])).rejects.toThrow(new ConfigError(
      `the Secrets folder ${spaced} has a space in its path, which kubectl cannot run a diff program from: use another folder`));
    expect(fs.readdirSync(spaced)).toEqual([]);
  });

  test('left-over folders of runs that ended are removed with their copies; those of running processes stay', async () => {
    const otherUsers = 4_000_001;
    const kill = process.kill.bind(process);
    // A process of another user: signal 0 is refused with EPERM, and it runs.
    jest.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      if (pid === otherUsers) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      return kill(pid, signal);
    });
    const folders = {
      ended: `.kubectl-diff-${2 ** 22 + 1}-a1b2c3`, // above Linux's highest pid
      running: `.kubectl-diff-${process.pid}-d4e5f6`,
      otherUsers: `.kubectl-diff-${otherUsers}-g7h8i9`,
      pidZero: '.kubectl-diff-0-j1k2l3', // no process: signal 0 to pid 0 would reach our own process group
      noPid: '.kubectl-diff-x1-m4n5o6',
    };
    for (const folder of Object.values(folders)) {
      fs.mkdirSync(path.join(secretsFolder, folder, 'LIVE-1'), { recursive: true });
      fs.writeFileSync(path.join(secretsFolder, folder, 'LIVE-1', 'v1.Secret.demo.hub'), 'copy');
    }
    fs.writeFileSync(path.join(secretsFolder, 'demo-secrets.k8s.yaml'), 'kept');
    const kubectl = shellScript(dir, 'kubectl', 'echo \'{"objects":[],"restarts":[]}\'\n');
    expect(await kubectlLiveDiff({ kubectl, secretsFolder }, commandOf(['demo.yaml']), [])).toEqual({ objects: [], restarts: [] });
    expect(fs.readdirSync(secretsFolder).sort()).toEqual([folders.otherUsers, folders.running, 'demo-secrets.k8s.yaml'].sort());
  });
});

describe('kubectlLiveDiff: failures', () => {
  const files = ['dist/demo.k8s.yaml', 'dist-secrets/demo-secrets.k8s.yaml'];
  const run = (script: string) => kubectlLiveDiff({ kubectl: shellScript(dir, 'kubectl', script), secretsFolder }, commandOf(files), []);

  test('a Namespace lookup that fails other than NotFound is kubectl\'s error, not a missing Namespace', async () => {
    const objects = [namespace('demo')] as ManifestObject[];
    const kubectl = shellScript(dir, 'kubectl', 'echo \'Error from server (Forbidden): namespaces "demo" is forbidden\' >&2\nexit 1\n');
    await expect(kubectlLiveDiff({ kubectl, secretsFolder }, commandOf(files), objects)).rejects.toThrow(new ConfigError(
      'kubectl get namespace demo failed: Error from server (Forbidden): namespaces "demo" is forbidden'));
  });

  test('kubectl\'s own error is one line naming the files', async () => {
    await expect(run('echo \'Error from server (Invalid): ConfigMap "x" is invalid\' >&2\nexit 2\n')).rejects.toThrow(new ConfigError(
      'kubectl diff of dist/demo.k8s.yaml and dist-secrets/demo-secrets.k8s.yaml failed: Error from server (Invalid): ConfigMap "x" is invalid'));
  });

  test('when the diff program fails, its own error is the line shown, not kubectl\'s "exit status 2"', async () => {
    await expect(run('echo "error: the program failed here" >&2\necho "error: failed to run \\"$KUBECTL_EXTERNAL_DIFF\\": exit status 2" >&2\nexit 2\n'))
      .rejects.toThrow(new ConfigError('kubectl diff of dist/demo.k8s.yaml and dist-secrets/demo-secrets.k8s.yaml failed: error: the program failed here'));
    expect(fs.readdirSync(secretsFolder)).toEqual([]);
  });

  test.each([
    ['a unified diff (the program was not run)', 'printf -- "--- /tmp/LIVE/v1.ConfigMap.demo.x\\n+++ /tmp/MERGED/v1.ConfigMap.demo.x\\n"\nexit 1\n'],
    ['nothing (the program always answers, even with nothing to compare)', 'exit 0\n'],
  ])('kubectl printing %s is refused', async (_, script) => {
    await expect(run(script)).rejects.toThrow(new ConfigError(
      'kubectl diff printed something other than the diff program\'s answer; is KUBECTL_EXTERNAL_DIFF honoured by this kubectl?'));
  });
});

describe('the diff program (bin/kubectl-diff-program.ts) on what it finds in kubectl\'s folders', () => {
  const PROGRAM = path.join(__dirname, '..', 'build', 'bin', 'kubectl-diff-program.js');
  /** The program run as kubectl runs it, on a LIVE folder holding `put`'s file and an empty MERGED folder. */
  async function programWith(put: (file: string) => void) {
    const [live, merged] = ['LIVE', 'MERGED'].map(name => path.join(dir, name));
    for (const folder of [live, merged]) fs.mkdirSync(folder);
    const file = path.join(live, 'v1.ConfigMap.demo.x');
    put(file);
    return { file, result: await spawnAsync(process.execPath, [PROGRAM, live, merged]) };
  }

  test('a FIFO in a folder is refused at once instead of hanging the diff', async () => {
    const { file, result } = await programWith(target => execFileSync('mkfifo', [target]));
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `error: ${file} is a FIFO (named pipe), not a regular file\n`]);
  });

  test('a link to /dev/zero in a folder is refused at once instead of read forever', async () => {
    const { file, result } = await programWith(target => fs.symlinkSync('/dev/zero', target));
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `error: ${file} is a device, not a regular file\n`]);
  });

  test('a file larger than any object kubectl writes (4 MiB) is refused naming the limit', async () => {
    const { file, result } = await programWith(target => fs.writeFileSync(target, `# ${'x'.repeat(4 * 1024 * 1024)}\n`));
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `error: ${file} is larger than 4 MiB, the most this file may hold\n`]);
  });
});
