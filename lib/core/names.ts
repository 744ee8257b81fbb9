import { ConfigError } from './errors';

/** One DNS-1123 label, unanchored: the piece the three name rules below are made of. */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** A DNS-1123 label: namespaces, helm release names, deployment names. */
const DNS_LABEL = new RegExp(`^${LABEL}$`);
/** A DNS-1123 subdomain: names of most Kubernetes objects; DNS labels joined by dots (so no `..`, `-.` or `.-`). */
const DNS_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
/** A node folder: '/'-separated steps of letters, digits, '.', '_' and '-'. */
const HOST_FOLDER = /^(\/[A-Za-z0-9._-]+)+$/;
/** A label value, and the name part of a label key: alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** An image reference as Docker's distribution/reference grammar reads it: [domain[:port]/]path[:tag][@digest]. */
const IMAGE_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const IMAGE_NAME = new RegExp(`^(?:${IMAGE_DOMAIN}/)?${IMAGE_PATH_COMPONENT}(?:/${IMAGE_PATH_COMPONENT})*`);
const IMAGE_TAG_AND_DIGEST = /^(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;
/** A Go duration without a sign, as Kubernetes operators parse them (time.ParseDuration): 0, 90s, 1h30m, 1.5h. */
const GO_DURATION = /^(0|((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/;
/** The syntax of a host name with at least one dot, such as binder.example.org (lengths are checked apart). */
const HOST_NAME = new RegExp(`^${LABEL}(\\.${LABEL})+$`);

/** Fails unless `value` is a DNS-1123 label of at most `maxLength` characters. */
export function checkDnsLabel(setting: string, value: string, maxLength = 63): void {
  // A regex test reads a non-string as its text (undefined as "undefined", a valid label), so check the type first.
  if (typeof value !== 'string' || !DNS_LABEL.test(value) || value.length > maxLength) {
    throw new ConfigError(`${setting} "${value}" must be lowercase letters, digits and '-', start and end with a letter or digit, `
      + `and be at most ${maxLength} characters`);
  }
}

/**
 * Fails unless `value` is a valid Kubernetes object name (a DNS-1123 subdomain); `example` shows a good one.
 */
export function checkObjectName(setting: string, value: string, example?: string): void {
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value) || value.length > 253) {
    const problem = value === '' ? 'is empty' : 'is not a valid object name';
    throw new ConfigError(`${setting} "${value}" ${problem}: give lowercase letters, digits, '-' and '.', `
      + 'each part between dots starting and ending with a letter or digit, at most 253 characters'
      + (example ? `, such as ${example}` : ''));
  }
}

/**
 * Why `value` is not a DNS name with a domain (such as binder.example.org: lowercase labels of at most 63 characters,
 * at most 253 in all, no scheme, port or IP address), or undefined when it is one.
 */
export function hostNameProblem(value: string): string | undefined {
  if (typeof value !== 'string' || !HOST_NAME.test(value)) return 'is not a DNS name';
  if (/^[0-9.]+$/.test(value)) return 'is an IP address, not a DNS name';
  const long = value.split('.').find(label => label.length > 63);
  if (long !== undefined) return `has a label of ${long.length} characters, not a DNS name (at most 63)`;
  if (value.length > 253) return `has ${value.length} characters, not a DNS name (at most 253)`;
  return undefined;
}

/** Whether `value` is a DNS name with a domain (no scheme, no port, no IP address). */
export function isHostName(value: string): boolean {
  return hostNameProblem(value) === undefined;
}

/**
 * Fails unless `value` is a node folder (a hostPath) as this project accepts one: absolute, normalized, not `/`, made
 * of letters, digits and `. _ - /` only, with no `.` or `..` step. Such folders reach pods that run as root, and the
 * chart's own templates paste them into shell scripts and YAML unquoted; `example` shows a good one.
 */
export function checkHostFolder(setting: string, value: string, example: string): void {
  if (typeof value !== 'string' || !HOST_FOLDER.test(value) || value.split('/').some(step => step === '.' || step === '..')) {
    throw new ConfigError(`${setting} "${value}" must be an absolute, normalized folder other than /, of letters, digits and . _ - / only `
      + `(no . or .. steps), such as ${example}`);
  }
}

/** Whether `value` is a Go duration without a sign, such as `1h`, `30m`, `1h30m` or `0`. */
export function isGoDuration(value: string): boolean {
  return typeof value === 'string' && GO_DURATION.test(value);
}

/** Whether `key` is a Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  // Stryker disable next-line EqualityOperator: equivalent, a key starting with '/' fails either way (an empty prefix is no DNS subdomain; '/' is no name character)
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  return (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= 253)) && LABEL_NAME.test(name) && name.length <= 63;
}

/**
 * Fails unless every key and value of `labels` (a node selector, say) follows Kubernetes label syntax: a key is an
 * optional DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or
 * digit; a value is the same without a prefix, or empty.
 */
export function checkLabels(setting: string, labels: Record<string, string>): void {
  const rule = 'at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit';
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) {
      throw new ConfigError(`${setting} key "${key}" is not a label key: an optional DNS prefix and '/', then ${rule}, such as hub.jupyter.org/node-purpose`);
    }
    if (typeof value !== 'string' || (value !== '' && !(LABEL_NAME.test(value) && value.length <= 63))) {
      throw new ConfigError(`${setting} value "${value}" of key "${key}" is not a label value: ${rule} (or empty), such as user`);
    }
  }
}

/**
 * Fails unless every key of `annotations` is a qualified name (as a label key) and every value a string: the API
 * server refuses anything else, such as a map or a boolean left unquoted.
 */
export function checkAnnotations(setting: string, annotations: Record<string, string>): void {
  for (const [key, value] of Object.entries(annotations)) {
    if (!isLabelKey(key)) {
      throw new ConfigError(`${setting} key "${key}" is not an annotation key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.', `
        + 'starting and ending with a letter or digit, such as traefik.ingress.kubernetes.io/router.middlewares');
    }
    if (typeof value !== 'string') {
      throw new ConfigError(`${setting} value of key "${key}" is a ${Array.isArray(value) ? 'list' : typeof value}, not a string; quote it, such as "true"`);
    }
  }
}

/** Whether `value` is an image reference: `[registry[:port]/]repository[:tag][@sha256:digest]`, lowercase repository. */
export function isImageReference(value: string): boolean {
  if (typeof value !== 'string') return false;
  const name = IMAGE_NAME.exec(value)?.[0];
  return name !== undefined && name.length <= 255 && IMAGE_TAG_AND_DIGEST.test(value.slice(name.length));
}

/** Fails unless `value` is an image reference; `example` shows a good one. */
export function checkImageReference(setting: string, value: string, example: string): void {
  if (!isImageReference(value)) {
    throw new ConfigError(`${setting} "${value}" is not an image reference: [registry[:port]/]repository[:tag][@sha256:digest], `
      + `the repository in lowercase, such as ${example}`);
  }
}

/** `url` with one trailing `/`, as a base for relative URLs and as BinderHub writes its URLs. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Whether `url` is https, or plain http to this machine (a test's server): anything else could be read or changed on the way. */
export function isHttpsOrLocal(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}
