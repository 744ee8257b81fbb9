import { getPath, takePath } from './adopt-values';
import { ConfigError } from '../core/errors';
import { Registry } from '../deployment/registry';
import { isPlainObject, Values } from '../core/values';

/** The registry factories `npm run adopt` can choose. */
export type RegistryFactory = 'none' | 'gcr' | 'dockerHub' | 'acr' | 'harbor' | 'custom';

/** The registry an adopted deployment gets: the factory, its props without the password, and the password's prop. */
export interface RegistryPlan {
  readonly factory: RegistryFactory;
  /** Props that are not secret, as the module writes them. */
  readonly props: Readonly<Record<string, string | boolean>>;
  /** The prop that takes `credentials.registryPassword`; none for a registry without a login. */
  readonly passwordProp?: string;
}

/** A setting that adoption replaced or could not carry over, and what became of it. */
export interface AdoptionNote {
  readonly setting: string;
  readonly outcome: string;
}

/** A string setting of the values, or undefined; anything else fails, naming it. */
export function stringSetting(values: Values, path: string): string | undefined {
  const value = takePath(values, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${path} must be a string in the values files, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  return value;
}

/**
 * Takes the registry settings of both layouts out of `values` (today's `registry.url/username/password`,
 * `config.BinderHub.use_registry/image_prefix`, `config.DockerRegistry.*`; the 2019 `registry.prefix`, `enabled`,
 * `host`, `authHost`, `tokenUrl`) and decides the factory as docs/adopt.md's table does. The factory itself then checks the
 * settings (it is called with the password), and every `config.DockerRegistry` setting given must be what it emits.
 */
export function planRegistry(values: Values, notes: AdoptionNote[]): { plan: RegistryPlan; password?: string } {
  const legacy: Record<string, unknown> = {};
  for (const key of ['prefix', 'enabled', 'host', 'authHost', 'tokenUrl']) {
    legacy[key] = takePath(values, `registry.${key}`);
  }
  if (legacy.prefix !== undefined && typeof legacy.prefix !== 'string') throw new ConfigError('registry.prefix must be a string in the values files');
  const legacyPrefix = legacy.prefix as string | undefined;
  const enabled = legacy.enabled;
  const url = stringSetting(values, 'registry.url');
  const username = stringSetting(values, 'registry.username');
  const password = stringSetting(values, 'registry.password');
  const useRegistry = takePath(values, 'config.BinderHub.use_registry');
  const imagePrefix = stringSetting(values, 'config.BinderHub.image_prefix') ?? legacyPrefix;
  const dockerRegistry = takePath(values, 'config.DockerRegistry') ?? {};
  if (!isPlainObject(dockerRegistry)) throw new ConfigError('config.DockerRegistry must be a map in the values files');
  dropNoTokenUrl(dockerRegistry, notes);
  const none = useRegistry === false || enabled === false || [url, username, password, imagePrefix].every(v => v === undefined);
  const plan: RegistryPlan = none ? { factory: 'none', props: {} }
    : chooseFactory({ url, username, password, imagePrefix, tokenUrl: dockerRegistry.token_url, apiUrl: dockerRegistry.url }, notes);
  for (const key of Object.keys(legacy).filter(k => legacy[k] !== undefined)) {
    notes.push({ setting: `registry.${key}`, outcome: `a 2019 setting today's chart refuses; replaced by Registry.${plan.factory}(${key === 'prefix' ? '{ imagePrefix }' : ''})` });
  }
  const registryClass = getPath(values, 'config.BinderHub.registry_class');
  if (registryClass !== undefined) {
    notes.push({
      setting: 'config.BinderHub.registry_class', outcome: `kept in chartValues: no registry factory models BinderHub's ${String(registryClass)}; `
        + `Registry.${plan.factory} sets the registry login and config.DockerRegistry it reads, so check the two together`,
    });
  }
  if (none) {
    const unused = ([['registry.url', url], ['registry.username', username], ['registry.password', password], ['config.BinderHub.image_prefix', imagePrefix]] as const)
      .filter(([, value]) => value !== undefined);
    const off = useRegistry === false ? 'config.BinderHub.use_registry is false' : 'the 2019 registry.enabled is false';
    for (const [setting] of unused) notes.push({ setting, outcome: `not carried over: ${off}, so Registry.none()` });
    return { plan };
  }
  const emittedValues = callFactory(plan, password ?? '').chartValues();
  const emittedUrl = (emittedValues.registry as Values).url as string;
  if (url !== undefined && url !== emittedUrl) {
    notes.push({ setting: 'registry.url', outcome: `written as ${emittedUrl}, the config.json key Registry.${plan.factory} keeps the login under`
      + (plan.factory === 'dockerHub' ? ' and also gives as config.DockerRegistry.auth_config_url, where BinderHub looks it up (the two must match byte for byte)' : '') });
  }
  const emitted = (emittedValues.config as Values).DockerRegistry as Values | undefined ?? {};
  for (const [key, given] of Object.entries(dockerRegistry)) {
    if (given === emitted[key]) continue;
    if (!sameUrl(given, emitted[key]) && !(key === 'url' && isDockerHubApi(given) && isDockerHubApi(emitted[key]))) {
      throw new ConfigError(`config.DockerRegistry.${key} is not what Registry.${plan.factory} sets (${key in emitted ? 'another value' : 'nothing'}), `
        + 'so adopt cannot carry it over; remove it from the values files, or adopt with registry.url naming the registry it belongs to');
    }
    notes.push({ setting: `config.DockerRegistry.${key}`, outcome: `written as ${String(emitted[key])}, the same ${key === 'url' ? 'registry API' : 'URL'} as Registry.${plan.factory} sets it` });
  }
  return { plan, password };
}

/**
 * Removes a `token_url` that means "none": the guide's htpasswd advice prints `token_url: None`, a string BinderHub
 * would request as a URL, and a YAML null, which helm deletes from a later file and BinderHub's string setting refuses.
 */
function dropNoTokenUrl(dockerRegistry: Values, notes: AdoptionNote[]): void {
  const tokenUrl = dockerRegistry.token_url;
  if (tokenUrl !== null && tokenUrl !== 'None') return;
  delete dockerRegistry.token_url;
  const given = tokenUrl === null ? 'null' : 'the string "None" (the guide\'s htpasswd advice, meant as Python\'s None), which BinderHub would request as a URL';
  notes.push({ setting: 'config.DockerRegistry.token_url', outcome: `${given}: adopted as no token_url (basic auth, or the token endpoint the registry names when asked)` });
}

/** Whether `url` is Docker Hub's registry API: BinderHub's default for it, or the host docker itself uses. */
function isDockerHubApi(url: unknown): boolean {
  return typeof url === 'string' && /^https:\/\/(registry\.hub\.docker\.com|registry-1\.docker\.io)\/?$/.test(url);
}

/** Makes the registry of `plan` with `password`, as the module will: the factory's own checks run. */
export function callFactory(plan: RegistryPlan, password: string): Registry {
  const props = { ...plan.props, ...(plan.passwordProp ? { [plan.passwordProp]: password } : {}) };
  try {
    return (Registry as unknown as Record<string, (p: object) => Registry>)[plan.factory](props);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`the registry settings (registry.*, config.BinderHub.image_prefix) map to Registry.${plan.factory}, which refuses them: ${error.message}`);
  }
}

interface RegistryInputs {
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
  readonly imagePrefix?: string;
  readonly tokenUrl?: unknown;
  readonly apiUrl?: unknown;
}

/** Docker Hub's hosts, as registry.url names them (BinderHub's default API URL among them). */
const DOCKER_HUB_HOST = /^((index\.|registry-1\.)?docker\.io|registry\.hub\.docker\.com)$/;

/** The factory docs/adopt.md's table gives for these settings. */
function chooseFactory(inputs: RegistryInputs, notes: AdoptionNote[]): RegistryPlan {
  const urlHost = hostOf(inputs.url);
  if (inputs.imagePrefix === undefined) {
    throw new ConfigError('config.BinderHub.image_prefix is missing: the registry settings (registry.*) push images under it; add it to the values files, '
      + 'such as <user>/binder- for Docker Hub or <registry host>/<project>/binder- elsewhere');
  }
  const host = urlHost ?? prefixHost(inputs.imagePrefix);
  // Stryker disable next-line StringLiteral: every factory that takes the user name refuses an empty one and one with spaces alike
  const username = inputs.username ?? '';
  if (host === undefined || DOCKER_HUB_HOST.test(host)) {
    return { factory: 'dockerHub', props: { username, imagePrefix: inputs.imagePrefix }, passwordProp: 'password' };
  }
  const login = inputs.username !== undefined || inputs.password !== undefined;
  if (login && /^([a-z]+\.)?gcr\.io$/.test(host)) {
    if (inputs.username !== undefined && inputs.username !== '_json_key') {
      throw new ConfigError(`registry.username "${inputs.username}" with a gcr.io registry: Registry.gcr logs in as _json_key with the service-account key in registry.password; remove registry.username`);
    }
    return { factory: 'gcr', props: { imagePrefix: inputs.imagePrefix }, passwordProp: 'serviceAccountKey' };
  }
  const acr = /^([a-z0-9]+)\.azurecr\.io$/.exec(host);
  if (login && acr) return { factory: 'acr', props: { name: acr[1], servicePrincipalId: username, imagePrefix: inputs.imagePrefix }, passwordProp: 'servicePrincipalPassword' };
  if (login && (host.endsWith('.container-registry.ovh.net') || String(inputs.tokenUrl ?? '').endsWith('/service/token?service=harbor-registry'))) {
    return { factory: 'harbor', props: { host, username, imagePrefix: inputs.imagePrefix }, passwordProp: 'password' };
  }
  const url = inputs.url ?? `https://${host}`;
  const props: Record<string, string | boolean> = { url, ...(inputs.username !== undefined ? { username: inputs.username } : {}), imagePrefix: inputs.imagePrefix };
  if (typeof inputs.tokenUrl === 'string') props.tokenUrl = inputs.tokenUrl;
  if (typeof inputs.apiUrl === 'string') props.apiUrl = inputs.apiUrl;
  if (url.startsWith('http://')) {
    props.allowInsecureHttp = true;
    notes.push({ setting: 'registry.url', outcome: 'http://, kept with Registry.custom({ allowInsecureHttp: true }): the builder and the nodes\' container runtime '
      + 'must be told the registry is insecure, as for the helm release' });
  }
  if (!login) {
    notes.push({ setting: 'registry.username, registry.password', outcome: 'not given: Registry.custom without a login and without a pull Secret, for a registry that asks '
      + 'for none or where the nodes and config.BinderHub.registry_class authenticate; if it needs one, adopt with the file that holds it (--secret)' });
  }
  return { factory: 'custom', props, ...(login ? { passwordProp: 'password' } : {}) };
}

/** The registry host an image prefix starts with, read as docker reads image names: none means Docker Hub. */
function prefixHost(imagePrefix: string): string | undefined {
  const [first, ...rest] = imagePrefix.split('/');
  return rest.length > 0 && (first === 'localhost' || /[.:]/.test(first)) ? first : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    throw new ConfigError(`registry.url is not a URL; give the registry's URL, such as https://registry.example.org`);
  }
}

/** Whether two settings are equal, reading URLs with and without a trailing slash as the same. */
function sameUrl(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a.replace(/\/$/, '') === b.replace(/\/$/, '')
    // Stryker disable next-line ConditionalExpression: the values are a JSON copy (no undefined) and factories emit only strings, so non-strings are never equal
    : a === b;
}
