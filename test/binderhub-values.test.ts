import { binderHubValues, Values } from '../lib/internal';
import { fakeTokens } from './helpers';

/** chartValues with `value` at the dotted `path`. */
function at(path: string, value: unknown = 'x'): Values {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Values;
}

const values = (chartValues: Values) => binderHubValues({ tokens: fakeTokens('values'), registryValues: {}, builderValues: {}, hubUrlValues: {}, chartValues });

const SECRETS_FILE = 'the secrets file (npm run init-secrets)';
const HUB_URL = 'the hubUrl prop (or npm run patch-hub-url)';

describe('chartValues may not set what a typed prop or the secrets file owns', () => {
  test.each([
    ['jupyterhub.proxy.secretToken', SECRETS_FILE],
    ['jupyterhub.hub.cookieSecret', SECRETS_FILE],
    ['jupyterhub.hub.config.CryptKeeper', SECRETS_FILE],
    ['jupyterhub.hub.services.binder.apiToken', SECRETS_FILE],
    ['config.BinderHub.build_token_secret', SECRETS_FILE],
    ['config.BinderHub.hub_url', HUB_URL],
    ['extraConfig.binderhub-cdk8s-hub-url', HUB_URL],
    ['podAnnotations.checksum/hub-url', HUB_URL],
    ['config.BinderHub.use_registry', 'the registry prop'],
    ['config.BinderHub.image_prefix', 'the registry prop'],
    ['config.DockerRegistry', 'the registry prop'],
    ['registry', 'the registry prop'],
    ['config.GitHubRepoProvider.access_token', 'the githubAccessToken prop'],
    ['config.GitLabRepoProvider.private_token', 'the gitlabPrivateToken prop'],
    ['imageBuilderType', 'the builder prop'],
    ['dind', 'the builder prop'],
    ['pink', 'the builder prop'],
    ['imageCleaner.enabled', 'the builder prop (imageCleaner)'],
    ['imageCleaner.host', 'the builder prop'],
    ['config.KubernetesBuildExecutor.docker_host', 'the builder prop'],
    ['config.BinderHub.build_docker_host', 'the builder prop'],
    ['config.BinderHub.build_node_selector', 'the builder prop (nodeSelector)'],
  ])('%s is refused, naming %s', (path, owner) => {
    expect(() => values(at(path))).toThrow(`chartValues.${path} is set by ${owner}; remove it from chartValues`);
  });

  test('settings beside them pass through, under the typed ones', () => {
    const merged = values({ config: { BinderHub: { auth_enabled: true } }, jupyterhub: { hub: { config: { JupyterHub: { admin_access: false } } } } });
    expect((merged.config as any).BinderHub).toEqual({ auth_enabled: true, build_token_secret: fakeTokens('values').values.buildTokenSecret });
    expect((merged.jupyterhub as any).hub.config).toEqual({
      JupyterHub: { admin_access: false }, CryptKeeper: { keys: [fakeTokens('values').values.cryptKeeperKey] },
    });
  });
});

describe('the public hosts prop', () => {
  const publicHosts = { prop: 'gateway' as const, values: { service: { type: 'ClusterIP' } }, ownedPaths: ['service.type'], hubUrl: 'https://hub.example.org/', binderUrl: 'https://binder.example.org/' };
  const input = { tokens: fakeTokens('values'), registryValues: {}, builderValues: {}, hubUrlValues: {}, publicHosts };

  test('owns its settings: chartValues setting one is refused, naming the prop', () => {
    expect(() => binderHubValues({ ...input, chartValues: { service: { type: 'LoadBalancer' } } }))
      .toThrow('chartValues.service.type is set by the gateway prop; remove it from chartValues');
  });

  test('its values go into the chart values, and chartValues beside them stay', () => {
    const merged = binderHubValues({ ...input, chartValues: { service: { annotations: { a: 'b' } } } });
    expect(merged.service).toEqual({ annotations: { a: 'b' }, type: 'ClusterIP' });
  });
});

describe('chartValues may not carry the 2019 chart\'s settings, which today\'s chart refuses', () => {
  test.each([
    ['dind.enabled', 'DinD builders are chosen with imageBuilderType'],
    ['hub.url', 'use the hubUrl prop'],
    ['github', 'use the githubAccessToken prop'],
    ['gitlab', 'use the gitlabPrivateToken prop'],
    ['build', 'build settings live under config.KubernetesBuildExecutor'],
    ['perRepoQuota', 'use config.BinderHub.per_repo_quota'],
    ['registry.enabled', 'use the registry prop'],
    ['registry.authHost', 'use the registry prop'],
    ['registry.host', 'use the registry prop'],
    ['registry.tokenUrl', 'use the registry prop'],
    ['registry.prefix', 'use the registry prop'],
    ['cors.allowOrigin', 'use config.BinderHub.cors_allow_origin'],
    ['jupyterhub.custom.cors', 'use jupyterhub.hub.config.BinderSpawner.cors_allow_origin'],
    ['imageCleaner.host.enabled', 'the cleaner follows imageBuilderType'],
    ['imageCleaner.host.dockerSocket', 'use imageCleaner.host.dockerSocketDir and dockerSocketName'],
  ])('%s is refused: %s', (path, instead) => {
    expect(() => values(at(path))).toThrow(`chartValues.${path} is a setting of the 2019 chart that today's binderhub chart refuses; ${instead}`);
  });
});

describe('the tokens from the props', () => {
  test('a GitHub and a GitLab token go where BinderHub\'s repo providers read them, and nowhere without them', () => {
    const input = { tokens: fakeTokens('values'), registryValues: {}, builderValues: {}, hubUrlValues: {} };
    const merged = binderHubValues({ ...input, githubAccessToken: 'ghp_valuesTestToken', gitlabPrivateToken: 'glpat-valuesTestToken' });
    expect((merged.config as any).GitHubRepoProvider).toEqual({ access_token: 'ghp_valuesTestToken' });
    expect((merged.config as any).GitLabRepoProvider).toEqual({ private_token: 'glpat-valuesTestToken' });
    expect(Object.keys(binderHubValues(input).config as any)).toEqual(['BinderHub']);
  });
});
