import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { ConfigError } from '../core/errors';
import { readInputText } from '../core/input-files';
import { isPlainObject } from '../core/values';

/**
 * The lock of the charts a project renders from chart repositories, at the project root (the working folder, as
 * secrets/ and hub-urls/ are), committed: `npm run chart-update` writes it, every synth reads it.
 */
export const CHARTS_LOCK_FILE = 'charts.lock';

/** One chart pinned by the sha256 of its package: the `digest` that the repository's index.yaml lists for it. */
export interface LockedChart {
  readonly name: string;
  /** The chart repository's URL, as the deployments name it. */
  readonly repository: string;
  readonly version: string;
  /** The sha256 of the packaged .tgz, 64 lowercase hex digits. */
  readonly digest: string;
}

/** At most one version per chart and repository: the version `ChartSource.repository()` renders without one. */
export interface ChartLock {
  readonly charts: ReadonlyArray<LockedChart>;
}

const EMPTY_CHART_LOCK: ChartLock = { charts: [] };

const DIGEST = /^[0-9a-f]{64}$/;

const HEADER = `# The charts that the deployments render from chart repositories, each pinned by the sha256 of its package (the
# digest the repository's index.yaml lists). Written by \`npm run chart-update\`; commit it. Synths download a locked
# chart once into the user's cache folder, check its digest, and render from there.
`;

/** charts.lock's text: the header, then the charts in order of name and repository. */
export function formatChartLock(lock: ChartLock): string {
  const charts = [...lock.charts].sort((a, b) => `${a.name} ${a.repository}`.localeCompare(`${b.name} ${b.repository}`))
    .map(({ name, repository, version, digest }) => ({ name, repository, version, digest }));
  return HEADER + yaml.dump({ charts }, { lineWidth: -1 });
}

/** The lock in `text`, checked; `file` names it in the one-line errors, which say to run chart-update. */
export function parseChartLock(text: string, file: string = CHARTS_LOCK_FILE): ChartLock {
  const refuse = (what: string) => new ConfigError(`${file} ${what}; fix it, or rewrite it with \`npm run chart-update\``);
  let parsed: unknown;
  try {
    parsed = yaml.load(text);
  } catch (error) {
    throw refuse(`is not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isPlainObject(parsed) || !Array.isArray(parsed.charts)) throw refuse('holds no list "charts"');
  const charts = parsed.charts.map((entry: unknown, i: number): LockedChart => {
    const fields = ['name', 'repository', 'version', 'digest'] as const;
    if (!isPlainObject(entry) || fields.some(field => typeof entry[field] !== 'string')) {
      throw refuse(`charts[${i}] is not a chart with the texts ${fields.join(', ')}`);
    }
    if (!DIGEST.test(entry.digest as string)) throw refuse(`charts[${i}].digest is not a sha256 of 64 lowercase hex digits`);
    return { name: entry.name as string, repository: entry.repository as string, version: entry.version as string, digest: entry.digest as string };
  });
  const keys = charts.map(chart => `${chart.name} from ${withoutTrailingSlash(chart.repository)}`);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice) throw refuse(`locks ${twice} twice; one version per chart and repository`);
  return { charts };
}

/**
 * The lock in use: a replacement set by `withChartLock` (chart-update's render with a new chart), else charts.lock
 * in the working folder, else an empty lock.
 */
export function currentChartLock(): ChartLock {
  if (replacement) return replacement;
  if (!fs.existsSync(CHARTS_LOCK_FILE)) return EMPTY_CHART_LOCK;
  return parseChartLock(readInputText(CHARTS_LOCK_FILE));
}

let replacement: ChartLock | undefined;

/** Runs `act` with `lock` in place of charts.lock, which stays as it is: what a synth would do with that lock. */
export async function withChartLock<T>(lock: ChartLock, act: () => T | Promise<T>): Promise<T> {
  replacement = lock;
  try {
    return await act();
  } finally {
    replacement = undefined;
  }
}

/** The chart `name` from `repository` in `lock`, if it locks one. */
export function lockedChart(lock: ChartLock, name: string, repository: string): LockedChart | undefined {
  return lock.charts.find(chart => chart.name === name && sameRepository(chart.repository, repository));
}

/** `lock` with `chart` in place of the version it locked for the same chart and repository. */
export function withLockedChart(lock: ChartLock, chart: LockedChart): ChartLock {
  return { charts: [...lock.charts.filter(c => !(c.name === chart.name && sameRepository(c.repository, chart.repository))), chart] };
}

/** A repository URL with and without its trailing slash is the same repository. */
function sameRepository(a: string, b: string): boolean {
  return withoutTrailingSlash(a) === withoutTrailingSlash(b);
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
