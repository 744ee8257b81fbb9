import { ConfigError } from './errors';

/** A DNS-1123 label: namespaces, helm release names, deployment names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: names of most Kubernetes objects. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** A node folder: '/'-separated steps of letters, digits, '.', '_' and '-'. */
const HOST_FOLDER = /^(\/[A-Za-z0-9._-]+)+$/;
/** A Go duration without a sign, as Kubernetes operators parse them (time.ParseDuration): 0, 90s, 1h30m, 1.5h. */
const GO_DURATION = /^(0|((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/;
/** The syntax of a host name with at least one dot, such as binder.example.org (lengths are checked apart). */
const HOST_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Fails unless `value` is a DNS-1123 label of at most `maxLength` characters. */
export function checkDnsLabel(setting: string, value: string, maxLength = 63): void {
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
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
    throw new ConfigError(`${setting} "${value}" ${problem}: give lowercase letters, digits, '-' and '.', at most 253 characters`
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
