import { ConfigError } from './errors';

/** A DNS-1123 label: namespaces, helm release names, deployment names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: names of most Kubernetes objects. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** A node folder: '/'-separated steps of letters, digits, '.', '_' and '-'. */
const HOST_FOLDER = /^(\/[A-Za-z0-9._-]+)+$/;
/** A host name with at least one dot, such as binder.example.org. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Fails unless `value` is a DNS-1123 label of at most `maxLength` characters. */
export function checkDnsLabel(setting: string, value: string, maxLength = 63): void {
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    throw new ConfigError(`${setting} "${value}" must be lowercase letters, digits and '-', start and end with a letter or digit, `
      + `and be at most ${maxLength} characters`);
  }
}

/** Fails unless `value` is a valid Kubernetes object name (a DNS-1123 subdomain). */
export function checkObjectName(setting: string, value: string): void {
  if (!DNS_SUBDOMAIN.test(value) || value.length > 253) {
    throw new ConfigError(`${setting} "${value}" is not a valid object name: lowercase letters, digits, '-' and '.'`);
  }
}

/** Whether `value` is a host name with a domain (no scheme, no port). */
export function isHostName(value: string): boolean {
  return HOST_NAME.test(value);
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
