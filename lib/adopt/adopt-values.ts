import { ConfigError } from '../core/errors';
import { readInputText } from '../core/input-files';
import { parseValuesYaml } from '../chart/values-yaml';
import { deepMerge, isPlainObject, Values } from '../core/values';

// Also here for the adopt modules that read and take settings.
export { cloneValues, getPath, leafPaths, takePath } from '../core/values';

/**
 * Reads helm values files and merges them as `helm -f a.yaml -f b.yaml` does: later files win, maps merge key by
 * key, lists are replaced. A file that is missing, not YAML or not a map fails with one line naming it; the line
 * never quotes the file's text, which may hold tokens.
 */
export function readValuesLayers(files: ReadonlyArray<string>): Values {
  return files.map(readValuesFile).reduce(deepMerge, {});
}

/**
 * Reads and merges the values files as readValuesLayers does, and where each value came from: `fromSecretFiles` has
 * `true` at every leaf whose value a file of `secretFiles` gave last, merged as the values are, so a later file that
 * sets the same leaf wins.
 */
export function readAdoptedValues(files: ReadonlyArray<string>, secretFiles: ReadonlyArray<string>): { values: Values; fromSecretFiles: Values } {
  const layers = files.map(file => ({ values: readValuesFile(file), secret: secretFiles.includes(file) }));
  return {
    values: layers.map(layer => layer.values).reduce(deepMerge, {}),
    fromSecretFiles: layers.map(layer => markLeaves(layer.values, layer.secret)).reduce(deepMerge, {}),
  };
}

/** `values` with every scalar and list (what a merge replaces) replaced by `mark`; maps, empty ones too, merge as values do. */
function markLeaves(values: Values, mark: boolean): Values {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, isPlainObject(value) ? markLeaves(value, mark) : mark]));
}

/** Reads one values file; an empty file is an empty map, as helm reads it. */
export function readValuesFile(file: string): Values {
  const documents = parseValuesYaml(readValuesText(file), file);
  // helm 4 merges the documents of a values file, helm 3 reads the first: a file only means one thing with one.
  const values = documents.filter(document => document !== null);
  if (values.length > 1) {
    throw new ConfigError(`values file ${file} holds ${values.length} YAML documents (split by ---), which helm 4 merges and helm 3 reads only the first of; keep one map of values per file`);
  }
  if (values.length === 0) return {};
  const content = values[0];
  if (!isPlainObject(content)) {
    throw new ConfigError(`values file ${file} must hold a map of chart values (such as \`config:\` and \`jupyterhub:\`), not a ${Array.isArray(content) ? 'list' : typeof content}`);
  }
  checkValuesShape(file, content);
  return content;
}

const VALUES_FIX = 'give the path of the guide\'s secret.yaml or config.yaml';

/** The text of a values file: a regular file of at most 1 MiB (as much as helm's release Secret holds), UTF-8. */
function readValuesText(file: string): string {
  try {
    return readInputText(file, { fix: VALUES_FIX });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new ConfigError(`values file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; ${VALUES_FIX}`);
  }
}

/** The binderhub chart's top-level settings (its values schema), and those of the 2019 chart that today's refuses. */
const CHART_SETTINGS = new Set([
  'pdb', 'replicas', 'resources', 'rbac', 'nodeSelector', 'tolerations', 'image', 'registry', 'service', 'config', 'extraConfig', 'extraFiles',
  'extraPodSpec', 'jupyterhub', 'deployment', 'imageBuilderType', 'dind', 'pink', 'imageCleaner', 'httpRoute', 'ingress', 'initContainers',
  'lifecycle', 'extraVolumes', 'extraVolumeMounts', 'extraEnv', 'podAnnotations', 'global', 'hpa', 'networkPolicy', 'cors',
  'github', 'gitlab', 'hub', 'build', 'perRepoQuota',
]);
const HINT = 'give the guide\'s secret.yaml or config.yaml, or what `helm get values <release> -o yaml` prints';

/**
 * Fails on a map that is not the binderhub chart's values: a Kubernetes manifest, helm's table output, the values of
 * a chart that depends on binderhub (nested under `binderhub:`), or a map without one setting of the chart. Names
 * only keys it expects, never values or other keys (the file may be anything, such as a secrets file).
 */
function checkValuesShape(file: string, content: Values): void {
  const keys = Object.keys(content);
  const heading = 'USER-SUPPLIED VALUES' in content;
  if (keys.length === 0 || (keys.some(key => CHART_SETTINGS.has(key)) && !heading)) return;
  if (isPlainObject(content.binderhub)) {
    throw new ConfigError(`values file ${file} holds the binderhub chart's values under \`binderhub:\`, as the values of a chart that depends on it `
      + '(such as mybinder.org-deploy\'s) do; put the map under it in a file of its own and adopt that');
  }
  if (typeof content.apiVersion === 'string' && typeof content.kind === 'string') {
    throw new ConfigError(`values file ${file} is a Kubernetes manifest (it has apiVersion and kind), not chart values; ${HINT}`);
  }
  if (heading) {
    throw new ConfigError(`values file ${file} starts with the heading \`USER-SUPPLIED VALUES:\` of \`helm get values\`; run it with -o yaml, which prints the values alone`);
  }
  throw new ConfigError(`values file ${file} has no setting of the binderhub chart among its ${keys.length} top-level ${keys.length === 1 ? 'key' : 'keys'}; ${HINT}`);
}
