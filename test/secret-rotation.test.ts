import * as crypto from 'crypto';
/** Rotating some tokens of a deployment (`npm run init-secrets -- --rotate <token>`), and what each rotation restarts. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  BinderHub, BinderHubTokens, ChartSource, ConfigError, rotationEffects, SecretStore, TOKEN_NAMES, TOKEN_ROTATIONS, TokenName, tokenNamesOption,
} from '../lib/internal';
import { fakeTokenValues, TEST_REGISTRY } from './helpers';
import { describeWithRealChart } from './real-chart';

const KNOWN = 'proxySecretToken, binderApiToken, cookieSecret, cryptKeeperKey, buildTokenSecret';

describe('tokenNamesOption (--rotate)', () => {
  test('takes names repeated or comma-separated, each once, in the order given', () => {
    expect(tokenNamesOption('--rotate', ['cookieSecret'])).toEqual(['cookieSecret']);
    expect(tokenNamesOption('--rotate', ['buildTokenSecret,proxySecretToken', 'cookieSecret', 'proxySecretToken']))
      .toEqual(['buildTokenSecret', 'proxySecretToken', 'cookieSecret']);
  });

  test.each([['cookiesecret', 'cookiesecret'], ['cookieSecret,', ''], ['registryPassword', 'registryPassword'], ['', '']])(
    'refuses "%s", naming "%s" and listing the token names', (value, unknown) => {
      expect(() => tokenNamesOption('--rotate', ['proxySecretToken', value])).toThrow(new ConfigError(`--rotate "${unknown}" names no token; the tokens are ${KNOWN}`));
    });
});

describe('SecretStore.rotate', () => {
  const credentials = { githubAccessToken: 'ghp_rotationKeptToken7' };
  function storeWithFile(): { store: SecretStore; before: Record<string, string> } {
    const store = new SecretStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-test-')), 'secrets'));
    const before = fakeTokenValues('before rotation');
    fs.mkdirSync(store.directory);
    fs.writeFileSync(store.fileFor('prod'), JSON.stringify({ tokens: before, credentials }), { mode: 0o600 });
    return { store, before };
  }
  const changed = (before: Record<string, string>, after: Record<string, string>) => TOKEN_NAMES.filter(name => after[name] !== before[name]);

  test('replaces only the tokens named; the others and the credentials stay as they were', () => {
    const { store, before } = storeWithFile();
    store.rotate('prod', ['cookieSecret', 'buildTokenSecret']);
    const after = store.load('prod');
    // Names only: a failure must not print a token.
    expect(changed(before, after.tokens.values as unknown as Record<string, string>)).toEqual(['cookieSecret', 'buildTokenSecret']);
    expect(after.credentials).toEqual(credentials);
    expect(fs.statSync(store.fileFor('prod')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(store.directory)).toEqual(['prod.json']);
  });

  test('replaces a broken token when it is among those named; a broken one kept is refused, naming it, and nothing is written', () => {
    const { store, before } = storeWithFile();
    fs.writeFileSync(store.fileFor('prod'), JSON.stringify({ tokens: { ...before, cryptKeeperKey: 'short' }, credentials }));
    const broken = fs.readFileSync(store.fileFor('prod'), 'utf8');
    expect(() => store.rotate('prod', ['cookieSecret'])).toThrow(new ConfigError(`${store.fileFor('prod')}: token "cryptKeeperKey" must be `
      + '64 lowercase hex characters (32 random bytes, as `openssl rand -hex 32` prints); run `npm run init-secrets -- --force` to write a fresh set'));
    expect(fs.readFileSync(store.fileFor('prod'), 'utf8')).toBe(broken);
    store.rotate('prod', ['cryptKeeperKey']);
    expect(changed(before, store.load('prod').tokens.values as unknown as Record<string, string>)).toEqual(['cryptKeeperKey']);
  });

  test('refuses a deployment without a secrets file, and creates none', () => {
    const store = new SecretStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-test-')), 'secrets'));
    expect(() => store.rotate('prod', ['cookieSecret'])).toThrow(new ConfigError(`secrets file ${store.fileFor('prod')} for deployment "prod" `
      + 'does not exist, so it has no tokens to rotate; run `npm run init-secrets -- prod` to generate them'));
    expect(fs.existsSync(store.directory)).toBe(false);
  });
});

describe('rotationEffects', () => {
  test.each<[TokenName[], string]>([
    [['proxySecretToken'], 'Deployments hub and proxy restart'],
    [['binderApiToken'], 'Deployments hub and binder restart'],
    [['cookieSecret'], 'Deployment hub restarts; every user is signed out'],
    [['cryptKeeperKey'], 'Deployment hub restarts; the hub cannot read the auth state it encrypted before (users who have some sign in again)'],
    [['buildTokenSecret'], 'Deployment binder restarts; build tokens issued before are refused (a launch page opened before must be reloaded)'],
    [['binderApiToken', 'buildTokenSecret'], 'Deployments hub and binder restart; build tokens issued before are refused (a launch page opened before must be reloaded)'],
    [[...TOKEN_NAMES], 'Deployments hub, proxy and binder restart; every user is signed out; the hub cannot read the auth state it encrypted '
      + 'before (users who have some sign in again); build tokens issued before are refused (a launch page opened before must be reloaded)'],
  ])('%j: %s', (names, effects) => {
    expect(rotationEffects(names)).toBe(effects);
  });
});

describeWithRealChart('what each token\'s rotation restarts', chart => {
  /** The pod-template annotations of each Deployment, and the rendered objects, of prod with `tokens`. */
  function render(tokens: Record<string, string>) {
    const hub = new BinderHub(Testing.app(), 'prod', { chart: ChartSource.local(chart), tokens: BinderHubTokens.fromValues(tokens, 'test'), registry: TEST_REGISTRY });
    const objects = Testing.synth(hub) as any[];
    const deployments = objects.filter(o => o.kind === 'Deployment');
    return { objects, annotations: Object.fromEntries(deployments.map(d => [d.metadata.name, d.spec.template.metadata.annotations ?? {}])) };
  }
  const before = fakeTokenValues('before rotation');
  const fresh = fakeTokenValues('after rotation');
  const { objects, annotations } = render(before);

  test.each([...TOKEN_NAMES])('%s: the Deployments whose pod-template checksums change are those TOKEN_ROTATIONS names', name => {
    const after = render({ ...before, [name]: fresh[name] }).annotations;
    const restarted = Object.keys(after).filter(deployment => JSON.stringify(after[deployment]) !== JSON.stringify(annotations[deployment]));
    expect(restarted.sort()).toEqual([...TOKEN_ROTATIONS[name].restarts].sort());
  });

  test('binder reads its API token from Secret hub as it starts: our annotation of it, a keyed hash, restarts binder with it', () => {
    const binder = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'binder');
    const env = binder.spec.template.spec.containers.find((c: any) => c.name === 'binder').env;
    expect(env.find((e: any) => e.name === 'JUPYTERHUB_API_TOKEN').valueFrom).toEqual({ secretKeyRef: { name: 'hub', key: 'hub.services.binder.apiToken' } });
    const checksum = binder.spec.template.metadata.annotations['checksum/binder-api-token'];
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    // Not a plain hash of the token: without the build token secret, the annotation tells nothing about it.
    expect(checksum).not.toBe(crypto.createHash('sha256').update(before.binderApiToken).digest('hex'));
    expect(JSON.stringify(objects.filter(o => o.kind !== 'Secret'))).not.toContain(before.binderApiToken);
  });
});
