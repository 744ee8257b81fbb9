import * as crypto from 'crypto';
import { ConfigError } from '../core/errors';
import { isHostName } from '../core/names';
import { redactUrl, registerSecrets } from '../core/redact';
import { Values } from '../core/values';

/** The name of the Secret of type kubernetes.io/dockerconfigjson that user pods pull built images with. */
export const IMAGE_PULL_SECRET_NAME = 'binder-image-pull-secret';

/** Options every registry with credentials shares. */
export interface RegistryCommonProps {
  /**
   * Whether user pods get a pull Secret (`binder-image-pull-secret`, type kubernetes.io/dockerconfigjson)
   * for the built images. Needed when the registry is private; harmless when it is not.
   * @default true
   */
  readonly pullSecret?: boolean;
}

/** Props for `Registry.gcr`. */
export interface GcrRegistryProps extends RegistryCommonProps {
  /** The whole JSON key file of a service account that may push (`registry.password` in the guide). */
  readonly serviceAccountKey: string;
  /**
   * `gcr.io/<project_id>/<prefix>-`: the host (gcr.io or a regional one such as eu.gcr.io), the key's
   * project_id, and a prefix for image names.
   */
  readonly imagePrefix: string;
}

/** Props for `Registry.dockerHub`. */
export interface DockerHubRegistryProps extends RegistryCommonProps {
  /** The Docker ID that logs in (a member of the organization, if images go to one). */
  readonly username: string;
  /** Its password or, better, an access token. */
  readonly password: string;
  /** `<docker-id or organization>/<prefix>-`, without a host. */
  readonly imagePrefix: string;
}

/** Props for `Registry.acr`. */
export interface AcrRegistryProps extends RegistryCommonProps {
  /** The registry's name: `<name>.azurecr.io`. */
  readonly name: string;
  /** The AppID of a service principal with the AcrPush role. */
  readonly servicePrincipalId: string;
  /** The service principal's password. */
  readonly servicePrincipalPassword: string;
  /** `<name>.azurecr.io/<project>/<prefix>-`: the project level is required (binderhub issue 800). */
  readonly imagePrefix: string;
}

/** Props for `Registry.harbor`. */
export interface HarborRegistryProps extends RegistryCommonProps {
  /** The registry host, without https://; for OVH `<hash>.<region>.container-registry.ovh.net`. */
  readonly host: string;
  /** A Harbor user that may push to the project. */
  readonly username: string;
  /** Its password. */
  readonly password: string;
  /** `<host>/<harbor-project>/<prefix>-`. */
  readonly imagePrefix: string;
}

/**
 * Props for `Registry.custom`. `username` and `password` go together: with neither, builds push and nodes pull
 * without a login (a local registry, or one where the nodes and BinderHub's `registry_class` authenticate by
 * identity), and user pods get no pull Secret (`pullSecret` defaults to false and cannot be true).
 */
export interface CustomRegistryProps extends RegistryCommonProps {
  /** The registry's URL, as the Docker config.json names it (`registry.url`), such as https://registry.example.org. */
  readonly url: string;
  /**
   * The user that logs in.
   * @default - no login (with no password either)
   */
  readonly username?: string;
  /**
   * Its password or token.
   * @default - no login (with no username either)
   */
  readonly password?: string;
  /**
   * `<registry host>/<project>/<prefix>-`; or `<registry host>/<prefix>-` when the host has a dot or a port, which
   * BinderHub reads as a registry host, not as a Docker Hub user (a registry of one's own, as mybinder.org runs).
   */
  readonly imagePrefix: string;
  /**
   * The token endpoint (`config.DockerRegistry.token_url`), such as `https://<host>/v2/token?service=`.
   * @default - none: htpasswd basic auth, or the endpoint BinderHub discovers from WWW-Authenticate
   */
  readonly tokenUrl?: string;
  /**
   * The registry's API URL when it differs from `url` (`config.DockerRegistry.url`).
   * @default - `url`
   */
  readonly apiUrl?: string;
  /**
   * Accept http:// URLs, for a test registry on a private network.
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
}

/** A user name and its password or token. */
interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

/** What a registry that images are pushed to puts into the chart values and the pull Secret. */
interface RegistrySpec {
  /** `registry.url`: the key of the push config.json's `auths`. */
  readonly url: string;
  /** None for a registry that asks for no login. */
  readonly login?: RegistryLogin;
  readonly imagePrefix: string;
  /** `config.DockerRegistry`. */
  readonly dockerRegistry?: Values;
  /** The key of the pull Secret's `auths`: the host as image names carry it. */
  readonly pullServer: string;
  /** Only with a login. */
  readonly pullSecret: boolean;
}

/** One entry of a Docker config.json: what a pull Secret holds for one registry. */
export interface DockerAuth {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Where BinderHub pushes the images it builds and user pods pull them from: one factory per kind of
 * registry that the "Set up BinderHub" guide covers, each producing the values the guide prescribes.
 */
export abstract class Registry {
  /**
   * No registry: images stay on the node that built them (`use_registry: false`). For single-node setups
   * such as minikube; on a cluster with several nodes, launches on other nodes rebuild.
   */
  public static none(): Registry {
    return new NoRegistry();
  }

  /** Google Container Registry with a service-account JSON key (username `_json_key`). */
  public static gcr(props: GcrRegistryProps): Registry {
    const factory = 'Registry.gcr';
    const key = parseServiceAccountKey(props.serviceAccountKey);
    const [host, project] = checkImagePrefix(factory, props.imagePrefix, { projectLevel: true });
    if (!/^([a-z]+\.)?gcr\.io$/.test(host)) {
      throw new ConfigError(`${factory} imagePrefix must start with gcr.io/ or a regional host such as eu.gcr.io/, got "${props.imagePrefix}"`);
    }
    if (project !== key.project_id) {
      throw new ConfigError(`${factory} imagePrefix project "${project}" is not the key's project_id "${key.project_id}"; `
        + `use ${host}/${key.project_id}/<prefix>- (the project ID, which may differ from the project name)`);
    }
    return new PushRegistry({
      url: `https://${host}`, login: { username: '_json_key', password: props.serviceAccountKey },
      imagePrefix: props.imagePrefix, pullServer: host, pullSecret: props.pullSecret ?? true,
    });
  }

  /** Docker Hub with a Docker ID and password or access token. */
  public static dockerHub(props: DockerHubRegistryProps): Registry {
    const factory = 'Registry.dockerHub';
    checkUsername(factory, 'username', props.username);
    checkPassword(factory, 'password', props.password);
    checkImagePrefix(factory, props.imagePrefix, { projectLevel: false });
    // The config.json key and auth_config_url must match byte for byte (trailing slash included), or BinderHub
    // looks up no credentials and rebuilds every image: set both, whatever the chart version's default.
    const authUrl = 'https://index.docker.io/v1/';
    return new PushRegistry({
      url: authUrl, login: { username: props.username, password: props.password }, imagePrefix: props.imagePrefix,
      dockerRegistry: {
        url: 'https://registry-1.docker.io',
        auth_config_url: authUrl,
        token_url: 'https://auth.docker.io/token?service=registry.docker.io',
      },
      pullServer: authUrl, pullSecret: props.pullSecret ?? true,
    });
  }

  /** Azure Container Registry with a service principal. */
  public static acr(props: AcrRegistryProps): Registry {
    const factory = 'Registry.acr';
    if (!/^[a-zA-Z0-9]{5,50}$/.test(props.name)) {
      throw new ConfigError(`${factory} name "${props.name}" is not an ACR name: 5 to 50 letters and digits, as in <name>.azurecr.io`);
    }
    if (!/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(props.servicePrincipalId)) {
      throw new ConfigError(`${factory} servicePrincipalId must be the service principal's AppID, a GUID such as `
        + '00000000-0000-0000-0000-000000000000');
    }
    checkPassword(factory, 'servicePrincipalPassword', props.servicePrincipalPassword);
    const host = `${props.name.toLowerCase()}.azurecr.io`;
    checkImagePrefix(factory, props.imagePrefix, { projectLevel: true, host });
    return new PushRegistry({
      url: `https://${host}`, login: { username: props.servicePrincipalId, password: props.servicePrincipalPassword },
      imagePrefix: props.imagePrefix,
      dockerRegistry: { token_url: `https://${host}/oauth2/token?service=${host}` },
      pullServer: host, pullSecret: props.pullSecret ?? true,
    });
  }

  /** A Harbor registry, such as OVH's Managed Private Registry. */
  public static harbor(props: HarborRegistryProps): Registry {
    const factory = 'Registry.harbor';
    checkHost(factory, props.host);
    checkUsername(factory, 'username', props.username);
    checkPassword(factory, 'password', props.password);
    checkImagePrefix(factory, props.imagePrefix, { projectLevel: true, host: props.host });
    return new PushRegistry({
      url: `https://${props.host}`, login: { username: props.username, password: props.password }, imagePrefix: props.imagePrefix,
      // Harbor's token service names itself harbor-registry; without ?service= it refuses the token request.
      dockerRegistry: { url: `https://${props.host}`, token_url: `https://${props.host}/service/token?service=harbor-registry` },
      pullServer: props.host, pullSecret: props.pullSecret ?? true,
    });
  }

  /** Any other registry: its URL, its login if it asks for one and, if it issues tokens, its token URL. */
  public static custom(props: CustomRegistryProps): Registry {
    const factory = 'Registry.custom';
    const allowHttp = props.allowInsecureHttp ?? false;
    const url = checkUrl(factory, 'url', props.url, allowHttp);
    const login = optionalLogin(factory, props.username, props.password);
    if (!login && props.pullSecret) {
      throw new ConfigError(`${factory} pullSecret needs a username and password: without a login user pods have nothing to pull with, `
        + 'and their nodes pull as themselves; leave pullSecret out');
    }
    checkImagePrefix(factory, props.imagePrefix, { projectLevel: true, host: url.host, hostAlone: true });
    const dockerRegistry: Values = {};
    if (props.apiUrl !== undefined) {
      dockerRegistry.url = checkUrl(factory, 'apiUrl', props.apiUrl, allowHttp).href.replace(/\/$/, '');
    }
    if (props.tokenUrl !== undefined) {
      dockerRegistry.token_url = checkUrl(factory, 'tokenUrl', props.tokenUrl, allowHttp).href;
    }
    return new PushRegistry({
      url: props.url, login, imagePrefix: props.imagePrefix,
      dockerRegistry: Object.keys(dockerRegistry).length > 0 ? dockerRegistry : undefined,
      pullServer: url.host, pullSecret: login !== undefined && (props.pullSecret ?? true),
    });
  }

  /** Whether built images are pushed somewhere the kubelet can pull them from (`use_registry`). @internal */
  public abstract readonly pushesImages: boolean;

  /** The chart values for this registry. @internal */
  public abstract chartValues(): Values;

  /** The credentials user pods pull with, if they get a pull Secret. @internal */
  public abstract pullAuth(): DockerAuth | undefined;
}

class NoRegistry extends Registry {
  public readonly pushesImages = false;
  public chartValues(): Values {
    return { config: { BinderHub: { use_registry: false } } };
  }
  public pullAuth(): DockerAuth | undefined {
    return undefined;
  }
}

class PushRegistry extends Registry {
  public readonly pushesImages = true;
  constructor(private readonly spec: RegistrySpec) {
    super();
    if (spec.login) registerSecrets(spec.login.password);
  }

  public chartValues(): Values {
    const { spec } = this;
    const config: Values = { BinderHub: { use_registry: true, image_prefix: spec.imagePrefix } };
    if (spec.dockerRegistry) {
      config.DockerRegistry = spec.dockerRegistry;
    }
    // Without a login the chart still keys a placeholder one (`<token>:%!s(<nil>)`) under the URL, as it does for
    // binderhub's own CI registry: BinderHub takes its registry URL from that key, and a registry asking for no login ignores it.
    const values: Values = { registry: { url: spec.url, ...spec.login }, config };
    if (spec.pullSecret) {
      values.jupyterhub = { singleuser: { image: { pullSecrets: [IMAGE_PULL_SECRET_NAME] } } };
    }
    return values;
  }

  public pullAuth(): DockerAuth | undefined {
    const { spec } = this;
    return spec.pullSecret && spec.login ? { server: spec.pullServer, ...spec.login } : undefined;
  }
}

interface ServiceAccountKey {
  readonly project_id: string;
}

function parseServiceAccountKey(json: string): ServiceAccountKey {
  const hint = 'give the whole JSON key file downloaded for the service account';
  let key: any;
  try {
    key = JSON.parse(json);
  } catch {
    // JSON.parse quotes the text near the error: a piece of the private key. Say what, not where.
    throw new ConfigError(`Registry.gcr serviceAccountKey is not JSON; ${hint}`);
  }
  // null, arrays and primitives have no "type" either.
  if (key?.type !== 'service_account') {
    throw new ConfigError(`Registry.gcr serviceAccountKey is not a service-account key ("type": "service_account"); ${hint}`);
  }
  for (const field of ['project_id', 'private_key', 'client_email']) {
    if (typeof key[field] !== 'string' || key[field] === '') {
      throw new ConfigError(`Registry.gcr serviceAccountKey has no "${field}"; ${hint}`);
    }
  }
  if (!isPrivateKeyPem(key.private_key)) {
    throw new ConfigError(`Registry.gcr serviceAccountKey "private_key" is not a PEM private key (-----BEGIN PRIVATE KEY-----); ${hint}`);
  }
  registerSecrets(json, key.private_key);
  return key;
}

/** Whether `text` is an unencrypted private key in PEM, as Google's key files hold one. */
function isPrivateKeyPem(text: string): boolean {
  try {
    crypto.createPrivateKey({ key: text, format: 'pem' });
    return true;
  } catch {
    return false; // its message is not quoted: it could describe the key
  }
}

/** The login of a registry that may ask for none: both its user name and password, or neither. */
function optionalLogin(factory: string, username: string | undefined, password: string | undefined): RegistryLogin | undefined {
  if (username === undefined && password === undefined) return undefined;
  const neither = 'or neither for a registry that asks for no login';
  if (username === undefined) throw new ConfigError(`${factory} has a password but no username; give the user name that logs in, ${neither}`);
  if (password === undefined) {
    throw new ConfigError(`${factory} has a username but no password; put it in the deployment's secrets file as credentials.registryPassword, ${neither}`);
  }
  checkUsername(factory, 'username', username);
  checkPassword(factory, 'password', password);
  return { username, password };
}

function checkPassword(factory: string, field: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${factory} ${field} is empty; the chart would push with a password of "%!s(<nil>)". `
      + 'Put it in the deployment\'s secrets file as credentials.registryPassword');
  }
}

function checkUsername(factory: string, field: string, value: string): void {
  if (typeof value !== 'string' || value === '' || /[\s:]/.test(value)) {
    throw new ConfigError(`${factory} ${field} must be a non-empty user name without spaces or ':'`);
  }
}

/** Checks a registry host: a DNS name with an optional port, 1 to 65535. */
function checkHost(factory: string, host: string): void {
  const at = host.lastIndexOf(':');
  const [name, port] = at === -1 ? [host, undefined] : [host.slice(0, at), host.slice(at + 1)];
  if (!isHostName(name)) {
    throw new ConfigError(`${factory} host "${redactUrl(host)}" must be a DNS name such as abcde.gra7.container-registry.ovh.net, `
      + 'with an optional :port, without https://');
  }
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new ConfigError(`${factory} host "${host}" has the port "${port}"; a port is a number from 1 to 65535, or leave it out for 443`);
  }
}

/** Checks a registry URL; messages quote it without credentials, and credentials in it are refused. */
function checkUrl(factory: string, field: string, value: string, allowHttp: boolean): URL {
  const quoted = `${factory} ${field} "${redactUrl(value)}"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${quoted} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new ConfigError(`${quoted} must use https://`
      + (url.protocol === 'http:' ? ' (set allowInsecureHttp for a test registry on a private network)' : ''));
  }
  if (url.username || url.password) {
    // The URL is config.json's key and BinderHub's DockerRegistry.url: a password there would be a second, unchecked copy.
    throw new ConfigError(`${quoted} must carry no user name or password; give them as ${factory} username and password`);
  }
  return url;
}

/**
 * Whether today's BinderHub reads the first part of an image name as a registry host (a dot or a port in it), not as
 * a Docker Hub user: then `<host>/<prefix>-` names the host's own repositories, as a registry of one's own (such as
 * mybinder.org's) is used, and the project level is the registry's choice (its _get_image_basename_and_tag).
 */
function readAsRegistryHost(part: string): boolean {
  return part.includes('.') || part.includes(':');
}

/**
 * Checks an image prefix and returns its path components (host first, when it has one). With a project level,
 * the prefix is `<host>/<project>/.../<prefix>`: BinderHub once assumed that extra level and, without it,
 * rebuilt every image on every launch (binderhub issue 800); the guide still asks for it.
 */
function checkImagePrefix(factory: string, prefix: string, options: { projectLevel: boolean; host?: string; hostAlone?: boolean }): string[] {
  if (!/^[a-z0-9][a-z0-9._:/-]*$/.test(prefix) || prefix.includes('//')) {
    throw new ConfigError(`${factory} imagePrefix "${redactUrl(prefix)}" may hold only lowercase letters, digits and . _ - / (and a :port after the host)`);
  }
  const parts = prefix.split('/');
  if (!options.projectLevel) {
    if (parts.length !== 2 || parts[0].includes('.') || parts[0].includes(':')) {
      throw new ConfigError(`${factory} imagePrefix "${prefix}" must be <docker-id or organization>/<prefix>-, without a host`);
    }
    return parts;
  }
  if (options.host !== undefined && parts[0] !== options.host) {
    throw new ConfigError(`${factory} imagePrefix "${prefix}" must start with the registry host ${options.host}/`);
  }
  // An empty level would be '//', refused above.
  if (parts.length < 3 && !(options.hostAlone && parts.length === 2 && readAsRegistryHost(parts[0]))) {
    throw new ConfigError(`${factory} imagePrefix "${prefix}" needs a project level: ${parts[0]}/<project>/<prefix>- `
      + '(without it BinderHub may rebuild images on every launch; binderhub issue 800)');
  }
  return parts;
}
