import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adoptedModuleText, AdoptionPlan, deepMerge, planAdoption, readValuesLayers, Values } from '../lib/internal';
import { fixture, guideFiles } from './adopt-fixtures';
import { configErrorMessage } from './helpers';

/** A fake client secret: it may reach the secrets file's credentials only. */
const CLIENT_SECRET = 'adopt-auth-fake-client-secret-5c21';

/** The guide's Docker Hub and HTTPS sections: both hosts behind an ingress with TLS. */
const ON_INGRESS = readValuesLayers([...guideFiles('dockerhub', fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-auth-'))), fixture('guide-https/config.yaml')]);

/** The guide's authentication section (as its page prints it) for `authenticatorClass`, with `section` as its settings. */
function guideAuth(authenticatorClass: string, sectionName: string, section: Values, more: Values = {}): Values {
  return deepMerge({
    config: { BinderHub: { auth_enabled: true } },
    jupyterhub: {
      cull: { users: false },
      hub: {
        redirectToServer: false,
        config: {
          BinderSpawner: { auth_enabled: true },
          JupyterHub: { authenticator_class: authenticatorClass },
          Authenticator: { admin_users: ['binder-admin'] },
          [sectionName]: { client_id: 'adopt-oauth-app', client_secret: CLIENT_SECRET, ...section },
        },
        services: { binder: { oauth_client_id: 'service-binderhub', oauth_no_confirm: true, oauth_redirect_uri: 'https://binder.example.net/oauth_callback' } },
        loadRoles: { user: { scopes: ['self', 'access:services'] } },
      },
      singleuser: { cmd: 'jupyterhub-singleuser' },
    },
  }, more);
}

const adopt = (values: Values, base: Values = ON_INGRESS) => planAdoption('login', deepMerge(base, values));
const outcome = (plan: AdoptionPlan, setting: string) => plan.notes.find(n => n.setting === setting)?.outcome;
const GITHUB = guideAuth('oauthenticator.github.GitHubOAuthenticator', 'GitHubOAuthenticator', { allowed_organizations: ['binder-examples'] });

describe('adopt: the guide\'s authentication settings become the auth prop', () => {
  test('GitHub (by its class path): the client, who may log in; the client secret becomes the credential oauthClientSecret, never quoted', () => {
    const plan = adopt(GITHUB);
    expect(plan.auth).toEqual({ factory: 'github', options: { clientId: 'adopt-oauth-app', adminUsers: ['binder-admin'], allowedOrganizations: ['binder-examples'] } });
    expect(plan.credentials.oauthClientSecret).toBe(CLIENT_SECRET);
    expect(plan.chartValues).toEqual({});
    expect(plan.secretChartValues).toEqual({});
    const module = adoptedModuleText(plan, ['config.yaml'], 'login.ts');
    expect(module).toContain('auth: Auth.github({ clientId: "adopt-oauth-app", ');
    expect(module).toContain('clientSecret: app.credential(DEPLOYMENT, \'oauthClientSecret\') })');
    expect(JSON.stringify([plan.notes, plan.auth, plan.chartValues]) + module).not.toContain(CLIENT_SECRET);
  });

  test('the values the prop changes are noted: the class path as the entry point, the guide\'s access:services scope, a callback URL off the hub\'s host', () => {
    const plan = adopt(deepMerge(GITHUB, { jupyterhub: { hub: { config: { GitHubOAuthenticator: { oauth_callback_url: 'https://old.example.net/hub/oauth_callback' } } } } }));
    expect(outcome(plan, 'jupyterhub.hub.config.JupyterHub.authenticator_class')).toBe('oauthenticator.github.GitHubOAuthenticator, written as github, the entry point of the same class');
    expect(outcome(plan, 'jupyterhub.hub.loadRoles.user')).toBe('{"scopes":["self","access:services"]}, set by the auth prop to the scopes self, access:services!service=binder: '
      + 'users reach BinderHub\'s service only');
    expect(outcome(plan, 'jupyterhub.hub.config.GitHubOAuthenticator.oauth_callback_url')).toBe('https://old.example.net/hub/oauth_callback, set by the auth prop to '
      + 'https://hub.binder.example.net/hub/oauth_callback, on the hub\'s public URL');
    // What the guide asks for and the prop sets alike is not noted.
    expect(outcome(plan, 'jupyterhub.singleuser.cmd')).toBeUndefined();
  });

  test('the guide\'s JupyterHub.redirect_to_server is written as the chart\'s hub.redirectToServer; a missing setting of the page is noted as the prop sets it', () => {
    const values = GITHUB as any;
    const { redirectToServer: _, ...hub } = values.jupyterhub.hub;
    const { cmd: __, ...singleuser } = values.jupyterhub.singleuser;
    const given = { ...values, jupyterhub: { ...values.jupyterhub, singleuser, hub: deepMerge(hub, { config: { JupyterHub: { redirect_to_server: false } } }) } };
    const plan = adopt(given);
    expect(outcome(plan, 'jupyterhub.hub.config.JupyterHub.redirect_to_server')).toBe('written as jupyterhub.hub.redirectToServer, the chart\'s setting for it');
    expect(outcome(plan, 'jupyterhub.hub.redirectToServer')).toBeUndefined();
    expect(outcome(plan, 'jupyterhub.singleuser.cmd')).toBe('unset, set to jupyterhub-singleuser by the auth prop');
  });

  test('the authenticator\'s other settings stay in chartValues beside the prop', () => {
    const plan = adopt(deepMerge(GITHUB, { jupyterhub: { hub: { config: { GitHubOAuthenticator: { scope: ['read:org'], enable_auth_state: true } } } } }));
    expect(plan.chartValues).toEqual({ jupyterhub: { hub: { config: { GitHubOAuthenticator: { scope: ['read:org'], enable_auth_state: true } } } } });
  });

  test('GitLab (by its entry point): the groups, the instance, allowed users and allow_all', () => {
    const plan = adopt(guideAuth('gitlab', 'GitLabOAuthenticator', { allowed_gitlab_groups: ['binder'], gitlab_url: 'https://gitlab.example.org' }, {
      jupyterhub: { hub: { config: { Authenticator: { allowed_users: ['octocat'], allow_all: true } } } },
    }));
    expect(plan.auth).toEqual({
      factory: 'gitlab',
      options: { clientId: 'adopt-oauth-app', allowedUsers: ['octocat'], adminUsers: ['binder-admin'], allowedGroups: ['binder'], allowAllUsers: true, gitlabUrl: 'https://gitlab.example.org' },
    });
  });

  test('a generic OAuth2 provider: its endpoints; an unset claim and scope keep OAuthenticator\'s defaults, not the prop\'s', () => {
    const endpoints = { authorize_url: 'https://id.example.org/auth', token_url: 'https://id.example.org/token', userdata_url: 'https://id.example.org/userinfo' };
    const plan = adopt(guideAuth('generic-oauth', 'GenericOAuthenticator', endpoints));
    expect(plan.auth?.options).toMatchObject({
      authorizeUrl: 'https://id.example.org/auth', tokenUrl: 'https://id.example.org/token', userdataUrl: 'https://id.example.org/userinfo', usernameClaim: 'username', scope: [],
    });
    expect(adopt(guideAuth('oauthenticator.GenericOAuthenticator', 'GenericOAuthenticator', { ...endpoints, username_claim: 'email', scope: ['openid'] })).auth?.options)
      .toMatchObject({ usernameClaim: 'email', scope: ['openid'] });
  });

  test('named servers: the limit is serversPerUser; 0 (no limit) is the prop\'s most, 100, noted; off is one server', () => {
    const named = (limit?: number) => adopt(deepMerge(GITHUB, { jupyterhub: { hub: { allowNamedServers: true, ...limit === undefined ? {} : { namedServerLimitPerUser: limit } } } }));
    expect(named(5).auth?.options.serversPerUser).toBe(5);
    const unlimited = named(0);
    expect(unlimited.auth?.options.serversPerUser).toBe(100);
    expect(outcome(unlimited, 'jupyterhub.hub.namedServerLimitPerUser')).toBe('no limit: adopted as 100 servers per user, the most the auth prop allows');
    expect(named().auth?.options.serversPerUser).toBe(100);
    expect(adopt(GITHUB).auth?.options.serversPerUser).toBeUndefined();
  });

  test('without an ingress: the fixed hub URL, and BinderHub\'s URL from the binder service\'s redirect URI', () => {
    const { ingress: _, jupyterhub: { ingress: __, ...jupyterhub }, ...rest } = ON_INGRESS as any;
    const plan = adopt(deepMerge(GITHUB, { config: { BinderHub: { hub_url_local: 'http://proxy-public/' } } }), { ...rest, jupyterhub });
    expect(plan.ingress).toBeUndefined();
    expect(plan.hubUrl).toEqual({ url: 'https://hub.binder.example.net/', kind: 'fixed' });
    expect(plan.auth?.options.binderUrl).toBe('https://binder.example.net/');
    // hub_url_local is the prop's then, as auth_enabled: neither stays.
    expect(plan.chartValues).not.toHaveProperty('config');
  });
});

describe('adopt: authentication the auth prop does not model stays in chartValues, noted', () => {
  test('another authenticator (dummy): every setting as written, the class noted', () => {
    const plan = adopt(guideAuth('dummy', 'DummyAuthenticator', {}));
    expect(plan.auth).toBeUndefined();
    expect(outcome(plan, 'jupyterhub.hub.config.JupyterHub.authenticator_class')).toBe('dummy: no auth factory models it, so the authentication settings stay in chartValues as written');
    expect((plan.chartValues as any).jupyterhub.hub.loadRoles.user.scopes).toEqual(['self', 'access:services']);
    expect(plan.credentials.oauthClientSecret).toBeUndefined();
  });

  test('no client secret in the values files, or an authenticator that lets nobody log in', () => {
    const secretless = adopt(guideAuth('github', 'GitHubOAuthenticator', { allowed_organizations: ['binder-examples'], client_secret: undefined }));
    expect(secretless.auth).toBeUndefined();
    expect(outcome(secretless, 'jupyterhub.hub.config.GitHubOAuthenticator.client_secret')).toMatch(/^missing: the authentication settings stay in chartValues as written/);
    const nobody = adopt(guideAuth('github', 'GitHubOAuthenticator', {}, { jupyterhub: { hub: { config: { Authenticator: { admin_users: [] } } } } }));
    expect(nobody.auth).toBeUndefined();
    expect(outcome(nobody, 'jupyterhub.hub.config.Authenticator')).toBe('no allowed_users, admin_users, allowed_organizations or allow_all: the authenticator lets nobody log in, '
      + 'which the auth prop refuses: the authentication settings stay in chartValues as written');
    // The secret then goes where any secret-named setting goes: the secrets file's chartValues.
    expect(nobody.secretChartValues).toEqual({ jupyterhub: { hub: { config: { GitHubOAuthenticator: { client_secret: CLIENT_SECRET } } } } });
  });
});

describe('adopt: authentication settings it cannot read are refused, naming the setting', () => {
  test.each([
    ['no client id', { client_id: null }, 'jupyterhub.hub.config.GitHubOAuthenticator.client_id is missing from the values files; give the OAuth application\'s setting there'],
    ['organisations that are no list', { allowed_organizations: 'binder-examples' }, 'jupyterhub.hub.config.GitHubOAuthenticator.allowed_organizations must be a list of names in the values files'],
  ])('%s', (_name, section, message) => {
    expect(configErrorMessage(() => adopt(deepMerge(GITHUB, { jupyterhub: { hub: { config: { GitHubOAuthenticator: section } } } })))).toBe(message);
  });

  test('a named-server limit that is no whole number', () => {
    expect(configErrorMessage(() => adopt(deepMerge(GITHUB, { jupyterhub: { hub: { allowNamedServers: true, namedServerLimitPerUser: 2.5 } } }))))
      .toBe('jupyterhub.hub.namedServerLimitPerUser must be a whole number in the values files (0 for no limit)');
  });
});
