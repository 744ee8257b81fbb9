import * as http from 'http';
import * as https from 'https';
import * as yaml from 'js-yaml';
import { developmentBuild, versionSupport } from './chart-metadata';
import { ConfigError } from '../core/errors';
import { isHttpsOrLocal, withTrailingSlash } from '../core/names';
import { sha256 } from '../core/hash';
import { formatBytes } from '../core/input-files';
import { isPlainObject } from '../core/values';

/** A chart version as a repository's index.yaml lists it. */
export interface IndexedChart {
  readonly version: string;
  /** The sha256 of its package, as the index says. */
  readonly digest: string;
  /** Where the package is, resolved against the repository's URL. */
  readonly url: string;
}

/** The public index lists every development build: tens of megabytes. */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;
/** A binderhub package is about 64 KB with its subchart. */
export const MAX_CHART_BYTES = 16 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 60_000;

/** The versions of `chart` that the index of `repository` lists, with their digests and package URLs. */
export async function fetchRepositoryIndex(repository: string, chart: string): Promise<IndexedChart[]> {
  const url = new URL('index.yaml', withTrailingSlash(repository));
  return parseRepositoryIndex((await fetchBytes(url, MAX_INDEX_BYTES)).toString('utf8'), chart, repository);
}

/** The versions of `chart` in an index.yaml's text; entries without a sha256 digest or a URL are left out. */
export function parseRepositoryIndex(text: string, chart: string, repository: string): IndexedChart[] {
  let index: unknown;
  try {
    index = yaml.load(text, { schema: yaml.JSON_SCHEMA }); // versions and dates stay texts
  } catch (error) {
    throw new ConfigError(`the index.yaml of chart repository ${repository} is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const entries = isPlainObject(index) && isPlainObject(index.entries) ? index.entries[chart] : undefined;
  if (!Array.isArray(entries)) throw new ConfigError(`chart repository ${repository} lists no chart "${chart}" in its index.yaml; is it the binderhub chart's repository?`);
  return entries.flatMap((entry: any): IndexedChart[] => {
    const url = Array.isArray(entry?.urls) ? entry.urls[0] : undefined;
    if (typeof entry?.version !== 'string' || typeof entry.digest !== 'string' || !/^[0-9a-f]{64}$/.test(entry.digest) || typeof url !== 'string') return [];
    return [{ version: entry.version, digest: entry.digest, url: new URL(url, withTrailingSlash(repository)).href }];
  });
}

/** The newest version this project supports, and the versions newer than it that it does not support yet. */
export interface ChartChoice {
  readonly newest?: IndexedChart;
  readonly notSupportedYet: string[];
}

/**
 * The newest supported build (builds compare by their number, not as text), and the listed versions the project
 * cannot judge (a release outside the development series) that are never picked. Builds too old are left out.
 */
export function newestSupportedChart(charts: ReadonlyArray<IndexedChart>): ChartChoice {
  const supported = charts.filter(chart => versionSupport(chart.version) === 'supported')
    .sort((a, b) => developmentBuild(b.version)! - developmentBuild(a.version)!);
  return { newest: supported[0], notSupportedYet: charts.filter(chart => versionSupport(chart.version) === 'unknown').map(chart => chart.version) };
}

/**
 * The package of `chart`, whose sha256 must be `digest`: fetched only from the URL the index lists, whole and
 * bounded, and refused in one line naming both digests if it is other bytes.
 */
export async function downloadChart(chart: IndexedChart, digest: string, description: string): Promise<Buffer> {
  const bytes = await fetchBytes(new URL(chart.url), MAX_CHART_BYTES);
  const got = sha256(bytes);
  if (got !== digest) {
    throw new ConfigError(`${description}: the package at ${chart.url} has sha256 ${got}, not ${digest}; it was not kept. `
      + 'The repository serves other bytes under this version: find out why before you trust it');
  }
  return bytes;
}

/** Plain http only to this machine (the tests' repositories): anything else could be changed on the way. */
function checkScheme(url: URL): void {
  if (!isHttpsOrLocal(url)) {
    throw new ConfigError(`${url.href} is not an https URL; charts are fetched over https only (plain http only from this machine)`);
  }
}

/** GETs `url` whole, at most `maxBytes`; no redirects (a chart comes from where the index says, nowhere else). */
function fetchBytes(url: URL, maxBytes: number): Promise<Buffer> {
  checkScheme(url);
  return new Promise((resolve, reject) => {
    const fail = (what: string) => reject(new ConfigError(`cannot fetch ${url.href}: ${what}; check the repository URL and the network`));
    const request = (url.protocol === 'https:' ? https : http).get(url, { timeout: REQUEST_TIMEOUT_MS }, response => {
      if (response.statusCode !== 200) {
        response.resume();
        return fail(`the server answered ${response.statusCode}${response.headers.location ? ` (a redirect to ${response.headers.location}, which is not followed)` : ''}`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          request.destroy();
          return fail(`it is larger than ${formatBytes(maxBytes)}`);
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', error => fail(error.message));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`)));
    request.on('error', error => fail(error.message));
  });
}
