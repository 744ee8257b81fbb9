import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import type { BuilderPlan } from './adopt-builder';
import { TOKEN_SETTINGS } from './adopt';
import { HUB_SECRET_KEYS } from './adopt-cluster';
import { leafPaths } from './adopt-values';
import type { RegistryFactory } from './adopt-registry';
import { HUB_URL_CONFIG_MAP, HUB_URL_ENV, HUB_URL_EXTRA_CONFIG } from '../deployment/hub-url';
import { isClusterScoped, WORKLOAD_KINDS } from '../core/kinds';
import { DEPLOYMENT_LABEL } from '../core/labels';
import { ManifestObject, objectId } from '../output/manifest-check';
import { diffManifests, fieldChanges, FieldChange, KeyChange, ObjectDiff, Restart } from '../review/manifest-diff';
import { sameQuantity } from '../core/quantities';
import { IMAGE_PULL_SECRET_NAME } from '../deployment/registry';
import type { BinderHubTokenValues } from '../secrets/tokens';
import { isPlainObject, Values } from '../core/values';
import { EXTRA_ENV_SECRET_SUFFIX } from '../deployment/binderhub';

/** What the comparison of an adopted deployment with helm's render needs to know to tell on-purpose differences. */
export interface ComparisonContext {
  /** The release name of both renders. */
  readonly release: string;
  /** The namespace of both renders. */
  readonly namespace: string;
  /** The adopted builder. */
  readonly builder: BuilderPlan['factory'];
  /** The adopted registry factory. */
  readonly registry: RegistryFactory;
  /** Whether the adopted deployment has the ingress prop. */
  readonly ingress: boolean;
  /** The adopted auth prop, and whether it launches into named servers (more than one server per user). */
  readonly auth?: { readonly namedServers: boolean };
  /**
   * The env variables adopt moved into the secrets file, by their setting (EXTRA_ENV_PATHS): the deployment reads
   * them from Secret `<release>-extra-env`.
   * @default - none
   */
  readonly secretEnv?: Readonly<Record<string, readonly string[]>>;
  /** The tokens adopt generated: the values files lack them, so helm mints its own at every render. */
  readonly generatedTokens: ReadonlyArray<keyof BinderHubTokenValues>;
}

/** The settings inside one key of a Secret (a values.yaml) that differ: their paths, never their values. */
export interface SettingChange {
  readonly key: string;
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
}

/** One difference between helm's render and ours. */
export type Difference =
  | { readonly id: string; readonly type: 'added' | 'removed'; readonly object: ManifestObject }
  | { readonly id: string; readonly type: 'field'; readonly field: FieldChange }
  | { readonly id: string; readonly type: 'key'; readonly key: KeyChange }
  | { readonly id: string; readonly type: 'setting'; readonly setting: SettingChange }
  | { readonly id: string; readonly type: 'images'; readonly before: string[]; readonly after: string[] };

/** Differences that are on purpose, for one reason. */
export interface OnPurposeGroup {
  readonly reason: string;
  readonly differences: Difference[];
}

/** What switching from the helm release to the adopted deployment changes, object by object. */
export interface AdoptionComparison {
  /** The differences on purpose, grouped by reason, in the order of ON_PURPOSE. */
  readonly onPurpose: OnPurposeGroup[];
  /** Secret keys and settings of tokens adopt generated (the values files have none). */
  readonly newTokens: Difference[];
  /** The tokens adopt generated: neither the values files nor the live release had them. */
  readonly generatedTokens: ReadonlyArray<keyof BinderHubTokenValues>;
  /** Everything else: what to review before switching. */
  readonly review: Difference[];
  /** The Secrets that go to dist-secrets/ (SecretsMode.separate(), the adopted default), not dist/. */
  readonly separateSecrets: string[];
  /** Workloads whose pods roll on the first apply (their pod template's checksum annotations differ). */
  readonly restarts: Restart[];
  /**
   * Workloads whose selector differs: Kubernetes never changes a selector in place, so the first apply fails on them
   * unless the release's object is deleted first.
   */
  readonly replaceFirst: string[];
}

interface Rule {
  readonly reason: (context: ComparisonContext) => string;
  readonly matches: (difference: Difference, context: ComparisonContext) => boolean;
}

const field = (d: Difference) => d.type === 'field' ? d.field : undefined;
const setting = (d: Difference, secret: string) => d.type === 'setting' && d.id.startsWith('Secret/') && d.id.endsWith(`/${secret}`) ? d.setting : undefined;
const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
const nameOf = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const kindOf = (id: string) => id.slice(0, id.indexOf('/'));
const isImagePath = (path: string) => /(^|\.)image$/.test(path);
const HOOK_ANNOTATION = 'helm.sh/hook';


/** The differences that are on purpose, each with why; the first rule that matches a difference takes it. */
const ON_PURPOSE: ReadonlyArray<Rule> = [
  {
    reason: c => `the label ${DEPLOYMENT_LABEL}=${c.release} on every object: kubectl apply --prune selects the deployment's objects by it`,
    matches: (d, c) => {
      const f = field(d);
      return f !== undefined && f.before === undefined && (f.path === `metadata.labels[${JSON.stringify(DEPLOYMENT_LABEL)}]` && f.after === c.release
        || f.path === 'metadata.labels' && isPlainObject(f.after) && Object.keys(f.after).length === 1 && f.after[DEPLOYMENT_LABEL] === c.release);
    },
  },
  {
    reason: () => 'helm hooks: kubectl apply has none, so a hook that runs pods is left out and any other hook object is kept as a plain object',
    matches: d => {
      if (d.type === 'removed') return (d.object.metadata as { annotations?: Record<string, string> }).annotations?.[HOOK_ANNOTATION] !== undefined;
      const f = field(d);
      if (f === undefined || f.after !== undefined) return false;
      return f.path.startsWith(`metadata.annotations["${HOOK_ANNOTATION}`)
        || f.path === 'metadata.annotations' && Object.keys(f.before as object).every(key => key.startsWith(HOOK_ANNOTATION));
    },
  },
  {
    reason: () => 'the file creates its namespace first (createNamespace), so one kubectl apply works on a fresh cluster',
    matches: (d, c) => d.type === 'added' && d.id === `Namespace/${c.namespace}`,
  },
  {
    reason: () => `the hub URL lives in ConfigMap ${HUB_URL_CONFIG_MAP}, which the binder pod reads and npm run patch-hub-url fills (docs/hub-url.md)`,
    matches: d => d.type === 'added' && kindOf(d.id) === 'ConfigMap' && nameOf(d.id) === HUB_URL_CONFIG_MAP
      || isHubUrlEnv(field(d))
      || [setting(d, 'binder-secret')].some(s => s && (s.path === 'config.BinderHub.hub_url' || within(s.path, `extraConfig.${HUB_URL_EXTRA_CONFIG}`))),
  },
  {
    reason: c => `user pods pull the built images with Secret ${IMAGE_PULL_SECRET_NAME} (Registry.${c.registry}'s pullSecret)`,
    matches: d => d.type === 'added' && d.id.startsWith('Secret/') && nameOf(d.id) === IMAGE_PULL_SECRET_NAME
      || [setting(d, 'hub')].some(s => s && within(s.path, 'singleuser.image.pullSecrets')),
  },
  {
    reason: c => `our DinD DaemonSet ${c.release}-dind (Builder.dind) replaces the chart's: the chart runs with imageBuilderType host, `
      + 'and builds and the image cleaner use our dockerd\'s socket (container images and resources are compared apart)',
    matches: (d, c) => {
      if (c.builder !== 'dind') return false;
      if (d.type === 'field' || d.type === 'key') {
        const ours = [`${c.release}-dind`, `${c.release}-image-cleaner`];
        if (kindOf(d.id) !== 'DaemonSet' || !ours.includes(nameOf(d.id))) return false;
        if (d.type === 'key') return true;
        // The same quantity written another way (1Gi, 1024Mi) is no difference; any other is one to review.
        return !isImagePath(d.field.path) && (!/\.resources(\.|$)/.test(d.field.path) || sameQuantity(d.field.before, d.field.after));
      }
      const s = setting(d, 'binder-secret');
      return s !== undefined && (s.path === 'imageBuilderType' || within(s.path, 'dind') || s.path === 'config.KubernetesBuildExecutor.docker_host');
    },
  },
  {
    reason: () => 'the ingress prop points BinderHub at its hub inside the cluster (config.BinderHub.hub_url_local)',
    matches: (d, c) => c.ingress && ([setting(d, 'binder-secret')].some(s => s && s.change === 'added' && s.path === 'config.BinderHub.hub_url_local')
      || isHubApiUrlEnv(field(d))),
  },
  {
    reason: c => `Registry.${c.registry} sets the registry's API, login and token URLs that the values files left to BinderHub's defaults (docs/deployments.md#registries)`,
    matches: d => [setting(d, 'binder-secret')].some(s => s && s.change === 'added' && within(s.path, 'config.DockerRegistry')),
  },
  {
    reason: c => `secret env variables read Secret ${c.release}-${EXTRA_ENV_SECRET_SUFFIX} (valueFrom.secretKeyRef), so dist/ holds no value of theirs (docs/secrets.md)`,
    matches: (d, c) => d.type === 'added' && kindOf(d.id) === 'Secret' && nameOf(d.id) === `${c.release}-${EXTRA_ENV_SECRET_SUFFIX}`
      || isSecretEnvReference(field(d), `${c.release}-${EXTRA_ENV_SECRET_SUFFIX}`, Object.values(c.secretEnv ?? {}).flat())
      // Secret hub keeps a copy of the jupyterhub chart's values, the env settings that adopt moved variables of with it.
      || [setting(d, 'hub')].some(s => s && Object.keys(c.secretEnv ?? {}).filter(env => env.startsWith('jupyterhub.'))
        .some(env => within(s.path, env.slice('jupyterhub.'.length)))),
  },
  {
    reason: () => 'the auth prop writes hub.config.JupyterHub.redirect_to_server as the chart\'s own hub.redirectToServer, the same JupyterHub setting',
    matches: (d, c) => c.auth !== undefined && [setting(d, 'hub')].some(s => s && (s.path === 'hub.config.JupyterHub.redirect_to_server' && s.change === 'removed'
      || s.path === 'hub.redirectToServer' && s.change === 'added')),
  },
  {
    reason: () => 'the auth prop grants the user role access:services!service=binder: logged-in users reach BinderHub\'s service only, not every service',
    matches: (d, c) => c.auth !== undefined && [setting(d, 'hub')].some(s => s && within(s.path, 'hub.loadRoles.user.scopes')),
  },
  {
    reason: () => 'with named servers the auth prop has the culler remove idle ones (--remove-named-servers): each launch is a server of its own',
    matches: (d, c) => c.auth?.namedServers === true && [setting(d, 'hub')].some(s => s && s.path === 'cull.removeNamedServers'),
  },
  {
    reason: () => 'a checksum the chart keeps of other settings: it follows the differences above',
    matches: d => d.type === 'field' && kindOf(d.id) === 'ConfigMap' && /^data\.checksum_/.test(d.field.path),
  },
];

/**
 * Whether a field is the binder container's JUPYTERHUB_API_URL, which the chart renders (with auth_enabled) from
 * hub_url_local before hub_url: it follows the in-cluster URL the ingress prop sets.
 */
function isHubApiUrlEnv(f: FieldChange | undefined): boolean {
  return f !== undefined && f.path === 'spec.template.spec.containers[name=binder].env[name=JUPYTERHUB_API_URL].value';
}

/**
 * Whether a field is the value of one of the env variables `names` turned into a reference to Secret `secret`: the
 * value gone, or the reference added.
 */
function isSecretEnvReference(f: FieldChange | undefined, secret: string, names: readonly string[]): boolean {
  const entry = f && /\.env\[name=([^\]]+)\]\.(value|valueFrom)$/.exec(f.path);
  if (!entry || !names.includes(entry[1])) return false;
  return entry[2] === 'value' ? f.after === undefined : f.before === undefined && isPlainObject(f.after) && (f.after.secretKeyRef as Values | undefined)?.name === secret;
}

/** Whether a field is the binder container's hub URL variable (named, or by position in a list helm left empty). */
function isHubUrlEnv(f: FieldChange | undefined): boolean {
  const env = 'spec.template.spec.containers[name=binder].env';
  return f !== undefined && f.path.startsWith(`${env}[`) && (f.path === `${env}[name=${HUB_URL_ENV}]` || isPlainObject(f.after) && f.after.name === HUB_URL_ENV);
}

/**
 * Compares helm's render of the original values files with the adopted deployment's synth (`ours`: its file's
 * objects, then those of its Secrets file), object by object, and sorts every difference: on purpose (with why),
 * a token adopt generated, or to review. helm's objects get the namespace an install gives them, and its null
 * fields are dropped, as the API server reads them as unset. Secret values are compared but never kept: a Secret
 * differs by key, and a key holding YAML (values.yaml) by the paths of the settings that differ.
 */
export function compareAdoption(helmObjects: ManifestObject[], ours: { objects: ManifestObject[]; secrets: ManifestObject[] }, context: ComparisonContext): AdoptionComparison {
  const helm = helmObjects.map(o => withNamespace(withoutNulls(o) as ManifestObject, context.namespace));
  const mine = [...ours.objects, ...ours.secrets];
  const diff = diffManifests(helm, mine);
  const byId = (objects: ManifestObject[]) => new Map(objects.map(o => [objectId(o), o]));
  const [helmById, oursById] = [byId(helm), byId(mine)];
  const differences = diff.objects.flatMap(o => differencesOf(o, helmById.get(o.id), oursById.get(o.id)));
  const onPurpose: OnPurposeGroup[] = ON_PURPOSE.map(rule => ({ reason: rule.reason(context), differences: [] as Difference[] }));
  const newTokens: Difference[] = [];
  const review: Difference[] = [];
  for (const difference of differences) {
    const rule = ON_PURPOSE.findIndex(r => r.matches(difference, context));
    if (rule >= 0) onPurpose[rule].differences.push(difference);
    else if (isGeneratedToken(difference, context)) newTokens.push(difference);
    else review.push(difference);
  }
  review.push(...imageChanges(helmById, oursById, review));
  const selectors = differences.filter(d => d.type === 'field' && WORKLOAD_KINDS.has(kindOf(d.id)) && within(d.field.path, 'spec.selector'));
  return {
    onPurpose: onPurpose.filter(group => group.differences.length > 0),
    newTokens,
    generatedTokens: context.generatedTokens,
    review,
    separateSecrets: ours.secrets.map(objectId),
    restarts: diff.restarts,
    replaceFirst: [...new Set(selectors.map(d => d.id))],
  };
}

/** The differences of one object: itself when only one side has it, else its fields, keys and settings. */
function differencesOf(diff: ObjectDiff, helm: ManifestObject | undefined, ours: ManifestObject | undefined): Difference[] {
  const { id } = diff;
  if (diff.change === 'added') return [{ id, type: 'added', object: ours! }];
  if (diff.change === 'removed') return [{ id, type: 'removed', object: helm! }];
  return [
    ...diff.fields.map((f): Difference => ({ id, type: 'field', field: f })),
    ...diff.keys.flatMap((key): Difference[] => {
      const settings = key.change === 'changed' ? settingChanges(key.key, secretValue(helm!, key.key), secretValue(ours!, key.key)) : undefined;
      return settings ? settings.map(s => ({ id, type: 'setting', setting: s })) : [{ id, type: 'key', key }];
    }),
  ];
}

/** The settings that differ between two YAML maps, by path; undefined if either is not a YAML map. */
function settingChanges(key: string, before: string | undefined, after: string | undefined): SettingChange[] | undefined {
  if (!/\.ya?ml$/.test(key) || before === undefined || after === undefined) return undefined;
  const [a, b] = [before, after].map(text => {
    try {
      return yaml.load(text);
    } catch {
      return undefined; // not YAML after all: compared as a key
    }
  });
  if (!isPlainObject(a) || !isPlainObject(b)) return undefined;
  // A map only one side has counts as its leaves, so a rule can tell what the map holds.
  return fieldChanges(withoutNulls(a), withoutNulls(b)).flatMap((c): SettingChange[] => {
    const change = c.before === undefined ? 'added' : c.after === undefined ? 'removed' : 'changed';
    const whole = c.before ?? c.after;
    const paths = change !== 'changed' && isPlainObject(whole) ? leafPaths(whole, c.path) : [c.path];
    return paths.map(path => ({ key, path, change }));
  });
}

/** Whether a difference is a token that adopt generated: its key in Secret hub, or its setting in a values.yaml. */
function isGeneratedToken(difference: Difference, context: ComparisonContext): boolean {
  const generated = new Set<string>(context.generatedTokens);
  if (difference.type === 'key' && difference.id.endsWith('/hub')) {
    return HUB_SECRET_KEYS.some(([token, key]) => generated.has(token) && key === difference.key.key);
  }
  if (difference.type !== 'setting') return false;
  // Secret hub's values.yaml holds the jupyterhub chart's values: the settings without their `jupyterhub.` prefix.
  const inHub = difference.id.endsWith('/hub');
  return [...generated].some(token => {
    const path = TOKEN_SETTINGS[token as keyof BinderHubTokenValues];
    const where = inHub ? path.replace(/^jupyterhub\./, '') : path;
    return (inHub || !path.startsWith('jupyterhub.')) && (within(difference.setting.path, where) || within(where, difference.setting.path));
  });
}

/**
 * The workloads on both sides whose container images differ, unless a difference to review already names an image
 * of theirs: an on-purpose difference (a renamed container) must never hide a changed image.
 */
function imageChanges(helm: Map<string, ManifestObject>, ours: Map<string, ManifestObject>, review: Difference[]): Difference[] {
  return [...ours].flatMap(([id, object]): Difference[] => {
    const before = helm.get(id);
    if (!before || !WORKLOAD_KINDS.has(object.kind)) return [];
    const [a, b] = [before, object].map(imagesOf);
    const named = review.some(d => d.id === id && d.type === 'field' && isImagePath(d.field.path));
    return isDeepStrictEqual(a, b) || named ? [] : [{ id, type: 'images', before: a, after: b }];
  });
}

function imagesOf(object: ManifestObject): string[] {
  const spec = (object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec : object.spec)?.template?.spec ?? object.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => String(c.image)).sort();
}

/** A Secret's value of `key`, decoded (`stringData` wins over `data`, as the API server merges them). */
function secretValue(secret: ManifestObject, key: string): string | undefined {
  if (secret.stringData?.[key] !== undefined) return String(secret.stringData[key]);
  const data = secret.data?.[key];
  return data === undefined ? undefined : Buffer.from(String(data), 'base64').toString('utf8');
}

/** A copy without the map entries whose value is null, at any depth: the API server reads them as unset. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** The object with the namespace that installing it into `namespace` gives it (helm's templates often leave it out). */
function withNamespace(object: ManifestObject, namespace: string): ManifestObject {
  if (isClusterScoped(object.kind) || object.metadata.namespace) return object;
  return { ...object, metadata: { ...object.metadata, namespace } };
}
