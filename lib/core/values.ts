/** Chart values: a tree of plain objects, arrays and scalars, as helm reads them from a values file. */
export type Values = { [key: string]: unknown };

/** Whether `value` is an object of keys, as JSON and YAML maps read: not null, not an array. */
export function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a setting sets nothing: null, '', or an empty list or map. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
}

/**
 * Merges `override` into `base` the way helm merges values files: objects merge key by key, anything else
 * (arrays included) is replaced. Neither input is modified.
 */
export function deepMerge(base: Values, override: Values): Values {
  const result: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}

/** Every text in `value`, however deep (in maps and lists), but the names of list entries. */
export function valueTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  // The `name` of a list's entry ({name, value} of an env list) identifies it; it is no value of its own.
  if (Array.isArray(value)) return value.flatMap(item => valueTexts(isPlainObject(item) ? { ...item, name: undefined } : item));
  return isPlainObject(value) ? Object.values(value).flatMap(valueTexts) : [];
}

/** Every leaf (a scalar, a list, or an empty map) of `values`, with its dotted path (keys may hold dots themselves). */
export function leafEntries(values: Values, prefix = ''): Array<[string, unknown]> {
  return Object.entries(values).flatMap(([key, value]): Array<[string, unknown]> => {
    const here = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(value) && Object.keys(value).length > 0 ? leafEntries(value, here) : [[here, value]];
  });
}

/** Every dotted path to a leaf (a scalar, a list, or an empty map) of `values`. */
export function leafPaths(values: Values, prefix = ''): string[] {
  return leafEntries(values, prefix).map(([path]) => path);
}

/** The value at the dotted path `path`, or undefined. */
export function getPath(values: Values, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets `value` at the dotted path `path` (or at its keys, which may hold dots) of `values`, making the maps on the way. */
export function setPath(values: Values, path: string | readonly string[], value: unknown): void {
  const keys = typeof path === 'string' ? path.split('.') : path;
  let node = values;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Values;
  node[keys[keys.length - 1]] = value;
}

/** Whether `values` has something at the dotted path `path` (keys themselves contain no dots here). */
export function hasPath(values: Values, path: string): boolean {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (!isPlainObject(node) || !(key in node)) {
      return false;
    }
    node = node[key];
  }
  return true;
}

/**
 * Removes the value at the dotted path `path` from `values` (in place) and returns it; maps left empty on the way are
 * removed too, so taking every key of a section leaves no `{}` behind.
 */
export function takePath(values: Values, path: string): unknown {
  const [key, ...rest] = path.split('.');
  if (!(key in values)) return undefined;
  if (rest.length === 0) {
    const value = values[key];
    delete values[key];
    return value;
  }
  const child = values[key];
  if (!isPlainObject(child)) return undefined;
  const value = takePath(child, rest.join('.'));
  if (Object.keys(child).length === 0) delete values[key];
  return value;
}

/** A deep copy of plain values (what YAML gives: maps, lists, scalars). */
export function cloneValues(values: Values): Values {
  return JSON.parse(JSON.stringify(values)) as Values;
}

