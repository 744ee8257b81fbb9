import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHARTS_LOCK_FILE, LockedChart } from './chart-lock';
import { downloadChart, fetchRepositoryIndex, IndexedChart, MAX_CHART_BYTES } from './chart-repository';
import { sha256 } from '../core/hash';
import { prepareBeforeRenders } from './helm-renders';
import { ConfigError } from '../core/errors';
import { readInputBytes } from '../core/input-files';
import { writeFileAtomic } from '../output/publish';

/**
 * The chart cache: the user's cache folder (`$XDG_CACHE_HOME/binderhub-cdk8s/charts`, else
 * `~/.cache/binderhub-cdk8s/charts`), shared by every project of the user, outside any git checkout. A package is
 * kept as `<sha256>.tgz`: its name is the claim its bytes are checked against at every use.
 */
function chartCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'binderhub-cdk8s', 'charts');
}

/** Where the package of digest `digest` is kept. */
export function cachedChartPath(digest: string): string {
  return path.join(chartCacheFolder(), `${digest}.tgz`);
}

/** How a locked chart is named in messages. */
export function lockedChartDescription(chart: LockedChart): string {
  return `${chart.name} ${chart.version} from ${chart.repository}`;
}

/**
 * The cached package of a locked chart, its bytes checked against the lock. One that is not cached yet is downloaded
 * before helm runs when the app's renders are made side by side (every command's synth); a render that runs alone
 * (a plain cdk8s App) needs it cached already.
 */
export function lockedChartFile(chart: LockedChart): string {
  const file = cachedChartPath(chart.digest);
  if (fs.existsSync(file)) {
    checkCachedChart(lockedChartDescription(chart), chart.digest, file);
    return file;
  }
  if (prepareBeforeRenders(chart.digest, () => cacheLockedChart(chart))) return file;
  throw new ConfigError(`${lockedChartDescription(chart)} is not in the chart cache ${chartCacheFolder()} yet; \`npm run synth\` downloads it`);
}

/**
 * The cached packages this process checked already, as `file size mtime`: every HelmChart of a synth (in both of its
 * passes) asks for its chart, and one package read and hashed once is enough while it stays as it was.
 */
const checkedPackages = new Set<string>();

/** Refuses a cached package whose bytes are not `digest`, naming both digests. */
function checkCachedChart(description: string, digest: string, file: string): void {
  const stat = fs.statSync(file);
  const checked = `${file} ${stat.size} ${stat.mtimeMs}`;
  if (checkedPackages.has(checked)) return;
  const got = sha256(readInputBytes(file, { maxBytes: MAX_CHART_BYTES }));
  if (got !== digest) {
    throw new ConfigError(`${description}: the cached package ${file} has sha256 ${got}, not ${digest} `
      + `(the digest its name claims); delete ${file} and run the command again to download it anew`);
  }
  checkedPackages.add(checked);
}

/**
 * Downloads a locked chart into the cache: the repository's index must list the locked digest for the version
 * (else the repository now serves other bytes under it), and the package must have it.
 */
async function cacheLockedChart(chart: LockedChart): Promise<void> {
  const listed = (await fetchRepositoryIndex(chart.repository, chart.name)).find(entry => entry.version === chart.version);
  const description = lockedChartDescription(chart);
  if (!listed) {
    throw new ConfigError(`${description}, locked in ${CHARTS_LOCK_FILE}, is not in the repository's index.yaml; `
      + 'pick a listed version with `npm run chart-update`');
  }
  if (listed.digest !== chart.digest) {
    throw new ConfigError(`${description}: the repository's index.yaml lists sha256 ${listed.digest}, not ${chart.digest} that ${CHARTS_LOCK_FILE} `
      + 'locks; the repository serves other bytes under this version: find out why before you trust it');
  }
  await cacheChart(listed, description);
}

/** A chart the index lists, in the cache (downloaded if it is not there yet), checked against the index's digest; returns its file. */
export async function cacheChart(chart: IndexedChart, description: string): Promise<string> {
  const file = cachedChartPath(chart.digest);
  if (fs.existsSync(file)) {
    checkCachedChart(description, chart.digest, file);
    return file;
  }
  const bytes = await downloadChart(chart, chart.digest, description);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, bytes); // only bytes whose digest matched, and whole
  return file;
}
