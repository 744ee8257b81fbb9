/**
 * `npm run diff -- --live`: what `kubectl diff` finds between the cluster and dist/, read from the two
 * folders kubectl hands its external diff program (one file per object: the live object, and the object as the
 * server would store it after the apply), compared by our own object differ. Pure: callers read the folders.
 */
import { registerSecretValues } from './redact';
import { diffManifests, ManifestDiff } from './manifest-diff';
import { ManifestObject } from './manifest-check';
import { parseManifest } from './manifest-files';
import { isPlainObject } from './values';

/** kubectl's record of the last client-side apply: for a Secret it holds every value, in clear. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata the API server keeps for itself; it changes on every write, so it is no change of ours. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

/** Annotations the server or a controller sets; the same reason. */
const SERVER_ANNOTATIONS = [LAST_APPLIED_ANNOTATION, 'deployment.kubernetes.io/revision'];

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
  return diffManifests(objects(live), objects(merged));
}

/**
 * A copy of a live object without what the server keeps for itself. The values of a Secret's last-applied
 * annotation are registered for redaction first, so nothing printed afterwards can carry them.
 */
export function comparableLiveObject(object: ManifestObject): ManifestObject {
  const copy = structuredClone(object) as any;
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
