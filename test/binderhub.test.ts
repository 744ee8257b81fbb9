import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Testing } from 'cdk8s';
import { BINDERHUB_CHART_REPOSITORY, BinderHub, DEFAULT_BINDERHUB_CHART_VERSION, Builder, isClusterScoped, Registry } from '../lib/internal';
import { fakeTokens, TEST_REGISTRY, fakeTokenValues, find, secretValue, synthBinderHub, withoutSecretValues } from './helpers';

/** What BinderHub reads: the values.yaml in Secret binder-secret. */
function binderValues(objects: any[]): any {
  return yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml'));
}

describe('BinderHub', () => {
  test('defaults', () => {
    expect(withoutSecretValues(synthBinderHub())).toMatchSnapshot();
  });

  test('every token reaches the key its consumer reads', () => {
    const objects = synthBinderHub({}, 'tok');
    const tokens = fakeTokenValues('tok');
    const hub = find(objects, 'Secret', 'hub');
    expect(secretValue(hub, 'hub.config.ConfigurableHTTPProxy.auth_token')).toBe(tokens.proxySecretToken);
    expect(secretValue(hub, 'hub.services.binder.apiToken')).toBe(tokens.binderApiToken);
    expect(secretValue(hub, 'hub.config.JupyterHub.cookie_secret')).toBe(tokens.cookieSecret);
    expect(secretValue(hub, 'hub.config.CryptKeeper.keys')).toBe(tokens.cryptKeeperKey);
    expect(binderValues(objects).config.BinderHub.build_token_secret).toBe(tokens.buildTokenSecret);
    const env = find(objects, 'Deployment', 'binder').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'JUPYTERHUB_API_TOKEN').valueFrom.secretKeyRef).toEqual({ name: 'hub', key: 'hub.services.binder.apiToken' });
  });

  test('the same inputs render the same objects; other tokens change the pod checksums', () => {
    const a = synthBinderHub({}, 'same');
    expect(synthBinderHub({}, 'same')).toEqual(a);
    const b = synthBinderHub({ tokens: fakeTokens('other') }, 'same');
    const checksum = (objects: any[]) => find(objects, 'Deployment', 'hub').spec.template.metadata.annotations['checksum/secret'];
    expect(checksum(b)).not.toBe(checksum(a));
  });

  test('release name and namespace default to the id; every namespaced object carries the namespace', () => {
    const objects = synthBinderHub({}, 'staging');
    expect(find(objects, 'DaemonSet', 'staging-image-cleaner')).toBeDefined();
    for (const o of objects) {
      expect(o.metadata.namespace).toBe(isClusterScoped(o.kind) ? undefined : 'staging');
    }
    const custom = synthBinderHub({ releaseName: 'bh', namespace: 'binder' }, 'staging');
    expect(find(custom, 'ClusterRole', 'bh-image-cleaner')).toBeDefined();
    expect(find(custom, 'Deployment', 'binder').metadata.namespace).toBe('binder');
  });

  test('no registry: use_registry false, no push secret, builds on the node', () => {
    const objects = synthBinderHub({ registry: Registry.none(), builder: Builder.host() });
    expect(binderValues(objects).config.BinderHub.use_registry).toBe(false);
    expect(objects.find(o => o.metadata.name === 'binder-build-docker-config')).toBeUndefined();
  });

  test('hubUrl reaches the hub URL ConfigMap with a trailing slash; without it the URL is pending', () => {
    const hubUrl = (objects: any[]) => find(objects, 'ConfigMap', 'binder-hub-url');
    expect(hubUrl(synthBinderHub({ hubUrl: 'http://203.0.113.7' })).data.hub_url).toBe('http://203.0.113.7/');
    expect(hubUrl(synthBinderHub({ hubUrl: 'https://hub.example.org/jh/' })).data.hub_url).toBe('https://hub.example.org/jh/');
    const pending = hubUrl(synthBinderHub());
    expect(pending.data.hub_url).toBe('');
    expect(pending.metadata.annotations['binderhub-cdk8s.io/hub-url-source']).toBe('pending');
  });

  test('GitHub and GitLab tokens reach their repo providers', () => {
    const config = binderValues(synthBinderHub({ githubAccessToken: 'ghp_fake_token_1', gitlabPrivateToken: 'glpat-fake-token-2' })).config;
    expect(config.GitHubRepoProvider).toEqual({ access_token: 'ghp_fake_token_1' });
    expect(config.GitLabRepoProvider).toEqual({ private_token: 'glpat-fake-token-2' });
  });

  test('chartValues are deep-merged over the chart defaults', () => {
    const objects = synthBinderHub({ chartValues: { replicas: 2, config: { BinderHub: { banner_message: 'hi' } } } });
    expect(find(objects, 'Deployment', 'binder').spec.replicas).toBe(2);
    const config = binderValues(objects).config;
    expect(config.BinderHub.banner_message).toBe('hi');
    expect(config.BinderHub.base_url).toBe('/'); // a chart default beside it survives
  });

  test('the chart is the public one charts.lock locks unless a source is given: without a lock, the command that locks one', () => {
    const cwd = process.cwd();
    process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'no-lock-')));
    try {
      expect(() => new BinderHub(Testing.app(), 'x', { tokens: fakeTokens(), registry: TEST_REGISTRY }))
        .toThrow(`charts.lock locks no binderhub chart from ${BINDERHUB_CHART_REPOSITORY}; lock one by its digest with \`npm run chart-update -- --version ${DEFAULT_BINDERHUB_CHART_VERSION}\``);
    } finally {
      process.chdir(cwd);
    }
  });

  test('a snapshot holds no secret value', () => {
    const tokens = Object.values(fakeTokenValues('test'));
    const snapshot = JSON.stringify(withoutSecretValues(synthBinderHub()));
    for (const token of tokens) {
      expect(snapshot).not.toContain(token);
      expect(snapshot).not.toContain(Buffer.from(token).toString('base64'));
    }
  });
});
