import { isClusterScoped } from '../core/kinds';

/** A Kubernetes object as it stands in a manifest file. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [key: string]: any;
}

/** Options for `checkManifests`. */
export interface ManifestCheckOptions {
  /** Whether a kind is known to the Kubernetes schemas or to an imported CRD. */
  readonly isKnownKind: (apiVersion: string, kind: string) => boolean;
  /**
   * Objects that pods may name although the output does not hold them, because something else creates them,
   * as `Kind/namespace/name` (such as `Secret/binderhub-prod/hub-tls`).
   * @default []
   */
  readonly userProvided?: string[];
}

/**
 * Checks that a set of objects can be applied as it is: every kind known, a namespace exactly on namespaced
 * kinds, no object twice, and every Secret, ConfigMap and ServiceAccount a pod template names present (or
 * declared as provided by the user). Returns the problems, one line each; none means the set is apply-ready.
 */
export function checkManifests(objects: ManifestObject[], options: ManifestCheckOptions): string[] {
  const problems: string[] = [];
  // Stryker disable next-line ArrayDeclaration: an entry without a slash never equals a Kind/namespace/name id
  const present = new Set(options.userProvided ?? []);
  for (const object of objects) {
    const id = objectId(object);
    if (!options.isKnownKind(object.apiVersion, object.kind)) {
      problems.push(`${id}: kind ${object.apiVersion} ${object.kind} is known neither to the Kubernetes schemas nor to an imported CRD`);
    }
    if (isClusterScoped(object.kind) && object.metadata.namespace !== undefined) {
      problems.push(`${id}: ${object.kind} is cluster-scoped but carries metadata.namespace`);
    }
    if (!isClusterScoped(object.kind) && !object.metadata.namespace) {
      problems.push(`${id}: ${object.kind} is namespaced but has no metadata.namespace`);
    }
    if (present.has(id)) {
      problems.push(`${id}: defined more than once`);
    }
    present.add(id);
  }
  for (const object of objects) {
    const provided = providedSecret(object);
    if (provided) present.add(provided);
  }
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    for (const [kind, name] of podReferences(pod)) {
      const ref = `${kind}/${object.metadata.namespace}/${name}`;
      if (!present.has(ref)) {
        problems.push(`${objectId(object)}: its pods name ${ref}, which is not in the output (declare it user-provided if something else creates it)`);
      }
    }
  }
  return problems;
}

/**
 * The objects with each List (`kind: List`, `SecretList`) replaced by its items, which is what `kubectl apply` applies;
 * items that are not objects are left out.
 */
export function expandLists(objects: ManifestObject[]): ManifestObject[] {
  const isObject = (value: unknown): value is ManifestObject => typeof value === 'object' && value !== null;
  return objects.flatMap(o => /List$/.test(o.kind) && Array.isArray(o.items) ? o.items.filter(isObject) : [o]);
}

/** An object's name in messages and diffs: `Kind/namespace/name`, or `Kind/name` when it has no namespace. */
export function objectId(object: ManifestObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}${object.metadata.namespace ? '/' : ''}${object.metadata.name}`;
}

/** The Secret a SealedSecret or ExternalSecret makes in the cluster, as `Secret/<namespace>/<name>`; undefined for other kinds. */
export function providedSecret(object: ManifestObject): string | undefined {
  const namespace = object.metadata.namespace;
  switch (object.kind) {
    case 'SealedSecret': return `Secret/${namespace}/${object.spec?.template?.metadata?.name ?? object.metadata.name}`;
    case 'ExternalSecret': return `Secret/${namespace}/${object.spec?.target?.name ?? object.metadata.name}`;
    default: return undefined;
  }
}

/** The pod spec of an object that runs pods (a Pod's own, a CronJob's job template's, else `spec.template`'s), if any. */
export function podSpecOf(object: ManifestObject): any {
  switch (object.kind) {
    case 'Pod': return object.spec;
    case 'CronJob': return object.spec?.jobTemplate?.spec?.template?.spec;
    default: return object.spec?.template?.spec;
  }
}

/** The Secrets, ConfigMaps and ServiceAccount a pod spec needs, as [kind, name]; optional references are skipped. */
function podReferences(pod: any): Array<[string, string]> {
  const refs: Array<[string, string]> = [];
  const add = (kind: string, ref: { name?: string; secretName?: string; optional?: boolean } | undefined) => {
    const name = ref?.name ?? ref?.secretName;
    if (name && !ref?.optional) refs.push([kind, name]);
  };
  if (pod.serviceAccountName && pod.serviceAccountName !== 'default') refs.push(['ServiceAccount', pod.serviceAccountName]);
  for (const secret of list(pod.imagePullSecrets)) add('Secret', secret);
  for (const volume of list(pod.volumes)) {
    add('Secret', volume.secret);
    add('ConfigMap', volume.configMap);
    for (const source of list(volume.projected?.sources)) {
      add('Secret', source.secret);
      add('ConfigMap', source.configMap);
    }
  }
  for (const container of [...list(pod.initContainers), ...list(pod.containers)]) {
    for (const env of list(container.env)) {
      add('Secret', env.valueFrom?.secretKeyRef);
      add('ConfigMap', env.valueFrom?.configMapKeyRef);
    }
    for (const source of list(container.envFrom)) {
      add('Secret', source.secretRef);
      add('ConfigMap', source.configMapRef);
    }
  }
  return refs;
}

/** A pod spec's list field, or none where it is absent (or, in a hand-written manifest, no list). */
function list(value: unknown): any[] {
  // Stryker disable next-line ArrayDeclaration: the items of a made-up list name no Secret, ConfigMap or ServiceAccount
  return Array.isArray(value) ? value : [];
}
