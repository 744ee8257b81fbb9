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
  readonly props: Readonly<Record<string, string>>;
  /** The prop that takes `credentials.registryPassword`. */
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
  const none = useRegistry === false || enabled === false || [url, username, password, imagePrefix].every(v => v === undefined);
  const plan: RegistryPlan = none ? { factory: 'none', props: {} }
    : chooseFactory({ url, username, imagePrefix, tokenUrl: dockerRegistry.token_url, apiUrl: dockerRegistry.url });
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
  const registry = callFactory(plan, password ?? '');
  const emitted = (registry.chartValues().config as Values).DockerRegistry as Values | undefined ?? {};
  for (const [key, given] of Object.entries(dockerRegistry)) {
    if (sameUrl(given, emitted[key])) continue;
    throw new ConfigError(`config.DockerRegistry.${key} is not what Registry.${plan.factory} sets (${key in emitted ? 'another value' : 'nothing'}), `
      + 'so adopt cannot carry it over; remove it from the values files, or adopt with registry.url naming the registry it belongs to');
  }
  return { plan, password };
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
  readonly imagePrefix?: string;
  readonly tokenUrl?: unknown;
  readonly apiUrl?: unknown;
}

/** The factory docs/adopt.md's table gives for these settings. */
function chooseFactory(inputs: RegistryInputs): RegistryPlan {
  const urlHost = hostOf(inputs.url);
  if (inputs.imagePrefix === undefined) {
    throw new ConfigError('config.BinderHub.image_prefix is missing: the registry settings (registry.*) push images under it; add it to the values files, '
      + 'such as <user>/binder- for Docker Hub or <registry host>/<project>/binder- elsewhere');
  }
  const host = urlHost ?? (inputs.imagePrefix.includes('.') ? inputs.imagePrefix.split('/')[0] : undefined);
  // Stryker disable next-line StringLiteral: every factory that takes the user name refuses an empty one and one with spaces alike
  const username = inputs.username ?? '';
  if (host === undefined || /^(index\.|registry-1\.)?docker\.io$/.test(host)) {
    return { factory: 'dockerHub', props: { username, imagePrefix: inputs.imagePrefix }, passwordProp: 'password' };
  }
  if (/^([a-z]+\.)?gcr\.io$/.test(host)) {
    if (inputs.username !== undefined && inputs.username !== '_json_key') {
      throw new ConfigError(`registry.username "${inputs.username}" with a gcr.io registry: Registry.gcr logs in as _json_key with the service-account key in registry.password; remove registry.username`);
    }
    return { factory: 'gcr', props: { imagePrefix: inputs.imagePrefix }, passwordProp: 'serviceAccountKey' };
  }
  const acr = /^([a-z0-9]+)\.azurecr\.io$/.exec(host);
  if (acr) return { factory: 'acr', props: { name: acr[1], servicePrincipalId: username, imagePrefix: inputs.imagePrefix }, passwordProp: 'servicePrincipalPassword' };
  if (host.endsWith('.container-registry.ovh.net') || String(inputs.tokenUrl ?? '').endsWith('/service/token?service=harbor-registry')) {
    return { factory: 'harbor', props: { host, username, imagePrefix: inputs.imagePrefix }, passwordProp: 'password' };
  }
  const props: Record<string, string> = { url: inputs.url ?? `https://${host}`, username, imagePrefix: inputs.imagePrefix };
  if (typeof inputs.tokenUrl === 'string') props.tokenUrl = inputs.tokenUrl;
  if (typeof inputs.apiUrl === 'string') props.apiUrl = inputs.apiUrl;
  return { factory: 'custom', props, passwordProp: 'password' };
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
