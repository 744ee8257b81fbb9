import { AuthPlan, planAuth } from './adopt-auth';
import { planBuilder, BuilderPlan } from './adopt-builder';
import { ingressOptions, IngressPlan, planIngress } from './adopt-ingress';
import { AdoptionNote, callFactory, planRegistry, RegistryPlan, stringSetting } from './adopt-registry';
import { refuseSecretsOutsideSecrets, takeSecretValues } from './adopt-secrets';
import { cloneValues, getPath, leafPaths, takePath } from './adopt-values';
import { binderHubValues, checkExtraEnv, EXTRA_ENV_PATHS, LEGACY_PATHS, MANAGED_PATHS } from '../deployment/binderhub-values';
import { ConfigError } from '../core/errors';
import { normalizeHubUrl } from '../deployment/hub-url';
import { ingressSetup } from '../deployment/ingress';
import { isHostName } from '../core/names';
import { registerSecrets } from '../core/redact';
import { DeploymentCredentials } from '../secrets/secret-store';
import { BinderHubTokens, BinderHubTokenValues, TOKEN_NAMES, TOKEN_PATTERN } from '../secrets/tokens';
import { hasPath, isPlainObject, Values } from '../core/values';


/** Where each token sits in the guide's values (the CryptKeeper key is the first of the list). */
export const TOKEN_SETTINGS: Readonly<Record<keyof BinderHubTokenValues, string>> = {
  proxySecretToken: 'jupyterhub.proxy.secretToken',
  binderApiToken: 'jupyterhub.hub.services.binder.apiToken',
  cookieSecret: 'jupyterhub.hub.cookieSecret',
  cryptKeeperKey: 'jupyterhub.hub.config.CryptKeeper.keys',
  buildTokenSecret: 'config.BinderHub.build_token_secret',
};

/** Where the helm release lives, when its name or namespace is not the deployment's name. */
export interface ReleaseLocation {
  /**
   * The helm release's name.
   * @default - the deployment's name
   */
  readonly releaseName?: string;
  /**
   * The release's namespace.
   * @default - the deployment's name
   */
  readonly namespace?: string;
}

/** What `npm run adopt` makes of a deployment's values files. */
export interface AdoptionPlan {
  /** The deployment's name (construct id, and release name and namespace unless these are given). */
  readonly name: string;
  /** The live release's name, when it is not `name`: the adopted deployment keeps it, so its objects are the release's. */
  readonly releaseName?: string;
  /** The live release's namespace, when it is not the release name (the deployment's default). */
  readonly namespace?: string;
  /** The tokens found in the values files; the others are generated when the secrets file is written. */
  readonly tokens: Partial<BinderHubTokenValues>;
  readonly credentials: DeploymentCredentials;
  readonly registry: RegistryPlan;
  readonly builder: BuilderPlan;
  readonly ingress?: IngressPlan;
  /** The auth prop, its client secret in `credentials.oauthClientSecret`. */
  readonly auth?: AuthPlan;
  /** A hand-set hub URL: `fixed` (an https DNS name: the hubUrl prop) or `discovered` (recorded in hub-urls/). */
  readonly hubUrl?: { readonly url: string; readonly kind: 'fixed' | 'discovered' };
  /** The values no prop took, for `chartValues`. */
  readonly chartValues: Values;
  /** The values no prop took that are secret: for the secrets file's `"chartValues"` (`secretChartValues`). */
  readonly secretChartValues: Values;
  /** Settings replaced or not carried over, and what became of them. */
  readonly notes: ReadonlyArray<AdoptionNote>;
}

/**
 * Maps merged values of the guide's files (either layout) to a deployment's typed props. Every factory and prop
 * check runs here (with the real credentials), so a plan that comes back synthesizes; a setting that cannot be
 * mapped fails with one line naming it. Secret values are registered for redaction and never quoted.
 * `fromSecretFiles` marks (`true`) the leaves of `merged` whose value came from a --secret file (`readAdoptedValues`).
 */
export function planAdoption(name: string, merged: Values, location: ReleaseLocation = {}, fromSecretFiles: Values = {}): AdoptionPlan {
  const values = cloneValues(merged);
  const notes: AdoptionNote[] = [];
  const tokens = takeTokens(values, notes);
  const credentials: { -readonly [K in keyof DeploymentCredentials]: DeploymentCredentials[K] } = {};
  const registry = planRegistry(values, notes);
  if (registry.password !== undefined) credentials.registryPassword = registry.password;
  takeRepoTokens(values, credentials, notes);
  registerSecrets(...Object.values(credentials));
  const releaseName = location.releaseName ?? name;
  const builder = planBuilder(values, notes, releaseName);
  const built = callFactory(registry.plan, registry.password ?? '');
  if (!built.pushesImages && builder.factory !== 'host') {
    throw new ConfigError(`the values build with Builder.${builder.factory}() but push to no registry (config.BinderHub.use_registry false or no registry.*); `
      + 'user pods could never start those images: add the registry settings, or use imageBuilderType host');
  }
  refuseSecretsOutsideSecrets(values, fromSecretFiles);
  const ingress = planIngress(values, notes, releaseName);
  const hubUrl = takeHubUrl(values, ingress, notes);
  // Before the secret-named leaves are taken: the client secret becomes the credential oauthClientSecret.
  const auth = planAuth(values, notes, { ingress, hubUrl: hubUrl?.kind === 'fixed' ? hubUrl.url : undefined }, credentials);
  dropLeftovers(values, notes);
  const secretChartValues = takeSecretValues(values, fromSecretFiles, notes);
  // Named as the values files name them, before binderHubValues would name them as chartValues.
  for (const setting of EXTRA_ENV_PATHS) checkExtraEnv(getPath(values, setting), setting);
  // The chart values must pass the checks a synth makes.
  binderHubValues({
    tokens: BinderHubTokens.generate(), registryValues: {}, builderValues: {}, hubUrlValues: {},
    publicHosts: ingress && ingressSetup(ingressOptions(ingress), releaseName), chartValues: values,
  });
  const namespace = location.namespace ?? name;
  return {
    name, ...(releaseName !== name ? { releaseName } : {}), ...(namespace !== releaseName ? { namespace } : {}),
    tokens, credentials, registry: registry.plan, builder, ingress, auth, hubUrl, chartValues: values, secretChartValues, notes,
  };
}

/** The secrets file of a plan: its content, its tokens with the missing ones generated (named), and its credentials. */
export function adoptedSecrets(plan: AdoptionPlan): { content: string; generated: Array<keyof BinderHubTokenValues>; tokens: BinderHubTokens } {
  const fresh = BinderHubTokens.generate().values;
  const generated = TOKEN_NAMES.filter(token => plan.tokens[token] === undefined);
  const tokens = Object.fromEntries(TOKEN_NAMES.map(token => [token, plan.tokens[token] ?? fresh[token]]));
  const checked = BinderHubTokens.fromValues(tokens, 'the adopted tokens'); // no two alike
  const chartValues = Object.keys(plan.secretChartValues).length > 0 ? { chartValues: plan.secretChartValues } : {};
  return { content: JSON.stringify({ tokens, credentials: plan.credentials, ...chartValues }, null, 2) + '\n', generated: [...generated], tokens: checked };
}

function takeTokens(values: Values, notes: AdoptionNote[]): Partial<BinderHubTokenValues> {
  const tokens: Partial<Record<keyof BinderHubTokenValues, string>> = {};
  for (const token of TOKEN_NAMES) {
    const setting = TOKEN_SETTINGS[token];
    let value = takePath(values, setting);
    if (token === 'cryptKeeperKey' && value !== undefined) {
      if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${setting} must be a list of keys in the values files`);
      if (value.length > 1) notes.push({ setting, outcome: `${value.length - 1} older key(s) after the first not carried over: auth state encrypted with them becomes unreadable` });
      value = value[0];
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !TOKEN_PATTERN.test(value)) {
      throw new ConfigError(`${setting} in the values files is not 64 lowercase hex characters (openssl rand -hex 32), which the secrets file needs; `
        + 'remove it to have a new one generated');
    }
    registerSecrets(value);
    tokens[token] = value;
  }
  const rest = takePath(values, 'jupyterhub.hub.config.CryptKeeper');
  if (isPlainObject(rest)) for (const leaf of leafPaths(rest, 'jupyterhub.hub.config.CryptKeeper')) notes.push({ setting: leaf, outcome: 'not carried over: the tokens own CryptKeeper' });
  return tokens;
}

/** GitHub and GitLab tokens of both layouts (today's `config.*RepoProvider`, the 2019 top-level `github`, `gitlab`). */
function takeRepoTokens(values: Values, credentials: { githubAccessToken?: string; gitlabPrivateToken?: string }, notes: AdoptionNote[]): void {
  const github = stringSetting(values, 'config.GitHubRepoProvider.access_token') ?? legacyToken(values, 'github', ['accessToken', 'access_token'], notes);
  const gitlab = stringSetting(values, 'config.GitLabRepoProvider.private_token') ?? legacyToken(values, 'gitlab', ['privateToken', 'private_token'], notes);
  if (github) credentials.githubAccessToken = github;
  if (gitlab) credentials.gitlabPrivateToken = gitlab;
}

function legacyToken(values: Values, section: string, keys: string[], notes: AdoptionNote[]): string | undefined {
  const found = keys.map(key => stringSetting(values, `${section}.${key}`)).find(v => v !== undefined);
  const rest = takePath(values, section);
  if (found !== undefined) notes.push({ setting: section, outcome: `a 2019 setting; its token is now ${section === 'github' ? 'githubAccessToken' : 'gitlabPrivateToken'}, from the secrets file` });
  if (isPlainObject(rest)) for (const leaf of leafPaths(rest, section)) notes.push({ setting: leaf, outcome: 'a 2019 setting with no equivalent: not carried over' });
  return found;
}

/** A hand-set hub URL (today's `config.BinderHub.hub_url`, the 2019 `hub.url`). */
function takeHubUrl(values: Values, ingress: IngressPlan | undefined, notes: AdoptionNote[]): AdoptionPlan['hubUrl'] {
  const setting = hasPath(values, 'config.BinderHub.hub_url') ? 'config.BinderHub.hub_url' : 'hub.url';
  const given = stringSetting(values, 'config.BinderHub.hub_url') ?? stringSetting(values, 'hub.url');
  if (setting === 'hub.url' && given !== undefined) notes.push({ setting, outcome: 'a 2019 setting today\'s chart refuses; the hub URL below' });
  if (given === undefined || given === '') return undefined;
  const url = normalizeHubUrl(given, setting);
  if (ingress) {
    const fromHost = `${ingress.hubTls ? 'https' : 'http'}://${ingress.hubHost}/`;
    if (url !== fromHost) notes.push({ setting, outcome: `replaced by ${fromHost}, which the ingress prop makes from jupyterhub.ingress.hosts` });
    return undefined;
  }
  const parsed = new URL(url);
  return { url, kind: parsed.protocol === 'https:' && isHostName(parsed.hostname) ? 'fixed' : 'discovered' };
}

/**
 * Takes out what no prop took but the props own or today's chart refuses, noting each with what replaced it.
 */
function dropLeftovers(values: Values, notes: AdoptionNote[]): void {
  for (const [legacy, instead] of LEGACY_PATHS) {
    if (takePath(values, legacy) !== undefined) notes.push({ setting: legacy, outcome: `a 2019 setting today's chart refuses: ${instead}` });
  }
  for (const [managed, owner] of MANAGED_PATHS) {
    if (takePath(values, managed) !== undefined) notes.push({ setting: managed, outcome: `set by ${owner}` });
  }
}

/**
 * The plan with the live release's tokens (Secret `hub`, `readClusterTokens`) filling the ones the values files
 * lack; a token both have but that differs keeps the files' value, noted. Returns the names taken from the cluster.
 */
export function withClusterTokens(plan: AdoptionPlan, cluster: Partial<BinderHubTokenValues>): { plan: AdoptionPlan; fromCluster: Array<keyof BinderHubTokenValues> } {
  const fromCluster = TOKEN_NAMES.filter(token => plan.tokens[token] === undefined && cluster[token] !== undefined);
  const differing = TOKEN_NAMES.filter(token => plan.tokens[token] !== undefined && cluster[token] !== undefined && cluster[token] !== plan.tokens[token]);
  const notes = [...plan.notes, ...differing.map(token => ({
    setting: TOKEN_SETTINGS[token],
    outcome: 'differs from Secret hub of the live release: the values files\' token is kept, so the first apply changes it',
  }))];
  const tokens = { ...plan.tokens, ...Object.fromEntries(fromCluster.map(token => [token, cluster[token]])) };
  return { plan: { ...plan, tokens, notes }, fromCluster: [...fromCluster] };
}
