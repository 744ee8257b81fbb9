import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, hubSecretTokens, readClusterTokens, redact } from '../lib/internal';
import { expectNoFixtureSecret, guideFiles, LEGACY } from './adopt-fixtures';
import { CommandResult, exampleWorkspace, FIXTURE_CHART, runCommandAsync } from './helpers';
import { describeWithRealChart } from './real-chart';
import { FakeKubeApi, writeKubeconfig } from './support/fake-kube-api';
import { recordingKubectl, shellScript } from './support/kubectl-scripts';

/** The live release's own tokens, which only its Secret hub holds (fakes). */
const LIVE_COOKIE = 'c00c1e5e'.repeat(8);
const LIVE_KEYS = ['c4e7c4e7'.repeat(8), 'c4e7d00d'.repeat(8)];

type HubState = 'ok' | 'missing' | 'forbidden' | 'other-release';

/** A fake API server with Secret hub in namespace legacy, as the state says; user "viewer" may not read it when forbidden. */
function fakeCluster(state: HubState): Promise<FakeKubeApi> {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const hub = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 'hub', namespace: 'legacy', labels: { app: 'jupyterhub', component: 'hub', release: state === 'other-release' ? 'other' : 'legacy' } },
    data: {
      'hub.config.ConfigurableHTTPProxy.auth_token': b64('ad0b7e01'.repeat(8)),
      'hub.services.binder.apiToken': b64('ad0b7e02'.repeat(8)),
      'hub.config.JupyterHub.cookie_secret': b64(LIVE_COOKIE),
      'hub.config.CryptKeeper.keys': b64(LIVE_KEYS.join(';')),
    },
  };
  return FakeKubeApi.start({
    objects: state === 'missing' ? [] : [hub],
    user: 'viewer',
    forbidden: state === 'forbidden' ? [{ verb: 'get', resource: 'secrets' }] : [],
  });
}

/** Runs `npm run adopt -- --from-cluster` without blocking this process, whose event loop serves the fake cluster. */
async function adoptFromCluster(cwd: string, server: string, files = LEGACY, chart = FIXTURE_CHART): Promise<CommandResult> {
  const args = ['--name', 'legacy', '--secret', files[0], '--config', files[1], '--from-cluster', '--kubeconfig', writeKubeconfig(cwd, server)];
  const result = await runCommandAsync('adopt', cwd, { BINDERHUB_CHART: chart, KUBECACHEDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kube-cache-')) }, args);
  for (const secret of [LIVE_COOKIE, ...LIVE_KEYS]) {
    expect(result.output).not.toContain(secret);
    expect(result.output).not.toContain(Buffer.from(secret).toString('base64'));
  }
  expectNoFixtureSecret(result.output);
  return result;
}

test('the live release\'s cookieSecret and first CryptKeeper key join the tokens of the files', async () => {
  const cwd = exampleWorkspace('adopt-cluster-');
  const cluster = await fakeCluster('ok');
  try {
    const result = await adoptFromCluster(cwd, cluster.url);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('wrote secrets/legacy.json (mode 0600): tokens proxySecretToken, binderApiToken from the values files; '
      + 'cookieSecret, cryptKeeperKey from Secret hub of the live release; generated buildTokenSecret (as init-secrets does); credentials registryPassword, githubAccessToken');
    const tokens = JSON.parse(fs.readFileSync(path.join(cwd, 'secrets', 'legacy.json'), 'utf8')).tokens;
    expect(tokens.cookieSecret).toBe(LIVE_COOKIE);
    expect(tokens.cryptKeeperKey).toBe(LIVE_KEYS[0]);
    expect(tokens.proxySecretToken).toBe('ad0b7e01'.repeat(8));
  } finally {
    await cluster.close();
  }
});

describeWithRealChart('the comparison after --from-cluster', chart => {
  test('helm\'s render gets the live tokens too, so only the build token secret is new, and only it is said to be generated', async () => {
    const cwd = exampleWorkspace('adopt-cluster-compare-');
    const cluster = await fakeCluster('ok');
    try {
      const result = await adoptFromCluster(cwd, cluster.url, guideFiles('dockerhub', cwd), chart);
      expect(result.stderr).toBe('');
      const lines = result.stdout.split('\n');
      const tokens = lines.findIndex(line => line.startsWith('  new tokens: '));
      expect(lines[tokens]).toMatch(/adopt generated buildTokenSecret$/);
      expect(result.stdout).not.toMatch(/new cookieSecret|new CryptKeeper key/);
      expect(lines.slice(tokens + 1, tokens + 3)).toEqual([
        '    changed: Secret/legacy/binder-secret: key values.yaml settings config.BinderHub.build_token_secret added',
        '  to review: nothing',
      ]);
    } finally {
      await cluster.close();
    }
  }, 60000);
});

describe('failures name the fix and write nothing', () => {
  test.each<[HubState | 'no cluster', RegExp]>([
    ['missing', /^error: no Secret hub in namespace legacy: release legacy is not installed there; pass --namespace \(and --release\)/],
    ['forbidden', /^error: kubectl may not read Secret hub in namespace legacy \(forbidden\); use a context that may/],
    ['other-release', /^error: Secret hub in namespace legacy belongs to release other, not legacy; pass --release other/],
    ['no cluster', /^error: no cluster reachable through kubectl: .*refused.*; check --kubeconfig \/ --context/],
  ])('%s', async (state, message) => {
    const cwd = exampleWorkspace('adopt-cluster-bad-');
    const cluster = await fakeCluster(state === 'no cluster' ? 'ok' : state);
    if (state === 'no cluster') await cluster.close();
    try {
      const result = await adoptFromCluster(cwd, cluster.url);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(fs.readdirSync(cwd).sort()).toEqual(['kubeconfig', 'main.ts', 'sealed-secrets']);
    } finally {
      if (state !== 'no cluster') await cluster.close();
    }
  });
});

test('a --context the kubeconfig lacks is refused in one line before the cluster is asked anything', async () => {
  const cwd = exampleWorkspace('adopt-cluster-context-');
  const cluster = await fakeCluster('ok');
  try {
    const args = ['--name', 'legacy', '--secret', LEGACY[0], '--config', LEGACY[1], '--from-cluster', '--kubeconfig', writeKubeconfig(cwd, cluster.url), '--context', 'prod'];
    const result = await runCommandAsync('adopt', cwd, {}, args);
    expect([result.status, result.stderr]).toEqual([1, `error: --context prod: no such context in ${path.join(cwd, 'kubeconfig')}; its contexts: fake\n`]);
    expect(cluster.requests()).toEqual([]);
  } finally {
    await cluster.close();
  }
});

describe('readClusterTokens, in this process', () => {
  /** The tokens of Secret hub in namespace legacy of a cluster in `state`, and the kubectl calls made. */
  async function readFrom(state: HubState | 'no cluster', release = 'legacy') {
    const cluster = await fakeCluster(state === 'no cluster' ? 'ok' : state);
    if (state === 'no cluster') await cluster.close();
    const kubectl = recordingKubectl(fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-cluster-kubectl-')), cluster.url);
    try {
      return { tokens: await readClusterTokens({ ...kubectl.options, namespace: 'legacy', release }), calls: kubectl.calls() };
    } finally {
      if (state !== 'no cluster') await cluster.close();
    }
  }

  test('reads the four tokens of Secret hub (the first CryptKeeper key), with one read that may take 30 s, and registers them for redaction', async () => {
    const { tokens, calls } = await readFrom('ok');
    expect(tokens).toEqual({
      proxySecretToken: 'ad0b7e01'.repeat(8), binderApiToken: 'ad0b7e02'.repeat(8), cookieSecret: LIVE_COOKIE, cryptKeeperKey: LIVE_KEYS[0],
    });
    expect(calls).toEqual(['--request-timeout=30s get secret hub --namespace legacy --output json']);
    expect(redact(`${LIVE_COOKIE} ${LIVE_KEYS[0]}`)).toBe('*** ***');
  });

  test.each<[HubState | 'no cluster', string]>([
    ['missing', 'no Secret hub in namespace legacy: release legacy is not installed there; pass --namespace (and --release) of the live release, or leave out --from-cluster'],
    ['forbidden', 'kubectl may not read Secret hub in namespace legacy (forbidden); use a context that may (`kubectl auth can-i get secret/hub -n legacy`) with --context'],
    ['other-release', 'Secret hub in namespace legacy belongs to release other, not legacy; pass --release other, or the namespace of legacy'],
  ])('%s: one line naming the fix', async (state, message) => {
    await expect(readFrom(state)).rejects.toThrow(new ConfigError(message));
  });

  test('no cluster: kubectl\'s reason, and what to check', async () => {
    await expect(readFrom('no cluster')).rejects.toThrow(/^no cluster reachable through kubectl: .*refused.*; check --kubeconfig \/ --context/);
  });

  test('a kubectl that prints no JSON is named, not parsed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-cluster-kubectl-'));
    const kubectl = shellScript(dir, 'kubectl', 'echo "Secret/hub"\n');
    await expect(readClusterTokens({ kubectl, namespace: 'legacy', release: 'legacy' }))
      .rejects.toThrow(new ConfigError('kubectl get secret hub --namespace legacy printed no JSON; check the kubectl in use (KUBECTL)'));
  });
});

describe('hubSecretTokens', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const release = { namespace: 'legacy', release: 'legacy' };

  test('a Secret without a release label is taken; a key it lacks is a token it does not give', () => {
    // Not LIVE_COOKIE: the test of readClusterTokens checks that reading registers that one for redaction.
    const cookie = 'c00c1e5f'.repeat(8);
    expect(hubSecretTokens({ metadata: {}, data: { 'hub.config.JupyterHub.cookie_secret': b64(cookie) } }, release)).toEqual({ cookieSecret: cookie });
    expect(hubSecretTokens({ metadata: { labels: { release: 'legacy' } } }, release)).toEqual({});
  });

  test('a value that is no 64-character lowercase hex token is refused by key, without the value', () => {
    const value = 'Not-A-Hex-Token-Value-77';
    let message = '';
    try {
      hubSecretTokens({ data: { 'hub.services.binder.apiToken': b64(value) } }, release);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('Secret hub in namespace legacy, key hub.services.binder.apiToken, is not 64 lowercase hex characters, '
      + 'which the secrets file needs; adopt without --from-cluster to have it generated');
    expect(redact(value)).toBe('***');
  });
});
