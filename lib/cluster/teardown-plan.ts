/**
 * `npm run teardown`: what to delete of a deployment, grouped and in order, and what to keep and why, decided from
 * what the cluster holds (cluster-read.ts) and the deployment's files. Pure: bin/teardown.ts runs the kubectl calls.
 *
 * An object is the deployment's when it carries the deployment label with its name (everything of its files), or,
 * in its namespace, the charts' release label with its release name (what KubeSpawner makes: user servers, their
 * claims). Another value of either label is another deployment's or release's: never touched. Build pods carry no
 * release label: they are the deployment's all the same, as no other BinderHub can share its namespace (the charts'
 * object names carry no release prefix).
 */
import { kubectlResource, LiveObject, LiveState, SecretSummary } from './cluster-read';
import { BUILD_COMPONENT, serviceAddress, USER_SERVER_COMPONENT } from './status-checks';
import { DEPLOYMENT_LABEL } from '../core/labels';
import { ManifestObject } from '../output/manifest-check';

/** One object to delete or keep, as the plan names it. */
export interface TeardownObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined for a cluster-scoped object. */
  readonly namespace?: string;
  /** Of a LoadBalancer Service: its external address, or undefined while it has none. */
  readonly loadBalancer?: { readonly address?: string };
}

/** The steps of a teardown, in the order they run. */
export type TeardownStep = 'stop' | 'spawned' | 'workloads' | 'services' | 'secrets' | 'data' | 'cluster' | 'namespace';

/** What each step deletes, as the plan's headings say. */
const TEARDOWN_STEPS: ReadonlyArray<{ readonly step: TeardownStep; readonly title: string }> = [
  { step: 'stop', title: 'stop new builds and launches (the binder and hub Deployments)' },
  { step: 'spawned', title: 'user servers and build pods, and the Services, Secrets and ConfigMaps made for them' },
  { step: 'workloads', title: 'the deployment\'s workloads, routes, policies and accounts' },
  { step: 'services', title: 'Services, waiting until every LoadBalancer is gone' },
  { step: 'secrets', title: 'Secrets and ConfigMaps' },
  { step: 'data', title: 'data: PersistentVolumeClaims (--delete-data)' },
  { step: 'cluster', title: 'cluster-scoped objects of the release' },
  { step: 'namespace', title: 'the namespace' },
];

/** The objects one step deletes. */
export interface TeardownGroup {
  readonly step: TeardownStep;
  readonly title: string;
  readonly objects: TeardownObject[];
}

/** An object the teardown leaves, and why. */
export interface KeptObject {
  readonly object: TeardownObject;
  readonly reason: string;
}

/** A teardown: the groups to delete in order (only those with objects), and what is kept. */
export interface TeardownPlan {
  readonly deployment: string;
  readonly namespace: string;
  readonly groups: TeardownGroup[];
  readonly kept: KeptObject[];
}

/** What the plan decides from. */
export interface TeardownInputs {
  readonly deployment: string;
  /** The value of the deployment label, and the charts' release name. */
  readonly release: string;
  readonly namespace: string;
  /** The objects of the deployment's applied files: whether they create the namespace. */
  readonly expected: ManifestObject[];
  readonly live: LiveState;
  /** Whether PersistentVolumeClaims (the hub's database, users' home folders) go too. */
  readonly deleteData: boolean;
}

/** The Deployments that start builds (binder) and user servers (hub): stopped first, so nothing new starts meanwhile. */
const STOPPED_FIRST = ['binder', 'hub'];

/** Labels whose value names the release an object belongs to: the charts' (and KubeSpawner's) old and new ones. */
const RELEASE_LABELS = ['release', 'app.kubernetes.io/instance'];

/** Kinds deleted with the Secrets: those that make Secrets, and ConfigMaps. */
const SECRET_STEP_KINDS = ['Secret', 'SealedSecret', 'ExternalSecret', 'ConfigMap'];

/** Why a claim is kept without --delete-data. */
const DATA_KEPT = 'holds data (hub-db-dir is the hub\'s database: users, servers, tokens; claim-* are users\' home folders): '
  + '--delete-data deletes it';

const idOf = (o: TeardownObject) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;

/** `object` as the plan names it. */
function teardownObject(object: LiveObject): TeardownObject {
  const { apiVersion, kind, metadata: { name, namespace } } = object;
  const loadBalancer = kind === 'Service' && object.spec?.type === 'LoadBalancer' ? { loadBalancer: { address: serviceAddress(object) } } : {};
  return { apiVersion, kind, name, ...(namespace ? { namespace } : {}), ...loadBalancer };
}

/** A Secret summary as a listed object (its name and labels: no value was ever read). */
function secretObject(secret: SecretSummary, namespace: string): LiveObject {
  return { apiVersion: 'v1', kind: 'Secret', type: secret.type, metadata: { name: secret.name, namespace, labels: secret.labels } };
}

/**
 * Whose `object` is by its labels: the deployment label's value, else a release label's, else (a helm release's own
 * Secret) helm's `name`; undefined when it names none.
 */
export function releaseOf(object: LiveObject): string | undefined {
  const labels = object.metadata.labels ?? {};
  const named = [DEPLOYMENT_LABEL, ...RELEASE_LABELS].find(label => labels[label]);
  if (named) return labels[named];
  return labels.owner === 'helm' ? labels.name : undefined;
}

/** What the cluster makes in every namespace by itself: it goes with the namespace and belongs to no one. */
function clusterMade(object: LiveObject): boolean {
  return (object.kind === 'ConfigMap' && object.metadata.name === 'kube-root-ca.crt')
    || (object.kind === 'Secret' && object.type === 'kubernetes.io/service-account-token');
}

/** A pod BinderHub (a build) or KubeSpawner (a user server) made. */
const isSpawnedPod = (object: LiveObject) => object.kind === 'Pod' && [BUILD_COMPONENT, USER_SERVER_COMPONENT].includes(object.metadata.labels?.component ?? '');

/** Whether a workload of `workloads` owns `object` (a ReplicaSet of a Deployment is named after it): it goes with its owner. */
function ownedBy(object: LiveObject, workloads: LiveObject[]): boolean {
  const owners = (object.metadata.ownerReferences ?? []) as Array<{ kind: string; name: string }>;
  return owners.some(owner => workloads.some(w => (owner.kind === 'ReplicaSet'
    ? w.kind === 'Deployment' && owner.name.replace(/-[^-]+$/, '') === w.metadata.name : w.kind === owner.kind && w.metadata.name === owner.name)));
}

/** The TLS Secrets the deployment's Ingresses name: cert-manager makes them, and the Certificates for them, unlabelled. */
function ingressTlsSecrets(objects: LiveObject[]): Set<string> {
  return new Set(objects.filter(o => o.kind === 'Ingress').flatMap(i => (i.spec?.tls ?? []).map((t: any) => `${i.metadata.namespace}/${t.secretName}`)));
}

/** The step that deletes an object of the deployment's files. */
function fileStep(object: LiveObject): TeardownStep {
  if (!object.metadata.namespace) return 'cluster';
  if (object.kind === 'Deployment' && STOPPED_FIRST.includes(object.metadata.name)) return 'stop';
  if (object.kind === 'Service') return 'services';
  if (object.kind === 'PersistentVolumeClaim') return 'data';
  return SECRET_STEP_KINDS.includes(object.kind) ? 'secrets' : 'workloads';
}

/** The step that deletes an object of the release its namespace holds besides the files' (made by KubeSpawner or BinderHub). */
function spawnedStep(object: LiveObject): TeardownStep {
  if (object.kind === 'PersistentVolumeClaim') return 'data';
  return object.kind === 'Certificate' ? 'workloads' : 'spawned';
}

/** What the namespace holds besides the deployment's labelled objects, as listed objects. */
function namespaceObjects(inputs: TeardownInputs, labelled: Set<string>): LiveObject[] {
  const { live, namespace } = inputs;
  const all = [...live.pods, ...live.services, ...live.claims, ...live.configMaps, ...live.secrets.map(s => secretObject(s, namespace)), ...(live.certificates ?? [])];
  return all.filter(o => !labelled.has(idOf(teardownObject(o))) && !clusterMade(o));
}

/** The plan of taking the deployment down. */
export function teardownPlan(inputs: TeardownInputs): TeardownPlan {
  const { live, release, namespace } = inputs;
  const byStep = new Map<TeardownStep, TeardownObject[]>(TEARDOWN_STEPS.map(s => [s.step, []]));
  const kept: KeptObject[] = [];
  const remove = (step: TeardownStep, object: TeardownObject) => {
    if (step === 'data' && !inputs.deleteData) kept.push({ object, reason: DATA_KEPT });
    else byStep.get(step)!.push(object);
  };

  for (const object of live.objects.filter(o => o.kind !== 'Namespace')) remove(fileStep(object), teardownObject(object));

  const others = namespaceObjects(inputs, new Set(live.objects.map(o => idOf(teardownObject(o)))));
  const tls = ingressTlsSecrets(live.objects);
  for (const object of others) {
    const owner = releaseOf(object);
    const listed = teardownObject(object);
    if ((object.kind === 'Certificate' || object.kind === 'Secret') && tls.has(`${namespace}/${object.metadata.name}`)) {
      remove(fileStep(object), listed);
    } else if (owner === release) {
      remove(spawnedStep(object), listed);
    } else if (owner !== undefined) {
      kept.push({ object: listed, reason: `${object.metadata.labels?.[DEPLOYMENT_LABEL] ? 'of deployment' : 'of release'} ${owner}: never touched` });
    } else if (isSpawnedPod(object)) {
      remove('spawned', listed);
    } else if (!ownedBy(object, live.objects)) {
      kept.push({ object: listed, reason: `carries no label of ${inputs.deployment}: delete it by hand if it is the deployment's` });
    }
  }

  const namespaceObject = live.objects.find(o => o.kind === 'Namespace' && o.metadata.name === namespace);
  if (live.namespaceExists) {
    const decision = namespaceDecision(inputs, namespaceObject !== undefined, kept);
    if (decision === undefined) byStep.get('namespace')!.push(teardownObject(namespaceObject!));
    else kept.push({ object: { apiVersion: 'v1', kind: 'Namespace', name: namespace }, reason: decision });
  }
  return {
    deployment: inputs.deployment, namespace,
    groups: TEARDOWN_STEPS.map(({ step, title }) => ({ step, title, objects: byStep.get(step)! })).filter(g => g.objects.length > 0),
    kept,
  };
}

/**
 * Why the namespace stays, or undefined when it goes: only when the deployment's files create it (and it carries
 * their label) and nothing kept is in it, since deleting a namespace deletes everything in it.
 */
function namespaceDecision(inputs: TeardownInputs, labelled: boolean, kept: KeptObject[]): string | undefined {
  if (!inputs.expected.some(o => o.kind === 'Namespace' && o.metadata.name === inputs.namespace)) return `the files of ${inputs.deployment} do not create it`;
  if (!labelled) return `it carries no label of ${inputs.deployment}: it was not made by applying its files`;
  const inside = kept.filter(k => k.object.namespace === inputs.namespace).length;
  return inside > 0 ? `it holds ${inside} object${inside === 1 ? '' : 's'} kept (above), which deleting it would delete` : undefined;
}

/** The group's objects, by namespace ('' for cluster-scoped), in order. */
function byNamespace(objects: TeardownObject[]): Map<string, TeardownObject[]> {
  const grouped = new Map<string, TeardownObject[]>();
  for (const object of objects) grouped.set(object.namespace ?? '', [...grouped.get(object.namespace ?? '') ?? [], object]);
  return grouped;
}

/**
 * The kubectl calls (their arguments) that delete a group: one per namespace, each object by its kind's full name (so
 * no other group's kind of that name is meant) and name. Each waits until its objects are gone, bounded by
 * `timeoutSec`, so that the order holds (user servers gone before the hub's RBAC, LoadBalancers released by the cloud
 * before anything else goes) and what is left at the end is what did not go.
 */
export function deleteCommands(group: TeardownGroup, timeoutSec: number): string[][] {
  return [...byNamespace(group.objects)].map(([namespace, objects]) => [
    'delete', ...objects.map(o => `${kubectlResource(o.apiVersion, o.kind)}/${o.name}`), ...(namespace ? ['--namespace', namespace] : []),
    '--ignore-not-found', '--wait=true', `--timeout=${timeoutSec}s`,
  ]);
}

/** `Kind namespace/name`, and a LoadBalancer's address. */
export function formatTeardownObject(object: TeardownObject): string {
  const lb = object.loadBalancer ? ` (LoadBalancer ${object.loadBalancer.address ?? 'without an address yet'})` : '';
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}${lb}`;
}

/** The groups as numbered steps, one object a line. */
export function formatTeardownGroups(groups: TeardownGroup[]): string {
  return groups.map((g, i) => `${i + 1}. ${g.title}:\n${g.objects.map(o => `     ${formatTeardownObject(o)}\n`).join('')}`).join('');
}

/** What is kept, one object a line with why. */
export function formatKept(kept: KeptObject[]): string {
  return kept.map(k => `  ${formatTeardownObject(k.object)}: ${k.reason}\n`).join('');
}

/**
 * What to remove of the repository once the deployment is down (teardown removes none of it): its definition, and
 * of `files` (its hub URL record, its secrets file, a module adopt wrote) those that exist; then a synth, which
 * removes its manifests.
 */
export function repositoryAdvice(deployment: string, files: string[]): string {
  const remove = files.length > 0 ? `; delete ${files.join(', ')}` : '';
  return `in the repository (teardown removed nothing of it): remove ${deployment}'s BinderHub from main.ts${remove}; `
    + `then run \`npm run synth\`, which removes its files in dist/ and dist-secrets/\n`;
}
