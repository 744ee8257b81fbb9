import { ConfigError } from '../core/errors';
import { isHttpsOrLocal, withTrailingSlash } from '../core/names';
import { registerSecrets } from '../core/redact';
import { Values } from '../core/values';
import { IN_CLUSTER_HUB_URL } from './public-hosts';

/** Who may log in and how many launches each may run: what every authenticator's options share. */
export interface LoginOptions {
  /** The OAuth application's client id, as the provider shows it. */
  readonly clientId: string;
  /**
   * The OAuth application's client secret: `app.credential(<deployment>, 'oauthClientSecret')`, so it lives in the
   * deployment's secrets file (`init-secrets` writes a placeholder) and reaches the hub through its secrets mode.
   */
  readonly clientSecret: string;
  /**
   * Users who may log in, by their name at the provider.
   * @default - none: only the organisations or groups, or everyone with allowAllUsers
   */
  readonly allowedUsers?: readonly string[];
  /**
   * Users who are JupyterHub admins (they may log in too).
   * @default - none
   */
  readonly adminUsers?: readonly string[];
  /**
   * Every user the provider authenticates may log in.
   * @default false
   */
  readonly allowAllUsers?: boolean;
  /**
   * How many repositories one user may have running at once. Above 1, BinderHub launches into JupyterHub's named
   * servers (`allowNamedServers`, `namedServerLimitPerUser`); at 1 a second launch shows an error while the first runs.
   * @default 1
   */
  readonly serversPerUser?: number;
  /**
   * BinderHub's public URL, where the provider sends users back after login (`oauth_redirect_uri`), when neither
   * the ingress nor the gateway prop gives BinderHub a host.
   * @default - the URL of the ingress or gateway prop's binderHost
   */
  readonly binderUrl?: string;
}

/** Options for `Auth.github`. */
export interface GitHubAuthOptions extends LoginOptions {
  /**
   * GitHub organisations whose members may log in.
   * @default - none
   */
  readonly allowedOrganizations?: readonly string[];
}

/** Options for `Auth.gitlab`. */
export interface GitLabAuthOptions extends LoginOptions {
  /**
   * GitLab groups whose members may log in.
   * @default - none
   */
  readonly allowedGroups?: readonly string[];
  /**
   * The GitLab instance.
   * @default https://gitlab.com
   */
  readonly gitlabUrl?: string;
}

/** Options for `Auth.oauth2`: any OAuth 2 or OpenID Connect provider (Keycloak, Auth0, Google, ...). */
export interface GenericOAuthOptions extends LoginOptions {
  /** The provider's authorization endpoint. */
  readonly authorizeUrl: string;
  /** The provider's token endpoint. */
  readonly tokenUrl: string;
  /** The provider's user information endpoint. */
  readonly userdataUrl: string;
  /**
   * The claim of the user information that is the JupyterHub user name.
   * @default preferred_username
   */
  readonly usernameClaim?: string;
  /**
   * The scopes to request.
   * @default ['openid', 'profile']
   */
  readonly scope?: readonly string[];
}

/** The URLs a deployment is public on, which the login flow sends users back to. */
export interface AuthUrls {
  /** JupyterHub's public URL with its trailing slash, or undefined when it is not known at synth. */
  readonly hubUrl?: string;
  /** BinderHub's public URL with its trailing slash, when a host prop gives BinderHub one. */
  readonly binderUrl?: string;
  /** The prop that gave the URLs (for messages), or undefined when the hub URL is the hubUrl prop. */
  readonly hostsProp?: string;
}

/** What the auth prop contributes to a deployment's chart values. */
export interface AuthSetup {
  /** The chart values, the client secret among them. */
  readonly values: Values;
  /** The chart values that hold the client secret (for the check that it renders only into Secrets). */
  readonly secretValues: Values;
  /** The chart values it owns: `chartValues` must leave them alone. */
  readonly ownedPaths: readonly string[];
}

/** The binder service's OAuth client id in JupyterHub, as the guide names it. */
const BINDER_OAUTH_CLIENT_ID = 'service-binderhub';
/** The most servers per user the prop allows. */
export const MAX_SERVERS_PER_USER = 100;

/**
 * Login for a private BinderHub: JupyterHub authenticates users with an OAuth provider, and BinderHub lets only
 * logged-in users launch (the settings of BinderHub's "Enabling Authentication" page, all set together).
 */
export class Auth {
  /** Login with GitHub (OAuthenticator's GitHubOAuthenticator): a GitHub OAuth app's id and secret. */
  public static github(options: GitHubAuthOptions): Auth {
    const groups = { option: 'allowedOrganizations', names: options.allowedOrganizations ?? [] };
    return new Auth('github', 'GitHubOAuthenticator', options, {
      ...listSetting('allowed_organizations', groups.option, groups.names),
    }, groups);
  }

  /** Login with GitLab (OAuthenticator's GitLabOAuthenticator): a GitLab application's id and secret. */
  public static gitlab(options: GitLabAuthOptions): Auth {
    const groups = { option: 'allowedGroups', names: options.allowedGroups ?? [] };
    return new Auth('gitlab', 'GitLabOAuthenticator', options, {
      ...listSetting('allowed_gitlab_groups', groups.option, groups.names),
      ...options.gitlabUrl === undefined ? {} : { gitlab_url: checkEndpoint('gitlabUrl', options.gitlabUrl).replace(/\/$/, '') },
    }, groups);
  }

  /** Login with any OAuth 2 / OpenID Connect provider (OAuthenticator's GenericOAuthenticator). */
  public static oauth2(options: GenericOAuthOptions): Auth {
    const scope = options.scope ?? ['openid', 'profile'];
    checkNames('scope', scope);
    return new Auth('generic-oauth', 'GenericOAuthenticator', options, {
      authorize_url: checkEndpoint('authorizeUrl', options.authorizeUrl),
      token_url: checkEndpoint('tokenUrl', options.tokenUrl),
      userdata_url: checkEndpoint('userdataUrl', options.userdataUrl),
      username_claim: checkName('usernameClaim', options.usernameClaim ?? 'preferred_username'),
      scope: [...scope],
    });
  }

  private constructor(
    /** JupyterHub's name for the authenticator (`authenticator_class`). */
    private readonly authenticatorName: string,
    /** The authenticator's configuration section. */
    private readonly section: string,
    private readonly options: LoginOptions,
    private readonly providerSettings: Values,
    /** The provider's groups (organisations) whose members may log in, and the option that names them. */
    groups?: { readonly option: string; readonly names: readonly string[] },
  ) {
    if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
      throw new ConfigError(`auth clientId is empty; give the OAuth application's client id`);
    }
    if (typeof options.clientSecret !== 'string' || options.clientSecret.trim() === '') {
      throw new ConfigError(`auth clientSecret is empty; give app.credential(<deployment>, 'oauthClientSecret') and put the OAuth application's secret into the secrets file`);
    }
    registerSecrets(options.clientSecret);
    checkNames('allowedUsers', options.allowedUsers ?? []);
    checkNames('adminUsers', options.adminUsers ?? []);
    const servers = options.serversPerUser ?? 1;
    if (!Number.isInteger(servers) || servers < 1 || servers > MAX_SERVERS_PER_USER) {
      throw new ConfigError(`auth serversPerUser ${servers} must be a whole number from 1 to ${MAX_SERVERS_PER_USER}`);
    }
    const mayLogIn = options.allowAllUsers === true || [options.allowedUsers, options.adminUsers, groups?.names].some(names => (names ?? []).length > 0);
    if (!mayLogIn) {
      throw new ConfigError('auth lets nobody log in (the authenticator admits only the users it is told to); give allowedUsers, '
        + `${groups ? `${groups.option}, ` : ''}adminUsers, or allowAllUsers: true`);
    }
  }

  /** The chart values for a deployment public on `urls`; fails when the login flow could not return to it. */
  public setup(urls: AuthUrls): AuthSetup {
    const hubUrl = urls.hubUrl;
    if (hubUrl === undefined) {
      throw new ConfigError('auth needs JupyterHub\'s public URL at synth, where the provider returns users after login: '
        + 'give the deployment an ingress or gateway with hosts, or a hubUrl (https://<hub host>/)');
    }
    const binderUrl = this.binderUrl(urls);
    checkCallbackUrl(urls.hostsProp ? `the ${urls.hostsProp} prop's hubHost` : 'hubUrl', hubUrl);
    checkCallbackUrl(urls.hostsProp ? `the ${urls.hostsProp} prop's binderHost` : 'auth binderUrl', binderUrl);
    const options = this.options;
    const servers = options.serversPerUser ?? 1;
    const secretValues = { jupyterhub: { hub: { config: { [this.section]: { client_secret: options.clientSecret } } } } };
    const values: Values = {
      config: { BinderHub: { auth_enabled: true, ...urls.hostsProp ? {} : { hub_url_local: IN_CLUSTER_HUB_URL } } },
      jupyterhub: {
        // Users who log in are people, not the temporary users of a public BinderHub: never delete them. Each launch
        // into a named server has a name of its own, so idle ones are removed, not kept stopped.
        cull: { users: false, ...servers > 1 ? { removeNamedServers: true } : {} },
        // The user servers must talk to the hub, which checks each user's access to them.
        singleuser: { cmd: 'jupyterhub-singleuser' },
        hub: {
          redirectToServer: false,
          ...servers > 1 ? { allowNamedServers: true, namedServerLimitPerUser: servers } : {},
          services: { binder: { oauth_client_id: BINDER_OAUTH_CLIENT_ID, oauth_no_confirm: true, oauth_redirect_uri: `${binderUrl}oauth_callback` } },
          loadRoles: { user: { scopes: ['self', 'access:services!service=binder'] } },
          config: {
            BinderSpawner: { auth_enabled: true },
            JupyterHub: { authenticator_class: this.authenticatorName },
            Authenticator: {
              ...listSetting('allowed_users', 'allowedUsers', options.allowedUsers),
              ...listSetting('admin_users', 'adminUsers', options.adminUsers),
              ...options.allowAllUsers ? { allow_all: true } : {},
            },
            [this.section]: {
              client_id: options.clientId,
              client_secret: options.clientSecret,
              oauth_callback_url: `${hubUrl}hub/oauth_callback`,
              ...this.providerSettings,
            },
          },
        },
      },
    };
    // Only its own keys: the authenticator's other settings (enable_auth_state, GitHub's scope) may stay in chartValues.
    const sectionPaths = [...CLIENT_KEYS, ...PROVIDER_KEYS[this.section]].map(key => `jupyterhub.hub.config.${this.section}.${key}`);
    return { values, secretValues, ownedPaths: [...AUTH_OWNED_PATHS, ...urls.hostsProp ? [] : ['config.BinderHub.hub_url_local'], ...sectionPaths] };
  }

  private binderUrl(urls: AuthUrls): string {
    const given = this.options.binderUrl;
    if (urls.binderUrl !== undefined) {
      if (given !== undefined) throw new ConfigError(`auth binderUrl is set, but the ${urls.hostsProp} prop's binderHost gives BinderHub's URL; remove binderUrl`);
      return urls.binderUrl;
    }
    if (given === undefined) {
      throw new ConfigError('auth needs BinderHub\'s public URL, where the provider returns users after login: give the deployment an ingress '
        + 'or gateway with hosts, or auth binderUrl (https://<binder host>/)');
    }
    return withTrailingSlash(checkEndpoint('binderUrl', given));
  }
}

/** Chart values that the auth prop sets whatever the authenticator. */
const AUTH_OWNED_PATHS: readonly string[] = [
  'config.BinderHub.auth_enabled',
  'jupyterhub.cull.users',
  'jupyterhub.cull.removeNamedServers',
  'jupyterhub.singleuser.cmd',
  'jupyterhub.hub.redirectToServer',
  'jupyterhub.hub.allowNamedServers',
  'jupyterhub.hub.namedServerLimitPerUser',
  'jupyterhub.hub.services.binder.oauth_client_id',
  'jupyterhub.hub.services.binder.oauth_no_confirm',
  'jupyterhub.hub.services.binder.oauth_redirect_uri',
  'jupyterhub.hub.loadRoles.user',
  'jupyterhub.hub.config.BinderSpawner.auth_enabled',
  'jupyterhub.hub.config.JupyterHub.authenticator_class',
  'jupyterhub.hub.config.Authenticator.allowed_users',
  'jupyterhub.hub.config.Authenticator.admin_users',
  'jupyterhub.hub.config.Authenticator.allow_all',
];

/** The keys of the authenticator's section that the auth prop sets whatever the provider. */
const CLIENT_KEYS = ['client_id', 'client_secret', 'oauth_callback_url'];

/** Each provider's keys that the auth prop sets, or leaves unset on purpose (who may log in, the default instance). */
const PROVIDER_KEYS: Readonly<Record<string, readonly string[]>> = {
  GitHubOAuthenticator: ['allowed_organizations'],
  GitLabOAuthenticator: ['allowed_gitlab_groups', 'gitlab_url'],
  GenericOAuthenticator: ['authorize_url', 'token_url', 'userdata_url', 'username_claim', 'scope'],
};

/** `{ [setting]: [...names] }` for a non-empty list of names, checked; nothing for none. */
function listSetting(setting: string, option: string, names: readonly string[] | undefined): Values {
  if (names === undefined || names.length === 0) return {};
  checkNames(option, names);
  return { [setting]: [...names] };
}

function checkNames(option: string, names: readonly string[]): void {
  if (!Array.isArray(names)) throw new ConfigError(`auth ${option} must be a list of names`);
  names.forEach((name, i) => checkName(`${option}[${i}]`, name));
}

function checkName(option: string, name: string): string {
  if (typeof name !== 'string' || name.trim() === '' || name !== name.trim()) {
    throw new ConfigError(`auth ${option} must be a name without surrounding spaces`);
  }
  return name;
}

/** An https URL (http only on the local machine, for tests), as given. */
function checkEndpoint(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`auth ${option} is not a URL; give one such as https://login.example.org/...`);
  }
  if (url.username || url.password) throw new ConfigError(`auth ${option} must have no credentials in it`);
  if (!isHttpsOrLocal(url)) {
    throw new ConfigError(`auth ${option} must be an https URL: the login flow sends codes and tokens through it`);
  }
  return value;
}

/** Fails unless `url` can receive an OAuth callback: https, or http on the local machine. */
function checkCallbackUrl(source: string, url: string): void {
  const parsed = new URL(url);
  if (!isHttpsOrLocal(parsed)) {
    throw new ConfigError(`auth needs https where users return after login, but ${source} gives ${parsed.protocol}//${parsed.host}: `
      + 'give the ingress or gateway TLS (binderTls and hubTls, or an HTTPS listener), or an https URL');
  }
}

