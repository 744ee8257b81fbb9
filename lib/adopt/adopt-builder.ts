import { AdoptionNote, stringSetting } from './adopt-registry';
import { getPath, leafPaths, takePath } from './adopt-values';
import { Builder } from '../deployment/builder';
import { DEFAULT_DIND_IMAGE, DIND_SOCKET_NAME } from '../deployment/dind';
import { containerResources, ResourceQuantities } from '../core/quantities';
import { ConfigError } from '../core/errors';
import { isEmptyValue, isPlainObject, Values } from '../core/values';

/** The builder an adopted deployment gets: `Builder.<factory>(props)`. */
export interface BuilderPlan {
  readonly factory: 'dind' | 'pink' | 'host';
  readonly props: Values;
}

/**
 * The node folders of the chart's own builders where the values leave them unset (its values.yaml, today's and
 * 2019's): the socket folder, then the image store, by prop (the same name under `dind.` or `pink.`).
 */
export const CHART_BUILDER_FOLDERS: Readonly<Record<'dind' | 'pink', ReadonlyArray<readonly [string, string]>>> = {
  dind: [['hostSocketDir', '/var/run/dind'], ['hostLibDir', '/var/lib/dind']],
  pink: [['hostSocketDir', '/var/run/pink'], ['hostStorageDir', '/var/lib/pink/storage']],
};

/**
 * Takes the builder settings of both layouts out of `values`: the 2019 `dind.enabled` and today's
 * `imageBuilderType` choose the factory; the host folders (the chart's where the values leave them unset), image,
 * storage driver and extra arguments of dind (or pink's folders), `imageCleaner.enabled` and
 * `config.BinderHub.build_node_selector` become its props. The settings the builder replaces (sockets, the
 * cleaner's host paths) are noted; so is anything else under `dind` and `pink`, which the props have no place for,
 * and the move to folders of release `releaseName` alone, which adopt offers but never makes.
 */
export function planBuilder(values: Values, notes: AdoptionNote[], releaseName: string): BuilderPlan {
  const legacyDind = takePath(values, 'dind.enabled');
  const type = stringSetting(values, 'imageBuilderType') ?? 'host';
  if (!['host', 'dind', 'pink'].includes(type)) throw new ConfigError(`imageBuilderType "${type}" is none of host, dind, pink; fix it in the values files`);
  const factory = legacyDind === true ? 'dind' : type as BuilderPlan['factory'];
  if (legacyDind !== undefined) notes.push({ setting: 'dind.enabled', outcome: `a 2019 setting today's chart refuses; replaced by Builder.${factory}()` });
  const props: Values = {};
  if (factory !== 'host') takeFolders(values, factory, props, notes, releaseName);
  if (factory === 'dind') {
    copy(values, props, { 'dind.storageDriver': 'storageDriver', 'dind.daemonset.extraArgs': 'extraArgs' });
    if (Array.isArray(props.extraArgs) && props.extraArgs.length === 0) delete props.extraArgs;
    const name = getPath(values, 'dind.daemonset.image.name');
    const tag = getPath(values, 'dind.daemonset.image.tag');
    if (name !== undefined || tag !== undefined) {
      props.image = `${takePath(values, 'dind.daemonset.image.name') ?? 'docker.io/library/docker'}:${takePath(values, 'dind.daemonset.image.tag') ?? 'latest'}`;
      const age = dockerYear(String(tag));
      if (age) {
        notes.push({ setting: 'dind.daemonset.image', outcome: `kept as Builder.dind({ image: "${props.image}" }), but Docker ${age.version} dates from ${age.year} and `
          + `has had no security fixes for years; deleting image from the module takes ${DEFAULT_DIND_IMAGE}, Builder.dind()'s default` });
      }
    }
    const resources = dindResources(values, notes);
    if (resources) props.resources = resources;
    // Our dockerd's socket is docker.sock, the name BinderHub's config assumes whatever the chart says.
    if ((takePath(values, 'dind.hostSocketName') ?? DIND_SOCKET_NAME) !== DIND_SOCKET_NAME) {
      notes.push({ setting: 'dind.hostSocketName', outcome: `not carried over: our DinD's socket is ${DIND_SOCKET_NAME}, the name BinderHub's config assumes anyway` });
    }
  }
  const cleaner = takePath(values, 'imageCleaner.enabled');
  if (cleaner === false) props.imageCleaner = false;
  copy(values, props, { 'config.BinderHub.build_node_selector': 'nodeSelector' });
  if (isPlainObject(props.nodeSelector) && Object.keys(props.nodeSelector).length === 0) delete props.nodeSelector;
  for (const replaced of ['imageCleaner.host', 'config.KubernetesBuildExecutor.docker_host', 'config.BinderHub.build_docker_host']) {
    if (takePath(values, replaced) !== undefined) notes.push({ setting: replaced, outcome: `set by Builder.${factory}() from its own socket and folders` });
  }
  for (const section of ['dind', 'pink']) {
    const rest = takePath(values, section);
    if (!isPlainObject(rest)) continue;
    // A setting left empty (`extraVolumes: []`, `lifecycle: {}`) sets nothing.
    for (const leaf of leafPaths(rest).filter(leaf => !isEmptyValue(getPath(rest, leaf)))) {
      notes.push({ setting: `${section}.${leaf}`, outcome: `not carried over: Builder.${factory}() has no such option; add it by hand if you need it` });
    }
  }
  const plan = { factory, props };
  makeBuilder(plan);
  return plan;
}

/**
 * Moves the builder's node folders into `props`, those the values leave unset as the chart's: the running builder's
 * socket and build cache are there, and tools on the nodes may use the socket. Those are noted with the move to the
 * folders the factory would pick for this release alone, and what it costs, for the user to make or not.
 */
function takeFolders(values: Values, factory: 'dind' | 'pink', props: Values, notes: AdoptionNote[], releaseName: string): void {
  const own = makeBuilder({ factory, props: {} }).hostPaths(releaseName);
  const ownFolders = [own.socketDir, own.libDir];
  const kept = CHART_BUILDER_FOLDERS[factory].flatMap(([prop, chartFolder], i) => {
    const given = takePath(values, `${factory}.${prop}`);
    props[prop] = given ?? chartFolder;
    return given === undefined || given === null ? [{ prop, chartFolder, ownFolder: ownFolders[i], cost: MOVE_COSTS[i] }] : [];
  });
  if (kept.length === 0) return;
  notes.push({
    setting: kept.map(k => `${factory}.${k.prop}`).join(', '),
    outcome: `left at the chart's defaults, kept as Builder.${factory}({ ${kept.map(k => `${k.prop}: "${k.chartFolder}"`).join(', ')} }), where the `
      + `running builder has them. Deleting ${kept.length > 1 ? 'these props' : 'this prop'} from the module would move the builder to `
      + `${kept.map(k => k.ownFolder).join(', ')}, folders of this release alone; then ${kept.map(k => k.cost).join(', ')}`,
  });
}

/** What moving a builder's socket folder, and its image store, costs on the nodes (in the order of CHART_BUILDER_FOLDERS). */
const MOVE_COSTS = [
  'tools that use the old socket lose it',
  'every node builds with an empty cache, and the old one stays on the nodes until removed by hand',
];

/**
 * The Docker version of a dind image tag and the year it dates from, for the versions Docker named by year and month
 * (17.03 to 20.10, such as the 2019 guide's `18.09.2-dind`); undefined for other tags.
 */
function dockerYear(tag: string): { version: string; year: string } | undefined {
  const match = /^(1[7-9]|20)(\.(0[1-9]|1[0-2]))?(?=[.-]|$)/.exec(tag);
  return match ? { version: match[0], year: `20${match[1]}` } : undefined;
}

/**
 * `dind.resources` as the quantities `containerResources` takes (the module writes them so, as the files had them);
 * the resources Builder.dind has no place for (other than CPU and memory) are noted.
 */
function dindResources(values: Values, notes: AdoptionNote[]): ResourceQuantities | undefined {
  const given = takePath(values, 'dind.resources');
  if (!isPlainObject(given)) return undefined;
  const quantities: Record<string, Record<string, unknown>> = {};
  for (const [side, prop] of [['requests', 'request'], ['limits', 'limit']] as const) {
    const section = given[side];
    if (!isPlainObject(section)) continue;
    for (const [resource, quantity] of Object.entries(section)) {
      if (resource === 'cpu' || resource === 'memory') {
        (quantities[resource] ??= {})[prop] = quantity;
      } else {
        notes.push({ setting: `dind.resources.${side}.${resource}`, outcome: 'not carried over: Builder.dind resources take CPU and memory; add it by hand if you need it' });
      }
    }
  }
  return Object.keys(quantities).length > 0 ? quantities as ResourceQuantities : undefined;
}

/** Makes the builder of `plan`, as the module will: the factory's own checks run. */
export function makeBuilder(plan: BuilderPlan): Builder {
  const { resources, ...rest } = plan.props;
  const props = resources === undefined ? rest : { ...rest, resources: containerResources(resources as ResourceQuantities, 'dind.resources') };
  try {
    return (Builder as unknown as Record<string, (p: Values) => Builder>)[plan.factory](props);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`the builder settings (dind.*, pink.*, imageBuilderType) map to Builder.${plan.factory}, which refuses them: ${error.message}`);
  }
}

/** Moves each setting of `paths` (dotted path → prop) that is present from `values` into `props`. */
function copy(values: Values, props: Values, paths: Readonly<Record<string, string>>): void {
  for (const [path, prop] of Object.entries(paths)) {
    const value = takePath(values, path);
    if (value !== undefined && value !== null) props[prop] = value;
  }
}
