import * as fs from 'fs';
import * as path from 'path';
import { lockedChartFile } from './chart-cache';
import { CHARTS_LOCK_FILE, currentChartLock, lockedChart } from './chart-lock';
import { checkChartSupported, readChartMetadata } from './chart-metadata';
import { rendersNothing } from './helm-renders';
import { ConfigError } from '../core/errors';
import { redactUrl } from '../core/redact';

/** The public chart repository that publishes the binderhub chart. */
export const BINDERHUB_CHART_REPOSITORY = 'https://jupyterhub.github.io/helm-chart';

/**
 * The binderhub chart version a project without a charts.lock is told to lock (`npm run chart-update -- --version
 * <it>`): the development release that mybinder.org runs. The chart has never had a stable 1.x release; every
 * current version looks like `1.0.0-0.dev.git.<n>.h<sha>`.
 */
export const DEFAULT_BINDERHUB_CHART_VERSION = '1.0.0-0.dev.git.3983.h383374de';

/** An exact SemVer 2 version: ranges would let the same inputs render different charts on different days. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Options for a chart fetched from a chart repository. */
export interface RepositoryChartOptions {
  /**
   * The exact chart version, which charts.lock must lock.
   * @default - the version charts.lock locks for the repository
   */
  readonly version?: string;
  /**
   * The chart repository's URL.
   * @default BINDERHUB_CHART_REPOSITORY
   */
  readonly url?: string;
}

/** Where helm takes the binderhub chart from: what `helm template` gets as its chart, a directory or a package. */
export interface HelmChartReference {
  readonly chart: string;
}

/** Where the binderhub chart comes from: a chart repository at a pinned version, or a local copy. */
export abstract class ChartSource {
  /**
   * The binderhub chart from a chart repository, at the version charts.lock (at the project root) locks for it,
   * by the sha256 of its package: rendered from the user's chart cache, into which the first synth that needs it
   * downloads it (`npm run chart-update` moves the lock). A version given must be the locked one. Versions older
   * than OLDEST_SUPPORTED_CHART_VERSION are refused here, before anything is fetched.
   */
  public static repository(options: RepositoryChartOptions = {}): ChartSource {
    const version = options.version;
    if (version !== undefined && !EXACT_VERSION.test(version)) {
      throw new ConfigError(`chart version "${version}" is not an exact version; pin one, such as ${DEFAULT_BINDERHUB_CHART_VERSION}`);
    }
    const url = options.url ?? BINDERHUB_CHART_REPOSITORY;
    if (!/^https?:\/\/[^\s/]/.test(url)) { // a repository with an index.yaml, and a host
      throw new ConfigError(`chart repository "${url}" is not an http(s) URL`);
    }
    // The URL is written into charts.lock, which is committed, and into every message about the chart.
    if (/^https?:\/\/[^/]*@/.test(url)) {
      throw new ConfigError(`chart repository "${redactUrl(url)}" holds credentials, which charts.lock would commit; give a repository that needs none`);
    }
    const chart = new RepositoryChart(url, version);
    if (version !== undefined) checkChartSupported({ name: 'binderhub', version }, chart.description);
    return chart;
  }

  /**
   * A binderhub chart on disk: a chart directory (with `Chart.yaml` and, if it has dependencies, `charts/`)
   * or a packaged `.tgz`. For vendored charts, air-gapped machines and tests. Its Chart.yaml is read here, and
   * a chart that is not binderhub or is older than OLDEST_SUPPORTED_CHART_VERSION is refused before helm runs.
   */
  public static local(chartPath: string): ChartSource {
    const resolved = path.resolve(chartPath);
    const hint = 'give a binderhub chart directory or packaged .tgz '
      + `(on a machine with internet: \`helm pull binderhub --repo ${BINDERHUB_CHART_REPOSITORY} --version <version>\`)`;
    if (!fs.existsSync(resolved)) {
      throw new ConfigError(`local chart ${chartPath} does not exist; ${hint}`);
    }
    const isDirectory = fs.statSync(resolved).isDirectory();
    if (isDirectory && !fs.existsSync(path.join(resolved, 'Chart.yaml'))) {
      throw new ConfigError(`local chart ${chartPath} is a directory without Chart.yaml; ${hint}`);
    }
    if (!isDirectory && !/\.(tgz|tar\.gz)$/.test(resolved)) {
      throw new ConfigError(`local chart ${chartPath} is neither a chart directory nor a .tgz; ${hint}`);
    }
    const chart = new LocalChart(resolved);
    checkChartSupported(readChartMetadata(resolved), chart.description);
    return chart;
  }

  /** Says where the chart comes from, for messages. */
  public abstract readonly description: string;

  /** @internal */
  public abstract reference(): HelmChartReference;
}

/**
 * The chart every deployment of the example renders, as `npm run synth` and `npm run adopt` pick it: the local chart
 * that BINDERHUB_CHART names (a directory or .tgz), which needs no lock, else the public chart charts.lock locks.
 */
export function chartSourceFromEnvironment(env: NodeJS.ProcessEnv = process.env): ChartSource {
  return chartOverrideFromEnvironment(env) ?? ChartSource.repository();
}

/** The chart BINDERHUB_CHART names (a local chart directory or .tgz), which replaces every deployment's; unset: none. */
export function chartOverrideFromEnvironment(env: NodeJS.ProcessEnv = process.env): ChartSource | undefined {
  return env.BINDERHUB_CHART ? ChartSource.local(env.BINDERHUB_CHART) : undefined;
}

class RepositoryChart extends ChartSource {
  public readonly description: string;
  constructor(private readonly url: string, private readonly version: string | undefined) {
    super();
    this.description = version === undefined ? `binderhub from ${url} (the version ${CHARTS_LOCK_FILE} locks)` : `binderhub ${version} from ${url}`;
  }

  /**
   * The locked package in the chart cache; the lock is read now, so that chart-update can render with another. An
   * app defined only to find out its deployments (init-secrets, adopt) renders nothing and needs no lock.
   */
  public reference(): HelmChartReference {
    if (rendersNothing()) return { chart: this.description };
    const locked = lockedChart(currentChartLock(), 'binderhub', this.url);
    const update = `\`npm run chart-update -- ${this.url === BINDERHUB_CHART_REPOSITORY ? '' : `--repository ${this.url} `}`
      + `--version ${this.version ?? locked?.version ?? DEFAULT_BINDERHUB_CHART_VERSION}\``;
    if (!locked) {
      throw new ConfigError(`${CHARTS_LOCK_FILE} locks no binderhub chart from ${this.url}; lock one by its digest with ${update}, and commit ${CHARTS_LOCK_FILE}`);
    }
    if (this.version !== undefined && locked.version !== this.version) {
      throw new ConfigError(`${this.description} is not the version ${CHARTS_LOCK_FILE} locks (${locked.version}); `
        + `lock it with ${update}, or leave the version out to render the locked one`);
    }
    checkChartSupported(locked, `binderhub ${locked.version} from ${this.url}, locked in ${CHARTS_LOCK_FILE}`);
    return { chart: lockedChartFile(locked) };
  }
}

class LocalChart extends ChartSource {
  public readonly description: string;
  constructor(private readonly chartPath: string) {
    super();
    this.description = `local chart ${chartPath}`;
  }
  public reference(): HelmChartReference {
    return { chart: this.chartPath };
  }
}
