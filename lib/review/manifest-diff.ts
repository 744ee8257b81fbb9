import { isDeepStrictEqual } from 'util';
import { expandLists, ManifestObject, objectId } from '../output/manifest-check';
import { SEALED_FINGERPRINTS_ANNOTATION } from '../secrets/secrets-mode';
import { isPlainObject } from '../core/values';

/** A field that differs between two versions of an object; `path` is as `spec.template.spec.containers[name=binder].image`. */
export interface FieldChange {
  readonly path: string;
  /** The old value; undefined when the field is new. */
  readonly before?: unknown;
  /** The new value; undefined when the field is gone. */
  readonly after?: unknown;
}

/** A Secret key or sealed value that differs: which key and how, never its value. */
export interface KeyChange {
  readonly key: string;
  readonly change: 'added' | 'removed' | 'changed' | 're-sealed';
}

/** What differs for one object, named `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
export interface ObjectDiff {
  readonly change: 'added' | 'removed' | 'changed';
  readonly id: string;
  /** Fields that differ, other than Secret values, sealed values and pod-template checksum annotations. */
  readonly fields: FieldChange[];
  /** Secret keys (`data`, `stringData`) and SealedSecret entries (`spec.encryptedData`) that differ. */
  readonly keys: KeyChange[];
}

/** A workload whose pods roll because `checksum/*` annotations of its pod template changed. */
export interface Restart {
  readonly workload: string;
  readonly annotations: string[];
}

/** What changes between two sets of objects. */
export interface ManifestDiff {
  /** Added and changed objects in the order of the new set, then removed ones in the order of the old set. */
  readonly objects: ObjectDiff[];
  readonly restarts: Restart[];
}

/**
 * What changes from `before` to `after`, object by object (matched by kind, namespace and name), without ever
 * holding a Secret value: Secret values (decoded, so `data` and `stringData` compare alike) and sealed values are
 * compared here and reported by key only. A change of a pod template's `checksum/*` annotation is reported as a
 * restart of its workload, not as a field. The items of a List are diffed as the objects they are.
 */
export function diffManifests(beforeObjects: ManifestObject[], afterObjects: ManifestObject[]): ManifestDiff {
  // The items of Lists are objects of their own (a Secret among them is masked); an item without metadata cannot be applied.
  const [before, after] = [beforeObjects, afterObjects].map(objects => expandLists(objects).filter(o => isPlainObject(o.metadata)));
  const old = new Map(before.map(o => [objectId(o), o]));
  const current = new Set(after.map(objectId));
  const objects: ObjectDiff[] = [];
  const restarts: Restart[] = [];
  for (const object of after) {
    const id = objectId(object);
    const previous = old.get(id);
    if (!previous) {
      objects.push({ change: 'added', id, fields: [], keys: [] });
      continue;
    }
    const keys = keyChanges(previous, object);
    const annotations = checksumChanges(previous, object);
    const fields = fieldChanges(comparable(previous), comparable(object));
    if (keys.length + fields.length > 0) objects.push({ change: 'changed', id, fields, keys });
    if (annotations.length > 0) restarts.push({ workload: id, annotations });
  }
  for (const [id] of [...old].filter(([key]) => !current.has(key))) objects.push({ change: 'removed', id, fields: [], keys: [] });
  return { objects, restarts };
}

/** Whether a diff holds no change at all. */
export function isEmptyDiff(diff: ManifestDiff): boolean {
  return diff.objects.length === 0 && diff.restarts.length === 0;
}

/** The fields that differ between two values, leaf by leaf; lists of items with distinct names are matched by name. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter(k => !(k in before))];
    return keys.flatMap(key => fieldChanges(before[key], after[key], joinPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = [before, after].map(namedItems);
    if (named[0] && named[1]) {
      const [a, b] = named as [Map<string, unknown>, Map<string, unknown>];
      const names = [...a.keys(), ...[...b.keys()].filter(n => !a.has(n))];
      return names.flatMap(name => fieldChanges(a.get(name), b.get(name), `${path}[name=${name}]`));
    }
    return Array.from({ length: Math.max(before.length, after.length) }, (_, i) => fieldChanges(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return [{ path, before, after }];
}

/** `path` followed by `key`: `.key` for a plain name, `["key"]` for one with dots, slashes or other characters. */
function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The items of a list by their `name`, if every item is an object with a name of its own. */
function namedItems(items: unknown[]): Map<string, unknown> | undefined {
  const names = items.map(item => isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined);
  if (items.length === 0 || names.some(n => n === undefined) || new Set(names).size !== names.length) return undefined;
  return new Map(items.map((item, i) => [names[i]!, item]));
}

/** Secret keys whose decoded values differ, and SealedSecret entries whose ciphertexts differ. */
function keyChanges(before: ManifestObject, after: ManifestObject): KeyChange[] {
  const compare = (a: Map<string, Buffer>, b: Map<string, Buffer>, changed: KeyChange['change']): KeyChange[] => [
    ...[...b].flatMap(([key, value]): KeyChange[] => {
      const old = a.get(key);
      if (!old) return [{ key, change: 'added' }];
      return old.equals(value) ? [] : [{ key, change: changed }];
    }),
    ...[...a.keys()].filter(key => !b.has(key)).map((key): KeyChange => ({ key, change: 'removed' })),
  ];
  // Objects are matched by an id that holds their kind, so both versions are of the same kind.
  if (after.kind === 'Secret') return compare(secretValues(before), secretValues(after), 'changed');
  if (after.kind === 'SealedSecret') return compare(sealedValues(before), sealedValues(after), 're-sealed');
  return [];
}

/** A Secret's values by key, decoded: `stringData` wins over `data`, as the API server merges them. */
function secretValues(secret: ManifestObject): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(asRecord(secret.data))) values.set(key, Buffer.from(String(value), 'base64'));
  for (const [key, value] of Object.entries(asRecord(secret.stringData))) values.set(key, Buffer.from(String(value)));
  return values;
}

function sealedValues(sealed: ManifestObject): Map<string, Buffer> {
  return new Map(Object.entries(asRecord(sealed.spec?.encryptedData)).map(([key, value]) => [key, Buffer.from(String(value))]));
}

/** The `checksum/*` annotations of the pod template that differ between two versions of a workload. */
function checksumChanges(before: ManifestObject, after: ManifestObject): string[] {
  const checksums = (object: ManifestObject) => Object.entries(asRecord(podTemplate(object)?.metadata?.annotations)).filter(([key]) => key.startsWith('checksum/'));
  const a = new Map(checksums(before));
  const b = new Map(checksums(after));
  return [...new Set([...a.keys(), ...b.keys()])].filter(key => a.get(key) !== b.get(key));
}

/** The pod template of a workload: `spec.template`, or a CronJob's `spec.jobTemplate.spec.template`. */
function podTemplate(object: ManifestObject): any {
  const spec = object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec : object.spec;
  return spec?.template;
}

/**
 * A copy of the object with what `keyChanges` and `checksumChanges` compare left out: Secret values, sealed values
 * and the annotation of their fingerprints, and the pod template's `checksum/*` annotations.
 */
function comparable(object: ManifestObject): unknown {
  const copy = structuredClone(object) as any;
  if (copy.kind === 'Secret') {
    delete copy.data;
    delete copy.stringData;
  }
  if (copy.kind === 'SealedSecret') {
    if (isPlainObject(copy.spec)) delete copy.spec.encryptedData;
    if (isPlainObject(copy.metadata.annotations)) delete copy.metadata.annotations[SEALED_FINGERPRINTS_ANNOTATION];
  }
  const metadata = podTemplate(copy)?.metadata;
  const annotations = metadata?.annotations;
  if (isPlainObject(annotations)) {
    for (const key of Object.keys(annotations).filter(k => k.startsWith('checksum/'))) delete annotations[key];
    // Annotations that were only checksums are none: a template given its first checksum has no other change.
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return copy;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}
