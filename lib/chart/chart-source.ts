import * as fs from 'fs';
import * as path from 'path';
import { checkChartSupported, readChartMetadata } from './chart-metadata';
import { ConfigError } from '../core/errors';

/** The public chart repository that publishes the binderhub chart. */
export const BINDERHUB_CHART_REPOSITORY = 'https://jupyterhub.github.io/helm-chart';

/**
 * The binderhub chart version rendered by default: the development release that mybinder.org runs. The chart
 * has never had a stable 1.x release; every current version looks like `1.0.0-0.dev.git.<n>.h<sha>`.
 */
export const DEFAULT_BINDERHUB_CHART_VERSION = '1.0.0-0.dev.git.3983.h383374de';

/** An exact SemVer 2 version: ranges would let the same inputs render different charts on different days. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Options for a chart fetched from a chart repository. */
export interface RepositoryChartOptions {
  /**
   * The exact chart version.
   * @default DEFAULT_BINDERHUB_CHART_VERSION
   */
  readonly version?: string;
  /**
   * The chart repository's URL.
   * @default BINDERHUB_CHART_REPOSITORY
   */
  readonly url?: string;
}

/** Where helm takes the binderhub chart from: what `helm template` gets as chart, `--repo` and `--version`. */
export interface HelmChartReference {
  readonly chart: string;
  readonly repo?: string;
  readonly version?: string;
}

/** Where the binderhub chart comes from: a chart repository at a pinned version, or a local copy. */
export abstract class ChartSource {
  /**
   * The binderhub chart from a chart repository, at an exact version. Rendering needs the network. Versions
   * older than OLDEST_SUPPORTED_CHART_VERSION are refused here, before anything is fetched.
   */
  public static repository(options: RepositoryChartOptions = {}): ChartSource {
    const version = options.version ?? DEFAULT_BINDERHUB_CHART_VERSION;
    if (!EXACT_VERSION.test(version)) {
      throw new ConfigError(`chart version "${version}" is not an exact version; pin one, such as ${DEFAULT_BINDERHUB_CHART_VERSION}`);
    }
    const url = options.url ?? BINDERHUB_CHART_REPOSITORY;
    if (!/^(https?|oci):\/\/[^\s/]/.test(url)) { // a scheme helm knows, and a host
      throw new ConfigError(`chart repository "${url}" is not an http(s) or oci URL`);
    }
    const chart = new RepositoryChart(url, version);
    checkChartSupported({ name: 'binderhub', version }, chart.description);
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
 * that BINDERHUB_CHART names (a directory or .tgz), else the pinned public chart.
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
  constructor(private readonly url: string, private readonly version: string) {
    super();
    this.description = `binderhub ${version} from ${url}`;
  }
  public reference(): HelmChartReference {
    return { chart: 'binderhub', repo: this.url, version: this.version };
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
