import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { ConfigError } from './errors';
import { deepMerge, isPlainObject, Values } from './values';

/**
 * Reads helm values files and merges them as `helm -f a.yaml -f b.yaml` does: later files win, maps merge key by
 * key, lists are replaced. A file that is missing, not YAML or not a map fails with one line naming it; the line
 * never quotes the file's text, which may hold tokens.
 */
export function readValuesLayers(files: ReadonlyArray<string>): Values {
  return files.map(readValuesFile).reduce(deepMerge, {});
}

/** Reads one values file; an empty file is an empty map, as helm reads it. */
export function readValuesFile(file: string): Values {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'an error'})`;
    throw new ConfigError(`values file ${file} ${what}; give the path of the guide's secret.yaml or config.yaml`);
  }
  let content: unknown;
  try {
    content = yaml.load(text, { schema: yaml.YAML11_SCHEMA });
  } catch (error) {
    // js-yaml's message quotes the lines around the error, which could be a token: say where only.
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new ConfigError(`values file ${file} is not valid YAML${line === undefined ? '' : ` (line ${line + 1})`}; fix it (a tab, or a missing quote or colon?)`);
  }
  if (content === null || content === undefined) return {};
  if (!isPlainObject(content)) {
    throw new ConfigError(`values file ${file} must hold a map of chart values (such as \`config:\` and \`jupyterhub:\`), not a ${Array.isArray(content) ? 'list' : typeof content}`);
  }
  return content;
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

/** Every dotted path to a leaf (a scalar, a list, or an empty map) of `values`. */
export function leafPaths(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const here = prefix ? `${prefix}.${key}` : key;
    return isPlainObject(value) && Object.keys(value).length > 0 ? leafPaths(value, here) : [here];
  });
}
