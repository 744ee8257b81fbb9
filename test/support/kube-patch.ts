/**
 * The patches the fake Kubernetes API server (fake-kube-api.ts) applies. JSON merge patch (RFC 7386) is exact:
 * maps merge key by key, null deletes, anything else (lists included) replaces. Strategic merge patch is an
 * approximation of it that covers what `kubectl apply`'s three-way patches hold: as a merge patch, except that a list
 * whose `$setElementOrder/<list>` directive names a merge key (`[{name: a}, {name: b}]`) is merged element by
 * element on that key, in that order (elements the order leaves out, or marked `$patch: delete`, are dropped); a list
 * of plain values with such a directive becomes the order itself. Other `$` directives (`$retainKeys`, `$patch` on a
 * map, `$deleteFromPrimitiveList/...`) are dropped, and without a `$setElementOrder` a list is replaced whole.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `target` with `patch` merged in (RFC 7386); neither is changed. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const ORDER = '$setElementOrder/';

/** `target` with the strategic merge patch `patch` applied, as approximated above; neither is changed. */
export function strategicMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const order = patch[`${ORDER}${key}`];
    if (value === null) delete result[key];
    else if (Array.isArray(value) && Array.isArray(order)) result[key] = mergeList(result[key], value, order);
    else result[key] = strategicMergePatch(result[key], value);
  }
  // A list that only changed order comes as the directive alone.
  for (const [key, order] of Object.entries(patch)) {
    const list = key.slice(ORDER.length);
    if (key.startsWith(ORDER) && Array.isArray(order) && !(list in patch)) result[list] = mergeList(result[list], [], order);
  }
  return result;
}

/** The list `order` names, each element the current one with its patch merged in. */
function mergeList(current: Json | undefined, patch: Json[], order: Json[]): Json[] {
  if (!order.every(isObject)) return order;
  const mergeKey = Object.keys(order[0] ?? {})[0];
  const keyOf = (element: Json) => (isObject(element) ? JSON.stringify(element[mergeKey]) : undefined);
  const currentList = Array.isArray(current) ? current : [];
  return order.flatMap(entry => {
    const key = keyOf(entry);
    const patched = patch.find(element => keyOf(element) === key);
    if (isObject(patched) && patched.$patch === 'delete') return [];
    const existing = currentList.find(element => keyOf(element) === key);
    if (patched === undefined) return existing === undefined ? [] : [existing];
    return [strategicMergePatch(existing ?? {}, patched)];
  });
}
