import type { AdoptionNote } from './adopt-registry';
import { envEntries, EXTRA_ENV_PATHS } from '../deployment/binderhub-values';
import { ConfigError } from '../core/errors';
import { registerSecrets } from '../core/redact';
import { getPath, isPlainObject, setPath, takePath, Values } from '../core/values';

/** Names of settings and variables that hold a secret. */
const SECRET_NAME = /secret|password|token|private_?key|api_?key/i;

/** Env settings: the charts' (EXTRA_ENV_PATHS) and the user pods' (KubeSpawner's environment, in Secret hub only). */
const ENV_SETTINGS = [...EXTRA_ENV_PATHS, 'jupyterhub.singleuser.extraEnv'];

/** Python run by BinderHub and JupyterHub; the charts keep it in Secrets binder-secret and hub. */
const EXTRA_CONFIG_SETTINGS = ['extraConfig', 'jupyterhub.hub.extraConfig'];

/**
 * Settings the charts write in plain text into objects other than Secrets (annotations and labels, the ingress, pod
 * specs), where the secrets mode cannot keep a secret out of dist/. Others are checked when adopt synthesizes.
 */
const OUTSIDE_SECRETS = /(^|\.)(annotations|podAnnotations|labels|podLabels|extraLabels)(\.|$)|^(jupyterhub\.)?ingress\.|^(extraPodSpec|initContainers|extraVolumes|extraVolumeMounts)(\.|$)/;

/** A URL with a password in its userinfo (`postgresql://user:pw@host/db`). */
// Bounded, so a long text costs no more than a look at each `://`.
const URL_WITH_PASSWORD = /:\/\/[^\s/:@]{0,256}:[^\s/@]{1,256}@/;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Whether `text` holds a credential wherever it stands: a URL with a password, or a PEM private key. */
export function isCredentialText(text: string): boolean {
  return URL_WITH_PASSWORD.test(text) || PRIVATE_KEY.test(text);
}

/** The words a high-entropy text is looked for in; an image digest (`sha256:<hex>`) is none. */
const WORD = /(?<![A-Za-z0-9_+/=-]|sha(?:256|512):)[A-Za-z0-9_+/=-]{20,}/g;

/**
 * Whether `text` holds a high-entropy word, as generated keys and tokens are: 20 or more characters of
 * [A-Za-z0-9_+/=-] with a Shannon entropy of at least 3 bits a character, and either lowercase, uppercase and
 * digits all (base64, most API keys) or hex digits only, at least 30% digits and 20% letters. Names of images, hosts, paths and
 * Python identifiers have long words too, but of lowercase letters with few digits, or no digit at all.
 */
export function holdsHighEntropyText(text: string): boolean {
  return (text.match(WORD) ?? []).some(word => {
    const share = (pattern: RegExp) => (word.match(pattern) ?? []).length / word.length;
    const [lower, upper, digits] = [share(/[a-z]/g), share(/[A-Z]/g), share(/[0-9]/g)];
    const mixed = (lower > 0 && upper > 0 && digits > 0) || (/^[0-9a-f]+$/i.test(word) && digits >= 0.3 && lower + upper >= 0.2);
    return mixed && shannonEntropy(word) >= 3;
  });
}

function shannonEntropy(word: string): number {
  const counts = new Map<string, number>();
  for (const c of word) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((sum, n) => sum - (n / word.length) * Math.log2(n / word.length), 0);
}

/** A string literal assigned to a name, attribute or key named like a secret (`c.GitHubOAuthenticator.client_secret = "..."`). */
const SECRET_ASSIGNMENT = new RegExp(`(?:${SECRET_NAME.source})\\w{0,64}['"]?\\s{0,16}[:=]\\s{0,16}[rRbBuU]{0,2}['"]`, 'i');

/** Whether Python code assigns a string literal to a secret-named target, or holds a credential or a high-entropy text. */
export function pythonHoldsSecret(code: string): boolean {
  return SECRET_ASSIGNMENT.test(code) || isCredentialText(code) || holdsHighEntropyText(code);
}

/**
 * Takes out of `values` (in place) every value no prop took that is secret, into values of their own for the secrets
 * file's "chartValues": one that came from a --secret file (`fromSecretFiles` marks those leaves `true`), a text under
 * a name like a secret, a credential anywhere, a high-entropy text of an env variable, Python extraConfig that holds a
 * secret (whole), and the secret entries of an env list. Each is noted, never quoted; one where the chart writes it
 * outside a Secret fails, naming it.
 */
export function takeSecretValues(values: Values, fromSecretFiles: Values, notes: AdoptionNote[]): Values {
  const secret: Values = {};
  for (const setting of ENV_SETTINGS) takeSecretEnvList(values, secret, setting, getPath(fromSecretFiles, setting) === true, notes);
  walkLeaves(values, fromSecretFiles, (path, value, fromSecretFile) => {
    const reason = secretReason(path, value, fromSecretFile);
    if (reason === undefined) return false;
    const setting = path.join('.');
    checkStaysInSecrets(setting, reason);
    setPath(secret, path, value);
    registerSecrets(...(typeof value === 'string' ? [value] : []));
    notes.push({ setting, outcome: movedOutcome(reason) });
    return true;
  });
  return secret;
}

/**
 * Fails, naming the setting, on a secret (as takeSecretValues tells them) where the chart writes plain text: run
 * before any prop takes settings, since the ingress prop keeps annotations, which would carry it into the module.
 */
export function refuseSecretsOutsideSecrets(values: Values, fromSecretFiles: Values): void {
  walkLeaves(values, fromSecretFiles, (path, value, fromSecretFile) => {
    const reason = secretReason(path, value, fromSecretFile);
    if (reason !== undefined) checkStaysInSecrets(path.join('.'), reason);
    return false;
  });
}

/**
 * Calls `visit` with every leaf of `values` (a list is one leaf), its path and whether a --secret file gave it
 * (`marks`: those leaves `true`); a leaf it returns true for is taken out, and maps left empty with it.
 */
function walkLeaves(node: Values, marks: unknown, visit: (path: string[], value: unknown, fromSecretFile: boolean) => boolean, path: string[] = []): void {
  for (const [key, value] of Object.entries(node)) {
    const here = [...path, key];
    const mark = isPlainObject(marks) ? marks[key] : undefined;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      walkLeaves(value, mark, visit, here);
      if (Object.keys(value).length === 0) delete node[key];
    } else if (visit(here, value, mark === true)) {
      delete node[key];
    }
  }
}

/** Why the leaf at `path` is secret, or undefined. */
function secretReason(path: string[], value: unknown, fromSecretFile: boolean): string | undefined {
  if (fromSecretFile) return 'from a --secret file';
  if (typeof value !== 'string') return undefined;
  const setting = path.join('.');
  // Where the chart writes plain text (annotations, labels, the ingress), a key such as nginx's auth-secret names a
  // Secret to read, not a secret: only the value itself can tell.
  if (SECRET_NAME.test(path[path.length - 1]) && !OUTSIDE_SECRETS.test(setting)) return 'named like one';
  if (isCredentialText(value)) return 'a URL with a password or a private key';
  if (EXTRA_CONFIG_SETTINGS.some(s => setting.startsWith(`${s}.`)) && pythonHoldsSecret(value)) return 'Python that holds a secret, moved whole';
  if (ENV_SETTINGS.some(s => setting.startsWith(`${s}.`)) && holdsHighEntropyText(value)) return 'a high-entropy text';
  return undefined;
}

/**
 * Moves the secret entries of an env list (a list is one leaf): named like a secret, or holding a credential or a
 * high-entropy text, or all when the list came from a --secret file. The charts' env settings keep their other entries,
 * and the deployment adds the moved ones after them; the user pods' list moves whole (it lands in Secret hub only).
 */
function takeSecretEnvList(values: Values, secret: Values, setting: string, fromSecretFile: boolean, notes: AdoptionNote[]): void {
  const env = getPath(values, setting);
  if (!Array.isArray(env)) return;
  const isSecret = (entry: Values) => fromSecretFile || SECRET_NAME.test(String(entry.name))
    || (typeof entry.value === 'string' && (isCredentialText(entry.value) || holdsHighEntropyText(entry.value)));
  const secretEntries = envEntries(env).filter(isSecret);
  if (secretEntries.length === 0) return;
  const wholeList = !EXTRA_ENV_PATHS.includes(setting) || secretEntries.length === env.length;
  const kept = wholeList ? [] : env.filter(entry => !secretEntries.includes(entry as never));
  takePath(values, setting);
  if (kept.length > 0) setPath(values, setting, kept);
  setPath(secret, setting, wholeList ? env : secretEntries);
  registerSecrets(...secretEntries.flatMap(entry => typeof entry.value === 'string' ? [entry.value] : []));
  const order = wholeList ? '' : ', after the entries the module keeps';
  notes.push({ setting, outcome: `${secretEntries.map(entry => entry.name).join(', ')}: ${movedOutcome('secret env variables')}${order}` });
}

function movedOutcome(reason: string): string {
  return `a secret (${reason}): moved to the secrets file's "chartValues", which the module reads (secretChartValues)`;
}

function checkStaysInSecrets(setting: string, reason: string): void {
  if (!OUTSIDE_SECRETS.test(setting)) return;
  throw new ConfigError(`${setting} in the values files is a secret (${reason}), but the chart writes it in plain text into an object other than a Secret, `
    + 'which dist/ would hold: keep the value in a Secret of your own and refer to it, or, if it is no secret, pass its file with --config');
}
