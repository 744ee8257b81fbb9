import { Auth, BinderHubProps, binderHubValues, Builder, ChartSource, GitHubAuthOptions, SecretsMode, Tls } from '../lib/internal';
import { binderView, describeWithChartConfig, effectiveConfigs, hubView } from './effective-config';
import { fakeTokens, find, secretValue, synthBinderHub, synthManifest } from './helpers';

/** A fake client secret: it may appear only inside Secret hub. (Bad inputs: test/bad-inputs.test.ts, groups auth and policy.) */
const CLIENT_SECRET = 'fake-oauth-client-secret-6d1f0a93c2';
const GITHUB: GitHubAuthOptions = { clientId: 'binder-oauth-app', clientSecret: CLIENT_SECRET, allowedOrganizations: ['binder-examples'] };

const INGRESS = {
  binderHost: 'binder.example.org', hubHost: 'hub.example.org', ingressClassName: 'nginx',
  binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }), hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
};
const ON_HOSTS = { hubUrl: 'https://hub.example.org/', binderUrl: 'https://binder.example.org/', hostsProp: 'ingress' };

describe('Auth.setup: where users come back after login', () => {
  test('on an ingress: the hub\'s callback and the binder\'s redirect are the hosts\' https URLs', () => {
    const values: any = Auth.github(GITHUB).setup(ON_HOSTS).values;
    expect(values.jupyterhub.hub.config.GitHubOAuthenticator.oauth_callback_url).toBe('https://hub.example.org/hub/oauth_callback');
    expect(values.jupyterhub.hub.services.binder.oauth_redirect_uri).toBe('https://binder.example.org/oauth_callback');
    // The hosts prop sets the in-cluster hub API address; auth leaves it alone.
    expect(values.config.BinderHub).toEqual({ auth_enabled: true });
  });

  test('with a fixed hubUrl and auth binderUrl: those URLs, and the hub API inside the cluster', () => {
    const { values, ownedPaths }: { values: any; ownedPaths: readonly string[] } = Auth.github({ ...GITHUB, binderUrl: 'https://binder.example.org' })
      .setup({ hubUrl: 'https://hub.example.org/' });
    expect(values.jupyterhub.hub.services.binder.oauth_redirect_uri).toBe('https://binder.example.org/oauth_callback');
    expect(values.config.BinderHub.hub_url_local).toBe('http://proxy-public/');
    expect(ownedPaths).toContain('config.BinderHub.hub_url_local');
  });

  test('the authenticator\'s other settings may stay in chartValues; its client and who may log in may not', () => {
    const withChartValues = (chartValues: object) => binderHubValues({
      tokens: fakeTokens('auth'), registryValues: {}, builderValues: {}, hubUrlValues: {}, auth: Auth.github(GITHUB).setup(ON_HOSTS),
      chartValues: { jupyterhub: { hub: { config: { GitHubOAuthenticator: chartValues } } } },
    }) as any;
    const section = withChartValues({ enable_auth_state: true, scope: ['read:org'] }).jupyterhub.hub.config.GitHubOAuthenticator;
    expect(section).toMatchObject({ enable_auth_state: true, scope: ['read:org'], client_id: 'binder-oauth-app', allowed_organizations: ['binder-examples'] });
    expect(() => withChartValues({ client_id: 'other' })).toThrow('chartValues.jupyterhub.hub.config.GitHubOAuthenticator.client_id is set by the auth prop');
    // Unset by the prop (GitHub without organisations) is still the prop's: chartValues cannot widen who may log in.
    const users = Auth.github({ clientId: 'binder-oauth-app', clientSecret: CLIENT_SECRET, allowedUsers: ['octocat'] }).setup(ON_HOSTS);
    expect(users.ownedPaths).toContain('jupyterhub.hub.config.GitHubOAuthenticator.allowed_organizations');
  });

  test('more than one server per user turns on named servers with that limit', () => {
    const hubValues = (auth: Auth): any => (auth.setup(ON_HOSTS).values as any).jupyterhub.hub;
    expect(hubValues(Auth.github({ ...GITHUB, serversPerUser: 3 }))).toMatchObject({ allowNamedServers: true, namedServerLimitPerUser: 3 });
    expect(hubValues(Auth.github(GITHUB)).allowNamedServers).toBeUndefined();
  });
});

describeWithChartConfig('auth on the real chart: what JupyterHub and BinderHub run with', chart => {
  const props = (auth: Auth, more: Partial<BinderHubProps> = {}): Partial<BinderHubProps> => ({
    chart: ChartSource.local(chart), builder: Builder.host(), ingress: INGRESS, auth, ...more,
  });
  const github = Auth.github({ ...GITHUB, allowedUsers: ['octocat'], adminUsers: ['binder-admin'], serversPerUser: 5 });
  let objects: any[];
  let hub: Record<string, any>;
  let binder: Record<string, any>;

  beforeAll(() => {
    objects = synthBinderHub(props(github), 'auth');
    [hub, binder] = effectiveConfigs([hubView(objects), binderView(objects)]);
  }, 60_000);

  test('JupyterHub: the authenticator, its client, who may log in, its callback', () => {
    expect(hub.JupyterHub.authenticator_class).toBe('github');
    expect(hub.GitHubOAuthenticator).toMatchObject({
      client_id: 'binder-oauth-app', oauth_callback_url: 'https://hub.example.org/hub/oauth_callback', allowed_organizations: ['binder-examples'],
    });
    expect(hub.GitHubOAuthenticator.client_secret).toBe(CLIENT_SECRET);
    expect(hub.Authenticator).toMatchObject({ allowed_users: ['octocat'], admin_users: ['binder-admin'] });
  });

  test('JupyterHub: no redirect to a server, named servers, the binder service\'s OAuth client, the user role', () => {
    expect(hub.JupyterHub.redirect_to_server).toBe(false);
    expect(hub.JupyterHub.allow_named_servers).toBe(true);
    expect(hub.JupyterHub.named_server_limit_per_user).toBe(5);
    const service = hub.JupyterHub.services.find((s: any) => s.name === 'binder');
    expect(service).toMatchObject({ oauth_client_id: 'service-binderhub', oauth_no_confirm: true, oauth_redirect_uri: 'https://binder.example.org/oauth_callback' });
    const userRole = hub.JupyterHub.load_roles.find((role: any) => role.name === 'user');
    expect(userRole.scopes).toEqual(['self', 'access:services!service=binder']);
    expect(hub.BinderSpawner.auth_enabled).toBe(true);
    expect(hub.Spawner.cmd).toBe('jupyterhub-singleuser');
  });

  test('the culler stops idle servers but never deletes users (the binderhub chart culls its temporary users), and removes idle named servers', () => {
    const culler = hub.JupyterHub.services.find((s: any) => s.name === 'jupyterhub-idle-culler');
    expect(culler.command).not.toContain('--cull-users');
    expect(culler.command).toContain('--remove-named-servers');
  });

  test('BinderHub: auth on, its OAuth client and callback, HubOAuth.hub_host the hub\'s', () => {
    expect(binder.BinderHub.auth_enabled).toBe(true);
    expect(binder.HubOAuth.hub_host).toBe('https://hub.example.org');
    const env = binderView(objects).env;
    expect(env.JUPYTERHUB_CLIENT_ID).toBe('service-binderhub');
    expect(env.JUPYTERHUB_OAUTH_CALLBACK_URL).toBe('https://binder.example.org/oauth_callback');
    expect(env.JUPYTERHUB_API_URL).toBe('http://proxy-public/hub/api/');
  });

  test('the client secret is in Secret hub and nowhere else', () => {
    expect(secretValue(find(objects, 'Secret', 'hub'), 'values.yaml')).toContain(CLIENT_SECRET);
    const elsewhere = objects.filter(o => o.kind !== 'Secret' && JSON.stringify(o).includes(CLIENT_SECRET)).map(o => `${o.kind}/${o.metadata.name}`);
    expect(elsewhere).toEqual([]);
  });

  test.each([['separate', SecretsMode.separate()], ['external', SecretsMode.external({ storeName: 'vault' })]])(
    'with SecretsMode.%s the deployment\'s file holds no client secret', (_name, secrets) => {
      expect(synthManifest(props(github, { secrets }), 'auth')).not.toContain(CLIENT_SECRET);
    });
});
