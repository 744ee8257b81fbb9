import { AuthSetup } from '../service/auth';
import { ConfigError } from '../core/errors';
import { PublicHostsSetup } from '../service/public-hosts';
import { MonitoringSetup } from './monitoring';
import { ServicePolicySetup } from '../service/service-policy';
import { BinderHubTokens } from '../secrets/tokens';
import { deepMerge, getPath, hasPath, isPlainObject, leafPaths, Values } from '../core/values';

/** What the BinderHub construct turns into chart values. */
export interface BinderHubValuesInput {
  readonly tokens: BinderHubTokens;
  readonly registryValues: Values;
  readonly builderValues: Values;
  readonly hubUrlValues: Values;
  /** Set when the deployment is on public hosts (the ingress or gateway prop). */
  readonly publicHosts?: PublicHostsSetup;
  /** Set when the deployment requires login (the auth prop). */
  readonly auth?: AuthSetup;
  /** The policy prop: resources, culling, quotas, network. */
  readonly policy?: ServicePolicySetup;
  /** The monitoring prop: metrics on and reachable. */
  readonly monitoring?: MonitoringSetup;
  readonly githubAccessToken?: string;
  readonly gitlabPrivateToken?: string;
  readonly chartValues?: Values;
  /** Chart values from the secrets file, merged over `chartValues` (which may not set the same settings). */
  readonly secretChartValues?: Values;
}

/** Chart values that typed props or the secrets file own: setting them through `chartValues` would fight those. */
export const MANAGED_PATHS: ReadonlyArray<[string, string]> = [
  ['jupyterhub.proxy.secretToken', 'the secrets file (npm run init-secrets)'],
  ['jupyterhub.hub.cookieSecret', 'the secrets file (npm run init-secrets)'],
  ['jupyterhub.hub.config.CryptKeeper', 'the secrets file (npm run init-secrets)'],
  ['jupyterhub.hub.services.binder.apiToken', 'the secrets file (npm run init-secrets)'],
  ['config.BinderHub.build_token_secret', 'the secrets file (npm run init-secrets)'],
  ['config.BinderHub.hub_url', 'the hubUrl prop (or npm run patch-hub-url)'],
  ['extraConfig.binderhub-cdk8s-hub-url', 'the hubUrl prop (or npm run patch-hub-url)'],
  ['podAnnotations.checksum/hub-url', 'the hubUrl prop (or npm run patch-hub-url)'],
  ['podAnnotations.checksum/binder-api-token', 'the secrets file (npm run init-secrets)'],
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
];

/** Fails, naming `setting` and the path, on a value a typed prop owns or that today's chart refuses. */
function checkExtraValues(values: Values, setting: string, propPaths: Array<[string, string]>): void {
  for (const [legacy, instead] of LEGACY_PATHS) {
    if (hasPath(values, legacy)) {
      throw new ConfigError(`${setting}.${legacy} is a setting of the 2019 chart that today's binderhub chart refuses; ${instead}`);
    }
  }
  for (const [managed, owner] of [...MANAGED_PATHS, ...propPaths]) {
    if (hasPath(values, managed)) {
      throw new ConfigError(`${setting}.${managed} is set by ${owner}; remove it from ${setting}`);
    }
  }
  for (const path of EXTRA_ENV_PATHS) checkExtraEnv(getPath(values, path), `${setting}.${path}`);
}

/** Settings of the 2019-era guide that today's chart refuses (its schema, or a `fail` in NOTES.txt). */
export const LEGACY_PATHS: ReadonlyArray<[string, string]> = [
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
];

/** The settings the charts render with their `jupyterhub.extraEnv` template, which reads a list or a map. */
export const EXTRA_ENV_PATHS: ReadonlyArray<string> = [
  'extraEnv', 'imageCleaner.extraEnv', 'jupyterhub.hub.extraEnv', 'jupyterhub.proxy.chp.extraEnv', 'jupyterhub.proxy.traefik.extraEnv',
];

/**
 * Fails, naming `setting`, unless `extraEnv` is what the charts' `jupyterhub.extraEnv` template renders: none (null
 * drops the chart's default), a list of EnvVars, or a map of names to text or to an EnvVar without its name (mybinder's
 * form); it fails on other values, such as an unquoted number, yes or null.
 */
export function checkExtraEnv(extraEnv: unknown, setting: string): asserts extraEnv is Values | unknown[] | null | undefined {
  if (extraEnv === undefined || extraEnv === null || Array.isArray(extraEnv)) return;
  if (!isPlainObject(extraEnv)) {
    throw new ConfigError(`${setting} must be a list of {name, value | valueFrom} entries, or a map of names to a value or {valueFrom}`);
  }
  for (const [name, value] of Object.entries(extraEnv)) {
    if (typeof value !== 'string' && !isPlainObject(value)) {
      throw new ConfigError(`${setting}.${name} must be text or a map such as {valueFrom: ...}, as the chart reads it; quote a number or yes/no, or remove a null`);
    }
  }
}

/** An environment variable as a container's `env` lists it. */
export type EnvEntry = Values & { readonly name: string };

/** The entries of an `extraEnv` (checked by checkExtraEnv) as the chart renders them: a map's key names its entry. */
export function envEntries(extraEnv: Values | unknown[] | null | undefined): EnvEntry[] {
  if (Array.isArray(extraEnv)) return extraEnv as EnvEntry[];
  // As the chart's `merge (dict) $value (dict "name" $key)`: a name inside the entry wins over its key.
  return Object.entries(extraEnv ?? {}).map(([name, value]) => typeof value === 'string' ? { name, value } : { name, ...(value as Values) });
}

/**
 * `extraEnv` with `entries` added in its own form: a list (or none) gets them after its entries (helm would replace
 * a list, not merge it), a map gets them as more names.
 */
export function withEnvEntries(extraEnv: Values | unknown[] | null | undefined, entries: ReadonlyArray<EnvEntry>): Values | unknown[] {
  if (!isPlainObject(extraEnv)) return [...(extraEnv ?? []), ...entries];
  return { ...extraEnv, ...Object.fromEntries(entries.map(({ name, ...rest }) => [name, rest])) };
}

/**
 * Builds the values for today's binderhub chart. Fails, naming the setting, on anything in `chartValues`
 * that a typed prop owns or that the chart would refuse.
 */
export function binderHubValues(input: BinderHubValuesInput): Values {
  const extra = input.chartValues ?? {};
  const secret = input.secretChartValues ?? {};
  const hosts = input.publicHosts;
  const owned = (prop: string, paths: readonly string[] = []) => paths.map((p): [string, string] => [p, `the ${prop} prop`]);
  const propPaths = [
    ...owned(hosts?.prop ?? 'ingress', hosts?.ownedPaths), ...owned('auth', input.auth?.ownedPaths),
    ...owned('policy', input.policy?.ownedPaths), ...owned('monitoring', input.monitoring?.ownedPaths),
  ];
  checkExtraValues(extra, 'chartValues', propPaths);
  checkExtraValues(secret, 'secretChartValues', propPaths);
  const twice = leafPaths(secret).find(path => hasPath(extra, path));
  if (twice) {
    throw new ConfigError(`chartValues.${twice} is also set by secretChartValues (the secrets file's "chartValues"); keep it in one of them`);
  }
  const layers: Values[] = [
    input.policy?.defaults ?? {},
    extra,
    secret,
    input.registryValues,
    input.builderValues,
    input.tokens.toChartValues(),
    input.hubUrlValues,
    hosts?.values ?? {},
    input.auth?.values ?? {},
    input.policy?.values ?? {},
    input.monitoring?.values ?? {},
    input.githubAccessToken ? { config: { GitHubRepoProvider: { access_token: input.githubAccessToken } } } : {},
    input.gitlabPrivateToken ? { config: { GitLabRepoProvider: { private_token: input.gitlabPrivateToken } } } : {},
  ];
  return layers.reduce(deepMerge, {});
}
