import { isDeepStrictEqual } from 'util';
import type { IngressPlan } from './adopt-ingress';
import { AdoptionNote, stringSetting } from './adopt-registry';
import { getPath, takePath } from './adopt-values';
import { Auth, AuthUrls, MAX_SERVERS_PER_USER } from '../service/auth';
import { ConfigError } from '../core/errors';
import { registerSecrets } from '../core/redact';
import { IN_CLUSTER_HUB_URL } from '../service/public-hosts';
import { isPlainObject, Values } from '../core/values';

/** The auth factories `npm run adopt` can choose. */
export type AuthFactory = 'github' | 'gitlab' | 'oauth2';

/** The `auth` prop of an adopted deployment: the factory and its options but the client secret (the credential oauthClientSecret). */
export interface AuthPlan {
  readonly factory: AuthFactory;
  /** The options as the module writes them. */
  readonly options: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** An OAuthenticator the auth prop models: its factory, its configuration section, and the names `authenticator_class` may give it. */
interface Provider {
  readonly factory: AuthFactory;
  readonly section: string;
  readonly entryPoint: string;
  readonly module: string;
}

const PROVIDERS: readonly Provider[] = [
  { factory: 'github', section: 'GitHubOAuthenticator', entryPoint: 'github', module: 'github' },
  { factory: 'gitlab', section: 'GitLabOAuthenticator', entryPoint: 'gitlab', module: 'gitlab' },
  { factory: 'oauth2', section: 'GenericOAuthenticator', entryPoint: 'generic-oauth', module: 'generic' },
];

const CLASS_SETTING = 'jupyterhub.hub.config.JupyterHub.authenticator_class';
const AUTHENTICATOR = 'jupyterhub.hub.config.Authenticator';
/** The user role's scopes the auth prop grants: BinderHub's service only, where the guide prints every service's access:services. */
const USER_SCOPES = ['self', 'access:services!service=binder'];

/** The provider `authenticator_class` names: its entry point, or its class by module path or by the package's top level. */
function providerOf(name: unknown): Provider | undefined {
  return PROVIDERS.find(p => [p.entryPoint, `oauthenticator.${p.module}.${p.section}`, `oauthenticator.${p.section}`].includes(name as string));
}

/**
 * Takes the guide's authentication settings out of `values` as the `auth` prop, when BinderHub's auth is on and JupyterHub
 * logs in with GitHub, GitLab or a generic OAuth2 provider: the client (its secret into `credentials.oauthClientSecret`,
 * registered for redaction), who may log in, named servers, and every setting the prop owns, noting each whose value
 * the prop changes. Another authenticator, or one the prop cannot model as it runs, stays in chartValues, noted.
 * `hubUrl` is the fixed hub URL of a deployment without ingress.
 */
export function planAuth(values: Values, notes: AdoptionNote[], hosts: { ingress?: IngressPlan; hubUrl?: string }, credentials: { oauthClientSecret?: string }): AuthPlan | undefined {
  if (getPath(values, 'config.BinderHub.auth_enabled') !== true) return undefined;
  const given = getPath(values, CLASS_SETTING);
  const provider = providerOf(given);
  if (!provider) {
    notes.push({ setting: CLASS_SETTING, outcome: `${given === undefined ? 'unset' : String(given)}: no auth factory models it, so the authentication settings stay in chartValues as written` });
    return undefined;
  }
  const section = `jupyterhub.hub.config.${provider.section}`;
  const secret = getPath(values, `${section}.client_secret`);
  if (typeof secret !== 'string' || secret === '') {
    notes.push({ setting: `${section}.client_secret`, outcome: 'missing: the authentication settings stay in chartValues as written (the secret may come from elsewhere)' });
    return undefined;
  }
  registerSecrets(secret);
  const urls = loginUrls(values, hosts);
  const login = whoMayLogIn(values, provider);
  const unmodelled = urls.problem ?? login.problem;
  if (unmodelled) {
    notes.push({ setting: unmodelled.setting, outcome: `${unmodelled.outcome}, which the auth prop refuses: the authentication settings stay in chartValues as written` });
    return undefined;
  }
  const clientId = requiredString(values, `${section}.client_id`);
  const plan: AuthPlan = { factory: provider.factory, options: { clientId, ...login.options, ...providerOptions(values, provider), ...servers(values, notes), ...urls.options } };
  for (const setting of [...login.settings, `${section}.client_secret`]) takePath(values, setting);
  takeOwned(values, provider, urls.auth, (plan.options.serversPerUser ?? 1) as number > 1, notes);
  credentials.oauthClientSecret = secret;
  try {
    makeAuth(plan, secret).setup(urls.auth);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`the authentication settings (config.BinderHub.auth_enabled, ${section}) map to Auth.${plan.factory}, which refuses them: ${error.message}`);
  }
  return plan;
}

/** Makes the auth prop of `plan` with the client secret, as the module will. */
export function makeAuth(plan: AuthPlan, clientSecret: string): Auth {
  return (Auth as unknown as Record<AuthFactory, (o: object) => Auth>)[plan.factory]({ ...plan.options, clientSecret });
}

/** A setting the prop cannot carry over as the release runs it. */
interface Unmodelled {
  readonly setting: string;
  readonly outcome: string;
}

/**
 * The URLs the login flow returns to, as the prop derives them (the ingress hosts, or the fixed hub URL and BinderHub's
 * from the binder service's redirect URI); an http or unknown one is a problem, since the prop needs https callbacks.
 */
function loginUrls(values: Values, hosts: { ingress?: IngressPlan; hubUrl?: string }): { auth: AuthUrls; options: { binderUrl?: string }; problem?: Unmodelled } {
  const { ingress } = hosts;
  if (ingress) {
    const problem = ingress.hubTls ? undefined : { setting: 'jupyterhub.ingress.tls', outcome: `no TLS for ${ingress.hubHost}: login would return over http` };
    const url = (host: string) => `${ingress.hubTls ? 'https' : 'http'}://${host}/`;
    return { auth: { hubUrl: url(ingress.hubHost), binderUrl: url(ingress.binderHost), hostsProp: 'ingress' }, options: {}, problem };
  }
  const redirect = getPath(values, 'jupyterhub.hub.services.binder.oauth_redirect_uri');
  const binderUrl = typeof redirect === 'string' && /^https:\/\/[^/]+\/(.*\/)?oauth_callback$/.test(redirect) ? redirect.replace(/oauth_callback$/, '') : undefined;
  const problem = hosts.hubUrl === undefined ? { setting: 'config.BinderHub.hub_url', outcome: 'no https DNS name and no ingress: JupyterHub has no public URL to return to after login' }
    : binderUrl === undefined ? { setting: 'jupyterhub.hub.services.binder.oauth_redirect_uri', outcome: 'not https://<binder host>/oauth_callback' } : undefined;
  return { auth: { hubUrl: hosts.hubUrl }, options: binderUrl ? { binderUrl } : {}, problem };
}

/** Who may log in (the Authenticator's users, the provider's organisations or groups, or everyone), and the settings that say so. */
function whoMayLogIn(values: Values, provider: Provider): { options: Record<string, readonly string[] | boolean>; settings: string[]; problem?: Unmodelled } {
  const groups = GROUPS[provider.factory];
  const lists: Array<[string, string]> = [[`${AUTHENTICATOR}.allowed_users`, 'allowedUsers'], [`${AUTHENTICATOR}.admin_users`, 'adminUsers'],
    ...groups ? [[`jupyterhub.hub.config.${provider.section}.${groups.key}`, groups.option] as [string, string]] : []];
  const options: Record<string, readonly string[] | boolean> = {};
  for (const [setting, option] of lists) {
    const names = nameList(values, setting);
    if (names.length > 0) options[option] = names;
  }
  const allowAll = `${AUTHENTICATOR}.allow_all`;
  const everyone = getPath(values, allowAll);
  if (everyone !== undefined && typeof everyone !== 'boolean') throw new ConfigError(`${allowAll} must be true or false in the values files`);
  if (everyone) options.allowAllUsers = true;
  const settings = [...lists.map(([setting]) => setting), allowAll];
  if (Object.keys(options).length > 0) return { options, settings };
  return { options, settings, problem: { setting: AUTHENTICATOR, outcome: `no allowed_users, admin_users${groups ? `, ${groups.key}` : ''} or allow_all: the authenticator lets nobody log in` } };
}

/** The provider's setting of the groups whose members may log in, and the option that takes it. */
const GROUPS: Readonly<Partial<Record<AuthFactory, { key: string; option: string }>>> = {
  github: { key: 'allowed_organizations', option: 'allowedOrganizations' },
  gitlab: { key: 'allowed_gitlab_groups', option: 'allowedGroups' },
};

/** A list of names in the values (a YAML list of strings), or none; anything else fails, naming it. */
function nameList(values: Values, setting: string): string[] {
  const names = getPath(values, setting);
  if (names === undefined || names === null) return [];
  if (!Array.isArray(names) || names.some(name => typeof name !== 'string')) throw new ConfigError(`${setting} must be a list of names in the values files`);
  return names;
}

/** The provider's own options, taken out: GitLab's instance, the generic provider's endpoints, claim and scopes. */
function providerOptions(values: Values, provider: Provider): Record<string, string | readonly string[]> {
  const section = `jupyterhub.hub.config.${provider.section}`;
  if (provider.factory === 'gitlab') {
    const gitlabUrl = stringSetting(values, `${section}.gitlab_url`);
    return gitlabUrl === undefined ? {} : { gitlabUrl };
  }
  if (provider.factory !== 'oauth2') return {};
  const scope = nameList(values, `${section}.scope`);
  takePath(values, `${section}.scope`);
  return {
    authorizeUrl: requiredString(values, `${section}.authorize_url`),
    tokenUrl: requiredString(values, `${section}.token_url`),
    userdataUrl: requiredString(values, `${section}.userdata_url`),
    // Unset, OAuthenticator's defaults, which the prop's own (preferred_username; openid, profile) would change.
    usernameClaim: stringSetting(values, `${section}.username_claim`) ?? 'username',
    scope,
  };
}

/** serversPerUser from the named servers (`hub.allowNamedServers`, `hub.namedServerLimitPerUser`: 0 or none is no limit), taken out. */
function servers(values: Values, notes: AdoptionNote[]): { serversPerUser?: number } {
  const allow = takePath(values, 'jupyterhub.hub.allowNamedServers');
  const limit = takePath(values, 'jupyterhub.hub.namedServerLimitPerUser') ?? 0;
  const setting = 'jupyterhub.hub.namedServerLimitPerUser';
  if (allow !== true) {
    if (limit !== 0) notes.push({ setting, outcome: 'not carried over: jupyterhub.hub.allowNamedServers is not true, so one server per user' });
    return {};
  }
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw new ConfigError(`${setting} must be a whole number in the values files (0 for no limit)`);
  if (limit === 0 || limit > MAX_SERVERS_PER_USER) {
    notes.push({ setting, outcome: `${limit === 0 ? 'no limit' : limit}: adopted as ${MAX_SERVERS_PER_USER} servers per user, the most the auth prop allows` });
    return { serversPerUser: MAX_SERVERS_PER_USER };
  }
  if (limit > 1) return { serversPerUser: limit };
  notes.push({ setting, outcome: '1: adopted as one server per user, which BinderHub launches as the default server, not a named one' });
  return {};
}

function requiredString(values: Values, setting: string): string {
  const value = stringSetting(values, setting);
  if (value === undefined || value.trim() === '') throw new ConfigError(`${setting} is missing from the values files; give the OAuth application's setting there`);
  return value;
}

/**
 * Takes out every other setting the prop owns, noting each whose value (unset: the chart's default) the prop changes:
 * what the guide asks for (`auth_enabled` on both sides, no redirect to a server, the binder service's OAuth client, the
 * user role, no culling of users, jupyterhub-singleuser), the callback URLs it derives from the hosts, and the culler's
 * removal of named servers.
 */
function takeOwned(values: Values, provider: Provider, urls: AuthUrls, namedServers: boolean, notes: AdoptionNote[]): void {
  const section = `jupyterhub.hub.config.${provider.section}`;
  // The guide's other spelling of hub.redirectToServer, the same JupyterHub setting: read as that.
  const redirect = 'jupyterhub.hub.config.JupyterHub.redirect_to_server';
  const alias = takePath(values, redirect);
  if (alias !== undefined) notes.push({ setting: redirect, outcome: 'written as jupyterhub.hub.redirectToServer, the chart\'s setting for it' });
  // [setting, what the prop sets, why it changes it]
  const owned: Array<[string, unknown, string?]> = [
    ['config.BinderHub.auth_enabled', true],
    ['jupyterhub.hub.config.BinderSpawner.auth_enabled', true],
    ['jupyterhub.hub.redirectToServer', false],
    [CLASS_SETTING, provider.entryPoint, `written as ${provider.entryPoint}, the entry point of the same class`],
    [`${section}.oauth_callback_url`, `${urls.hubUrl}hub/oauth_callback`, `set by the auth prop to ${urls.hubUrl}hub/oauth_callback, on the hub's public URL`],
    ['jupyterhub.hub.services.binder.oauth_client_id', 'service-binderhub'],
    ['jupyterhub.hub.services.binder.oauth_no_confirm', true],
    ['jupyterhub.hub.services.binder.oauth_redirect_uri', `${urls.binderUrl ?? ''}oauth_callback`],
    ['jupyterhub.hub.loadRoles.user', { scopes: USER_SCOPES }, `set by the auth prop to the scopes ${USER_SCOPES.join(', ')}: users reach BinderHub's service only`],
    ['jupyterhub.cull.users', false],
    ['jupyterhub.cull.removeNamedServers', namedServers ? true : undefined, 'set to true by the auth prop: each launch is a named server of its own, removed when idle'],
    ['jupyterhub.singleuser.cmd', 'jupyterhub-singleuser'],
    ['config.BinderHub.hub_url_local', urls.hostsProp ? undefined : IN_CLUSTER_HUB_URL],
  ];
  for (const [setting, value, why] of owned) {
    const was = takePath(values, setting) ?? (setting === 'jupyterhub.hub.redirectToServer' ? alias : undefined);
    if (value === undefined || isDeepStrictEqual(was, value)) continue;
    notes.push({ setting, outcome: `${was === undefined ? 'unset' : describe(was)}, ${why ?? `set to ${describe(value)} by the auth prop`}` });
  }
  const authenticator = getPath(values, AUTHENTICATOR);
  if (isPlainObject(authenticator) && Object.keys(authenticator).length === 0) takePath(values, AUTHENTICATOR);
}

/** A setting's value for a note (never a secret: the settings noted hold none). */
function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
