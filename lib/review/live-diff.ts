/**
 * `npm run diff -- --live`: what `kubectl diff` finds between the cluster and dist/, read from the two
 * folders kubectl hands its external diff program (one file per object: the live object, and the object as the
 * server would store it after the apply), compared by our own object differ. Pure: callers read the folders.
 */
import { MAX_OBJECT_BYTES } from '../core/input-files';
import { isSecretKind } from '../core/kinds';
import { registerSecretValues } from '../core/redact';
import { diffManifests, ManifestDiff } from './manifest-diff';
import { ManifestObject, objectId } from '../output/manifest-check';
import { parseManifest } from '../output/manifest-files';
import { scopeAnnotations } from '../secrets/seal';
import { isPlainObject } from '../core/values';

/** kubectl's record of the last client-side apply: for a Secret it holds every value, in clear. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The most one of kubectl's object files may hold. The API server stores objects of up to about 1.5 MiB (etcd's
 * request limit), and kubectl's YAML of one, with the last-applied annotation repeating it, is at most about twice
 * that; anything larger is no object kubectl wrote.
 */
export const MAX_KUBECTL_OBJECT_FILE_BYTES = 4 * MAX_OBJECT_BYTES;

/** Metadata the API server keeps for itself; it changes on every write, so it is no change of ours. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

/** Annotations the server or a controller sets; the same reason. */
const SERVER_ANNOTATIONS = [LAST_APPLIED_ANNOTATION, 'deployment.kubernetes.io/revision'];

/**
 * The annotations we put on Secrets (the sealing scope, which the controller copies from a SealedSecret): their
 * values are no secret. Any other annotation of a Secret may hold anything, a token among them, and is masked.
 */
const OUR_SECRET_ANNOTATIONS: readonly string[] = [...Object.keys(scopeAnnotations('namespace-wide')), ...Object.keys(scopeAnnotations('cluster-wide'))];

/**
 * The diff between kubectl's two folders, given as file texts: the objects as they are live, and as they would
 * be after the apply. Server bookkeeping and `status` are left out; Secret values arrive masked by kubectl
 * (`***`, or `*** (before)` and `*** (after)` where they differ), so they show as changed keys only.
 */
export function diffLiveObjects(live: ReadonlyMap<string, string>, merged: ReadonlyMap<string, string>): ManifestDiff {
  const objects = (texts: ReadonlyMap<string, string>) => [...texts]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([file, text]) => parseManifest(text, file))
    .map(comparableLiveObject);
  const [before, after] = [objects(live), objects(merged)];
  return diffManifests(maskSecretAnnotations(before, after, 'before'), maskSecretAnnotations(after, before, 'after'));
}

/**
 * `objects` with the annotations of their Secrets that are not ours masked as kubectl masks values: `***` where the
 * object of the same id in `others` has the same value, else `*** (before)` or `*** (after)` (`side`). A change
 * still shows, its value never.
 */
function maskSecretAnnotations(objects: ManifestObject[], others: ManifestObject[], side: 'before' | 'after'): ManifestObject[] {
  const otherById = new Map(others.map(other => [objectId(other), other]));
  const annotationsOf = (object: ManifestObject | undefined) => (object?.metadata as { annotations?: unknown } | undefined)?.annotations;
  return objects.map(object => {
    const own = annotationsOf(object);
    if (object.kind !== 'Secret' || !isPlainObject(own)) return object;
    const theirs = annotationsOf(otherById.get(objectId(object)));
    const annotations = Object.fromEntries(Object.entries(own).map(([key, value]) => [key,
      OUR_SECRET_ANNOTATIONS.includes(key) ? value : isPlainObject(theirs) && theirs[key] === value ? '***' : `*** (${side})`]));
    return { ...object, metadata: { ...object.metadata, annotations } };
  });
}

/**
 * A copy of a live object without what the server keeps for itself. The values of a Secret's last-applied
 * annotation are registered for redaction first, so nothing printed afterwards can carry them. A Secret spelled in
 * another case (`secret`, whose values kubectl does not mask) becomes `Secret`, so it is compared as one.
 */
export function comparableLiveObject(object: ManifestObject): ManifestObject {
  const copy = structuredClone(object) as any;
  if (isSecretKind(copy.kind)) copy.kind = 'Secret';
  const annotations: Record<string, string> | undefined = copy.metadata.annotations;
  if (copy.kind === 'Secret' && annotations?.[LAST_APPLIED_ANNOTATION]) registerLastApplied(annotations[LAST_APPLIED_ANNOTATION]);
  for (const key of SERVER_METADATA) delete copy.metadata[key];
  if (annotations) {
    for (const key of SERVER_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  delete copy.status;
  // kubectl's masks are not base64; stored as the base64 of the mask, they compare as the masks do.
  if (copy.kind === 'Secret' && isPlainObject(copy.data)) {
    copy.data = Object.fromEntries(Object.entries(copy.data).map(([key, mask]) => [key, Buffer.from(String(mask)).toString('base64')]));
  }
  return copy;
}

function registerLastApplied(text: string): void {
  try {
    const applied: unknown = JSON.parse(text);
    if (isPlainObject(applied)) registerSecretValues(applied);
  } catch {
    // not kubectl's JSON: nothing of it is printed anyway
  }
}
