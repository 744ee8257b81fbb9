import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yaml from 'js-yaml';
import { ConfigError } from '../core/errors';
import { readTarFiles } from '../core/tar';
import { isPlainObject, Values } from '../core/values';

/**
 * The oldest binderhub chart build this project renders: build 3852 (Nov 2025) moved the image cleaner's host
 * settings to `imageCleaner.host.dockerSocketDir` / `dockerSocketName`, which the builders set. Older charts'
 * schemas refuse those (`imageCleaner.host: Additional property dockerSocketDir is not allowed`), an error about a
 * setting the operator never wrote.
 */
export const OLDEST_SUPPORTED_CHART_BUILD = 3852;

/** The oldest supported chart, as versions of the development series read (any commit hash). */
export const OLDEST_SUPPORTED_CHART_VERSION = `1.0.0-0.dev.git.${OLDEST_SUPPORTED_CHART_BUILD}`;

/**
 * The version a git checkout of the chart carries: chartpress replaces it, and the image tags, when it packages
 * the chart. The version tells nothing about the checkout's age.
 */
const CHARTPRESS_PLACEHOLDER_VERSION = /set\.by\.chartpress/;

/** The binderhub development series: `1.0.0-0.dev.git.<build>.h<commit>`. */
const DEVELOPMENT_VERSION = /^1\.0\.0-0\.dev\.git\.(\d+)\.h[0-9a-f]+$/;

/** What this project reads of a chart before helm renders it. */
export interface ChartMetadata {
  /** Chart.yaml `name`. */
  readonly name: string;
  /** Chart.yaml `version`. */
  readonly version: string;
  /**
   * The chart's values.schema.json, as text.
   * @default - none: the chart has no values schema (such as a git checkout, which chartpress has not packaged)
   */
  readonly valuesSchema?: string;
}

/**
 * Reads Chart.yaml and values.schema.json of the top-level chart of a local chart directory (with a Chart.yaml,
 * as ChartSource.local checks first) or packaged .tgz, in this process (a helm process would cost about as much as
 * a render). Subcharts in `charts/` are not read. Throws a ConfigError naming `chartPath` if a package or a
 * Chart.yaml is unreadable.
 */
export function readChartMetadata(chartPath: string): ChartMetadata {
  const files = fs.statSync(chartPath).isDirectory() ? readChartDirectory(chartPath) : readChartPackage(chartPath);
  return parseChartMetadata(files, chartPath);
}

/** The top-level Chart.yaml and values.schema.json of a chart, as text. */
export interface ChartFiles {
  /** Chart.yaml. */
  readonly chartYaml: string;
  /**
   * values.schema.json.
   * @default - none: the chart has no values schema
   */
  readonly valuesSchema?: string;
}

function readChartDirectory(dir: string): ChartFiles {
  const schema = path.join(dir, 'values.schema.json');
  return {
    chartYaml: fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'),
    valuesSchema: fs.existsSync(schema) ? fs.readFileSync(schema, 'utf8') : undefined,
  };
}

/**
 * The files of a package read: a packaged chart holds `<chart name>/Chart.yaml` and so on; `<chart name>/charts/*`
 * are its subcharts.
 */
// Stryker disable next-line Regex: without $ only files never looked up (such as <chart>/Chart.yaml.orig) are read as well
const TOP_LEVEL_CHART_FILE = /^[^/]+\/(Chart\.yaml|values\.schema\.json)$/;

function readChartPackage(file: string): ChartFiles {
  let entries: Map<string, Buffer>;
  try {
    entries = readTarFiles(zlib.gunzipSync(fs.readFileSync(file)), name => TOP_LEVEL_CHART_FILE.test(name));
  } catch (error) {
    throw new ConfigError(`local chart ${file} is not a readable chart package (${(error as Error).message}); `
      + 'give a binderhub chart directory or a .tgz from `helm package` or `helm pull`');
  }
  const chartYaml = [...entries.keys()].find(name => name.endsWith('/Chart.yaml'));
  if (chartYaml === undefined) {
    throw new ConfigError(`local chart ${file} holds no <chart>/Chart.yaml; give a binderhub chart directory or a .tgz from \`helm package\` or \`helm pull\``);
  }
  const schema = entries.get(`${path.posix.dirname(chartYaml)}/values.schema.json`);
  return { chartYaml: entries.get(chartYaml)!.toString('utf8'), valuesSchema: schema?.toString('utf8') };
}

/** The metadata in a chart's files; `source` names the chart in errors. */
export function parseChartMetadata(files: ChartFiles, source: string): ChartMetadata {
  let chart: any;
  try {
    chart = yaml.load(files.chartYaml);
  } catch {
    // No YAML: chart stays undefined, refused below.
  }
  if (typeof chart !== 'object' || chart === null || !chart.name || chart.version === undefined || chart.version === null) {
    throw new ConfigError(`local chart ${source} has no valid Chart.yaml (with name and version); give a binderhub chart directory or .tgz`);
  }
  return { name: String(chart.name), version: String(chart.version), valuesSchema: files.valuesSchema };
}

/** What a chart version says about support: known good, known too old, or nothing (then the chart's files decide). */
export type VersionSupport = 'supported' | 'too old' | 'unknown';

/**
 * Judges a binderhub chart version alone: `1.0.0-0.dev.git.<build>.h<commit>` by its build; versions before 1.0
 * (such as the 2019 guide's `0.2.0-3b53fce`) are too old; anything else (a git checkout's placeholder, a later
 * release) is unknown.
 */
export function versionSupport(version: string): VersionSupport {
  const build = developmentBuild(version);
  if (build !== undefined) {
    return build >= OLDEST_SUPPORTED_CHART_BUILD ? 'supported' : 'too old';
  }
  if (/^0\.\d+\.\d+\b/.test(version) && !CHARTPRESS_PLACEHOLDER_VERSION.test(version)) return 'too old';
  return 'unknown';
}

/** The build number of a development version (`1.0.0-0.dev.git.<build>.h<commit>`), by which builds compare; else undefined. */
export function developmentBuild(version: string): number | undefined {
  const development = DEVELOPMENT_VERSION.exec(version);
  return development ? Number(development[1]) : undefined;
}

/** Why a chart is refused before helm renders it, and what to do instead. */
export interface ChartSupportProblem {
  readonly reason: string;
  readonly fix: string;
}

const PIN_NEWER = `pin binderhub ${OLDEST_SUPPORTED_CHART_VERSION}.h<commit> or later: ChartSource.repository({ version }), or BINDERHUB_CHART set to a newer local chart`;

/**
 * Why this project cannot render a chart, or undefined if it can (as far as its metadata tells). The version
 * decides where it can; where it cannot, a values schema without `imageCleaner.host.dockerSocketDir` marks a chart
 * from before build 3852. A chart without a schema passes (a git checkout has none; the image check after the
 * render catches its placeholder tags).
 */
export function chartSupportProblem(chart: ChartMetadata): ChartSupportProblem | undefined {
  if (chart.name !== 'binderhub') {
    return {
      reason: `it is the chart "${chart.name}" ${chart.version}, not binderhub`,
      fix: 'is BINDERHUB_CHART a binderhub chart? give a binderhub chart directory or .tgz',
    };
  }
  const support = versionSupport(chart.version);
  if (support === 'too old') {
    const era = chart.version.startsWith('0.') ? ', a pre-1.0 chart of the 2019 guide\'s time' : '';
    return {
      reason: `it is binderhub ${chart.version}${era}, older than the oldest supported build ${OLDEST_SUPPORTED_CHART_VERSION}`,
      fix: PIN_NEWER,
    };
  }
  if (support === 'unknown' && chart.valuesSchema !== undefined && !schemaHasDockerSocketDir(chart.valuesSchema)) {
    return {
      reason: `it is binderhub ${chart.version}, whose values schema has no imageCleaner.host.dockerSocketDir: `
        + `a chart from before build ${OLDEST_SUPPORTED_CHART_BUILD}, the oldest supported`,
      fix: PIN_NEWER,
    };
  }
  return undefined;
}

/** Whether a values schema knows `imageCleaner.host.dockerSocketDir`, or says nothing about the cleaner's host settings. */
function schemaHasDockerSocketDir(schemaText: string): boolean {
  let schema: any;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return true; // helm reports a broken schema itself, better than a guess here
  }
  const host = schema?.properties?.imageCleaner?.properties?.host;
  return host === undefined || host.properties?.dockerSocketDir !== undefined;
}

/** Throws a ConfigError, naming the chart by `description`, if this project cannot render `chart`. */
export function checkChartSupported(chart: ChartMetadata, description: string): void {
  const problem = chartSupportProblem(chart);
  if (problem) {
    throw new ConfigError(`${description}: ${problem.reason}; ${problem.fix}`);
  }
}

/**
 * The settings of `values` that a chart's values.schema.json does not accept because it does not know them: a key
 * under an object the schema closes (`additionalProperties: false`) that is neither among its `properties` nor
 * matches its `patternProperties`, as dotted paths. What else the schema checks (types, enums), helm's render does.
 */
export function unknownSettings(schemaText: string, values: Values): string[] {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    return []; // helm reports a broken schema itself, better than a guess here
  }
  return unknownUnder(schema, values, '');
}

function unknownUnder(schema: unknown, values: Values, prefix: string): string[] {
  if (!isPlainObject(schema)) return [];
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const patterns = isPlainObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map(p => new RegExp(p, 'u')) : [];
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Object.hasOwn(properties, key)) return isPlainObject(value) ? unknownUnder(properties[key], value, path) : [];
    const known = patterns.some(pattern => pattern.test(key)) || schema.additionalProperties !== false;
    return known ? [] : [path];
  });
}
