/**
 * What `status` and `teardown` read of the cluster, read-only, with the pinned kubectl: a deployment's labelled
 * objects, what lives in its namespace (pods, events, Services, claims, Secrets by name and keys only), and a build
 * pod's last log lines. Decisions about what is read are in status-checks.ts and teardown-plan.ts.
 */
import { DEPLOYMENT_LABEL } from '../core/labels';
import { kubectlError, KubectlOptions, parseKubectlJson, runKubectl } from './kubectl';

/** An object as the cluster lists it (only what the checks read is typed). */
export interface LiveObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly creationTimestamp?: string;
    readonly generation?: number;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: any;
}

/**
 * A Secret as status and teardown see it: its name, type and keys, never a value. `registryHosts` are the `auths`
 * keys of a docker config (a registry host is no secret), when the Secret holds one.
 */
export interface SecretSummary {
  readonly name: string;
  readonly type?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly keys: string[];
  readonly registryHosts?: string[];
}

/** What the cluster holds of one deployment. */
export interface LiveState {
  /** Objects carrying the deployment label with the deployment's name, in any namespace or none. */
  readonly objects: LiveObject[];
  /** Kinds of the deployment's files that the cluster does not serve (a CRD or controller not installed), as `Kind`. */
  readonly unservedKinds: string[];
  /** Whether the namespace exists. */
  readonly namespaceExists: boolean;
  /** Everything in the namespace of these kinds, whatever its labels. */
  readonly pods: LiveObject[];
  readonly events: LiveObject[];
  readonly services: LiveObject[];
  readonly claims: LiveObject[];
  readonly configMaps: LiveObject[];
  readonly secrets: SecretSummary[];
  /** cert-manager Certificates in the namespace; undefined when the cluster serves none (no cert-manager). */
  readonly certificates?: LiveObject[];
}

/** The keys of a docker config Secret: `.dockerconfigjson` (kubernetes.io/dockerconfigjson) or `config.json` (the chart's). */
const DOCKER_CONFIG_KEYS = ['.dockerconfigjson', 'config.json'];

/**
 * `secret` reduced to its name, type, labels and keys; of a docker config, the registry hosts (its `auths` keys), the
 * only part of a value decoded. The values themselves are dropped here, before anything else sees the Secret.
 */
export function secretSummary(secret: any): SecretSummary {
  const data: Record<string, string> = secret.data ?? {};
  const stringData: Record<string, string> = secret.stringData ?? {}; // a Secret of the files, as synth writes it
  const dockerKey = DOCKER_CONFIG_KEYS.find(key => typeof data[key] === 'string' || typeof stringData[key] === 'string');
  return {
    name: secret.metadata.name, type: secret.type, labels: secret.metadata.labels ?? {}, keys: [...new Set([...Object.keys(data), ...Object.keys(stringData)])].sort(),
    ...(dockerKey ? { registryHosts: registryHostsOf(stringData[dockerKey] ?? Buffer.from(data[dockerKey], 'base64').toString('utf8')) } : {}),
  };
}

/** The `auths` keys of a docker config's text; none when it is no docker config. */
function registryHostsOf(config: string): string[] {
  try {
    const auths = JSON.parse(config).auths;
    return auths && typeof auths === 'object' ? Object.keys(auths) : [];
  } catch {
    return [];
  }
}

/** kubectl's name of a kind: `deployment.v1.apps`, or `configmap` in the core group, so that no other group's kind of that name is meant. */
export function kubectlResource(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind.toLowerCase()}.${version}.${group}` : kind.toLowerCase();
}

/** The kinds of `objects`, once each, in order of first appearance. */
export function kindsOf(objects: ReadonlyArray<{ apiVersion: string; kind: string }>): Array<{ apiVersion: string; kind: string }> {
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  for (const { apiVersion, kind } of objects) seen.set(`${apiVersion}/${kind}`, { apiVersion, kind });
  return [...seen.values()];
}

/** What kubectl says of a resource type the cluster does not serve. */
const UNSERVED = /the server doesn't have a resource type "([^"]+)"/;

/** The result of listing several kinds: the items, and the kinds the cluster does not serve. */
interface Listed {
  readonly items: LiveObject[];
  readonly unserved: Array<{ apiVersion: string; kind: string }>;
}

/**
 * Lists the objects of `kinds` with `scope` (`--namespace x`, or `--all-namespaces -l ...`), in one kubectl call. A
 * kind the cluster does not serve is left out and named, not a failure: kubectl refuses the whole list for it, so
 * the list is asked again without it.
 */
async function listKinds(options: KubectlOptions, kinds: Array<{ apiVersion: string; kind: string }>, scope: string[]): Promise<Listed> {
  const unserved: Array<{ apiVersion: string; kind: string }> = [];
  let asked = kinds;
  while (asked.length > 0) {
    const result = await runKubectl(options, ['get', asked.map(k => kubectlResource(k.apiVersion, k.kind)).join(','), ...scope, '--output', 'json']);
    if (result.status === 0) return { items: parseKubectlJson(result.stdout, 'kubectl get').items ?? [], unserved };
    const missing = UNSERVED.exec(result.stderr)?.[1];
    const dropped = asked.filter(k => kubectlResource(k.apiVersion, k.kind).split('.')[0] === missing || `${k.kind.toLowerCase()}s` === missing);
    if (dropped.length === 0) throw kubectlError('kubectl get', result.stderr, options);
    unserved.push(...dropped);
    asked = asked.filter(k => !dropped.includes(k));
  }
  return { items: [], unserved };
}

const core = (kind: string) => ({ apiVersion: 'v1', kind });
const CERTIFICATE = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' };

/**
 * Reads what the cluster holds of deployment `release` in `namespace`: its labelled objects of `kinds` (the kinds of
 * its files) and what its namespace holds. Secrets are reduced to their summaries at once.
 */
export async function readLiveState(options: KubectlOptions, release: string, namespace: string, kinds: Array<{ apiVersion: string; kind: string }>): Promise<LiveState> {
  const labelled = await listKinds(options, kinds, ['--all-namespaces', '--selector', `${DEPLOYMENT_LABEL}=${release}`]);
  const namespaceExists = labelled.items.some(o => o.kind === 'Namespace' && o.metadata.name === namespace) || await hasNamespace(options, namespace);
  const inNamespace = namespaceExists
    ? await listKinds(options, [...['Pod', 'Event', 'Service', 'PersistentVolumeClaim', 'ConfigMap', 'Secret'].map(core), CERTIFICATE], ['--namespace', namespace])
    : { items: [], unserved: [] };
  const of = (kind: string) => inNamespace.items.filter(o => o.kind === kind);
  return {
    // A labelled Secret keeps its name and labels only (kubectl's last-applied annotation would hold its values too):
    // nothing past this point holds a Secret's values.
    objects: labelled.items.map(o => (o.kind === 'Secret'
      ? { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels } } : o)),
    unservedKinds: labelled.unserved.map(k => k.kind),
    namespaceExists,
    pods: of('Pod'), events: of('Event'), services: of('Service'), claims: of('PersistentVolumeClaim'), configMaps: of('ConfigMap'),
    secrets: of('Secret').map(secretSummary),
    certificates: inNamespace.unserved.length > 0 ? undefined : of('Certificate'),
  };
}

/** Whether `namespace` exists. */
async function hasNamespace(options: KubectlOptions, namespace: string): Promise<boolean> {
  const result = await runKubectl(options, ['get', 'namespace', namespace, '--ignore-not-found', '--output', 'name']);
  if (result.status !== 0) throw kubectlError(`kubectl get namespace ${namespace}`, result.stderr, options);
  return result.stdout.trim() !== '';
}

/** The last `lines` lines of a pod's log (of its first container), or undefined when kubectl has none to give (the pod is gone). */
export async function podLogTail(options: KubectlOptions, namespace: string, pod: string, lines: number): Promise<string | undefined> {
  const result = await runKubectl(options, ['logs', pod, '--namespace', namespace, `--tail=${lines}`]);
  return result.status === 0 ? result.stdout : undefined;
}
