import { checkExtraEnv, envEntries, EXTRA_ENV_PATHS, withEnvEntries } from './binderhub-values';
import { ConfigError } from '../core/errors';
import { MIN_SECRET_LENGTH } from '../core/redact';
import { cloneValues, deepMerge, getPath, leafEntries, setPath, takePath, Values, valueTexts } from '../core/values';

/** A rendered object, as far as the check needs it. */
export interface RenderedObject {
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
}

/**
 * The first secret chart value that the chart rendered into an object other than a Secret, as `[setting, object]`:
 * the secrets mode keeps only Secret objects out of dist/, so such a value would reach dist/ in plain text. Texts
 * shorter than a secret can be (MIN_SECRET_LENGTH) are not looked for: they match anywhere.
 */
export function secretValueOutsideSecrets(objects: Iterable<RenderedObject>, secretValues: Values): [string, string] | undefined {
  const texts = leafEntries(secretValues)
    .flatMap(([setting, value]) => valueTexts(value).filter(text => text.length >= MIN_SECRET_LENGTH)
      // As it stands inside a JSON string: quotes, backslashes and line breaks escaped.
      .map((text): [string, string] => [setting, JSON.stringify(text).slice(1, -1)]));
  if (texts.length === 0) return undefined;
  for (const object of objects) {
    if (object.kind === 'Secret') continue;
    const json = JSON.stringify(object);
    const found = texts.find(([, text]) => json.includes(text));
    if (found) return [found[0], `${object.kind}/${object.metadata?.name ?? ''}`];
  }
  return undefined;
}

/** What the BinderHub construct renders of its chartValues and secretChartValues once the secret env texts are out. */
export interface SecretEnvSplit {
  /** chartValues with the env entries of secretChartValues added, each text replaced by a reference to the Secret. */
  readonly chartValues: Values;
  /** secretChartValues without the env entries (EXTRA_ENV_PATHS). */
  readonly secretChartValues: Values;
  /** The Secret's keys (`<setting>.<variable>`, such as `jupyterhub.hub.extraEnv.DB_PASSWORD`) and texts. */
  readonly data: Record<string, string>;
}

/** What a Secret's key may hold. */
const SECRET_KEY_NAME = /^[-._a-zA-Z0-9]+$/;

/**
 * Moves the env entries of `secretValues` (EXTRA_ENV_PATHS, list or map form) into `chartValues`, their texts into
 * the data of Secret `secretName`, which each entry reads with valueFrom.secretKeyRef: the chart renders extraEnv into
 * Deployments and DaemonSets, which dist/ holds in plain text. Entries keep their variables' names; a name that
 * `chartValues` also sets at that setting is refused.
 */
export function splitSecretEnv(chartValues: Values, secretValues: Values, secretName: string): SecretEnvSplit {
  const secret = cloneValues(secretValues);
  const overlay: Values = {};
  const data: Record<string, string> = {};
  for (const setting of EXTRA_ENV_PATHS) {
    const env = getPath(secret, setting);
    checkExtraEnv(env, `secretChartValues.${setting}`);
    if (env === undefined || env === null) continue;
    takePath(secret, setting);
    const own = getPath(chartValues, setting);
    checkExtraEnv(own, `chartValues.${setting}`);
    const taken = new Set(envEntries(own).map(entry => entry.name));
    const entries = envEntries(env).map(entry => {
      if (taken.has(entry.name)) throw new ConfigError(`chartValues.${setting} also sets ${entry.name}, which secretChartValues (the secrets file's "chartValues") sets; keep it in one of them`);
      if (typeof entry.value !== 'string') return entry;
      const key = `${setting}.${entry.name}`;
      if (!SECRET_KEY_NAME.test(key)) throw new ConfigError(`secretChartValues.${setting} names a variable "${entry.name}" that cannot be a Secret's key; use letters, digits, _, - and . only`);
      data[key] = entry.value;
      const { value: _text, ...rest } = entry;
      return { ...rest, valueFrom: { secretKeyRef: { name: secretName, key } } };
    });
    setPath(overlay, setting, withEnvEntries(own, entries));
  }
  return { chartValues: deepMerge(chartValues, overlay), secretChartValues: secret, data };
}

/** A rendered workload, as far as the pods it runs read Secrets. */
interface PodTemplateOwner {
  readonly spec?: { readonly template?: { readonly spec?: { readonly containers?: unknown; readonly initContainers?: unknown } } };
}

/** Whether the pods of a rendered workload read Secret `name` into their environment (an env entry or envFrom). */
export function podsReadSecret(workload: PodTemplateOwner, name: string): boolean {
  const pod = workload.spec?.template?.spec;
  const containers = [pod?.containers, pod?.initContainers].flatMap(list => Array.isArray(list) ? list : []);
  return containers.some(container => [
    ...(Array.isArray(container?.env) ? container.env.map((entry: any) => entry?.valueFrom?.secretKeyRef?.name) : []),
    ...(Array.isArray(container?.envFrom) ? container.envFrom.map((source: any) => source?.secretRef?.name) : []),
  ].includes(name));
}
