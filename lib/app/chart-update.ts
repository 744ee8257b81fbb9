import { BinderHubApp } from './binderhub-app';
import { DeploymentsScope } from './deployments-scope';
import { deploymentsOf, readProjectFolder, synthesizeApp, SynthesizedApp } from './app-synth';
import { cacheChart, lockedChartDescription } from '../chart/chart-cache';
import { CHARTS_LOCK_FILE, ChartLock, currentChartLock, formatChartLock, LockedChart, lockedChart, withChartLock, withLockedChart } from '../chart/chart-lock';
import { checkChartSupported, OLDEST_SUPPORTED_CHART_VERSION, readChartMetadata, unknownSettings } from '../chart/chart-metadata';
import { fetchRepositoryIndex, IndexedChart, newestSupportedChart } from '../chart/chart-repository';
import { defineWithoutRendering } from '../chart/helm-renders';
import { ConfigError } from '../core/errors';
import { parseManifest } from '../output/manifest-files';
import { DEFAULT_TARGETS, deploymentFiles, plannedFiles, writeFileAtomic } from '../output/publish';
import { diffDeployments } from '../review/dist-diff';
import { DiffStyle, diffSummary, formatDeploymentDiffs, PLAIN_STYLE } from '../review/manifest-diff-format';
import { isEmptyDiff } from '../review/manifest-diff';

/** What `npm run chart-update` is asked. */
export interface ChartUpdateOptions {
  readonly repository: string;
  /** The version to lock; default: the newest the project supports. */
  readonly version?: string;
  /** Only say whether charts.lock is current (exit status 0) or a newer supported chart exists (1). */
  readonly check: boolean;
}

const CHART = 'binderhub';

/**
 * `npm run chart-update`: picks the chart to lock from the repository's index, and unless `check`, downloads it
 * into the cache (checked against the index's digest), refuses it if its values schema does not know a setting of a
 * deployment, prints what moving to it changes in every deployment (`npm run diff`'s format) and the image each
 * deployment runs, then rewrites charts.lock. Prints through `print`; returns the exit status.
 */
export async function updateChartLock(app: BinderHubApp, options: ChartUpdateOptions, print: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env, style: DiffStyle = PLAIN_STYLE): Promise<number> {
  if (env.BINDERHUB_CHART) {
    throw new ConfigError('BINDERHUB_CHART is set: it replaces every deployment\'s chart, so no locked chart would render; unset it to update charts.lock');
  }
  const lock = currentChartLock();
  const locked = lockedChart(lock, CHART, options.repository);
  const listed = await fetchRepositoryIndex(options.repository, CHART);
  const target = pickChart(listed, options, print);
  checkListedDigest(locked, listed);
  if (options.check) return reportCheck(locked, target, print);
  const next: LockedChart = { name: CHART, repository: options.repository, version: target.version, digest: target.digest };
  const file = await cacheChart(target, lockedChartDescription(next));
  const nextLock = withLockedChart(lock, next);
  await checkValuesSchema(app, nextLock, readChartMetadata(file).valuesSchema, next);
  const after = await withChartLock(nextLock, () => synthesizeApp(app));
  if (locked) {
    printDiff(await synthesizeApp(app), after, print, style);
  } else {
    print(`${CHARTS_LOCK_FILE} locked no ${CHART} chart from ${options.repository}: nothing to compare with`);
  }
  for (const line of imageLines(after)) print(line);
  writeFileAtomic(CHARTS_LOCK_FILE, formatChartLock(nextLock));
  print(`${CHARTS_LOCK_FILE}: ${locked ? `${locked.version} → ` : ''}${lockedChartDescription(next)} (sha256 ${next.digest}); `
    + `review the changes above, then \`npm run synth\` and commit ${CHARTS_LOCK_FILE} and dist/`);
  return 0;
}

/** The version asked for, or the newest supported one; the versions not supported yet are printed, never picked. */
function pickChart(listed: IndexedChart[], options: ChartUpdateOptions, print: (line: string) => void): IndexedChart {
  if (options.version !== undefined) {
    const asked = listed.find(chart => chart.version === options.version);
    if (!asked) throw new ConfigError(`--version ${options.version}: chart repository ${options.repository} lists no ${CHART} ${options.version}`);
    checkChartSupported({ name: CHART, version: asked.version }, `--version ${asked.version}`);
    return asked;
  }
  const choice = newestSupportedChart(listed);
  for (const version of choice.notSupportedYet) print(`not supported yet, not picked: ${CHART} ${version}`);
  if (!choice.newest) {
    throw new ConfigError(`chart repository ${options.repository} lists no ${CHART} build this project supports (${OLDEST_SUPPORTED_CHART_VERSION} or later)`);
  }
  return choice.newest;
}

/** Refuses a repository that now lists other bytes under the locked version: the lock exists to notice that. */
function checkListedDigest(locked: LockedChart | undefined, listed: IndexedChart[]): void {
  const now = locked && listed.find(chart => chart.version === locked.version);
  if (locked && now && now.digest !== locked.digest) {
    throw new ConfigError(`${lockedChartDescription(locked)}: the repository's index.yaml now lists sha256 ${now.digest}, not ${locked.digest} `
      + `that ${CHARTS_LOCK_FILE} locks; the repository serves other bytes under this version: find out why before you trust it`);
  }
}

function reportCheck(locked: LockedChart | undefined, target: IndexedChart, print: (line: string) => void): number {
  if (locked?.version === target.version) {
    print(`${CHARTS_LOCK_FILE} is current: ${lockedChartDescription(locked)}`);
    return 0;
  }
  print(`a newer supported chart exists: ${CHART} ${target.version} (${CHARTS_LOCK_FILE} locks ${locked ? locked.version : 'none'}); `
    + `run \`npm run chart-update\` and review what it changes`);
  return 1;
}

/**
 * Refuses the chart if its values schema does not know a setting that a deployment gives the chart (its
 * chartValues, or what its props set), naming each; the values are found by defining the app without rendering.
 */
async function checkValuesSchema(app: BinderHubApp, lock: ChartLock, schema: string | undefined, chart: LockedChart): Promise<void> {
  if (schema === undefined) return;
  const scope = await withChartLock(lock, () => defineWithoutRendering(() => {
    const defined = new DeploymentsScope(readProjectFolder());
    app.define(defined);
    return defined;
  }));
  const unknown = deploymentsOf(scope).flatMap(d => unknownSettings(schema, d.helmChart.values).map(path => `${d.node.id}: ${path}`));
  if (unknown.length > 0) {
    throw new ConfigError(`${lockedChartDescription(chart)}: its values schema does not accept ${unknown.join(', ')}; change those settings `
      + `(chartValues) to what the new chart takes first; ${CHARTS_LOCK_FILE} is unchanged`);
  }
}

function printDiff(before: SynthesizedApp, after: SynthesizedApp, print: (line: string) => void, style: DiffStyle): void {
  const texts = (app: SynthesizedApp) => new Map(plannedFiles(app.files, DEFAULT_TARGETS).map(file => [file.target, file.content.toString('utf8')]));
  const diffs = diffDeployments(texts(before), texts(after), DEFAULT_TARGETS);
  if (diffs.every(d => isEmptyDiff(d.diff))) {
    print('no changes: every deployment renders the same with the new chart');
    return;
  }
  for (const line of formatDeploymentDiffs(diffs, style)) print(line);
  print(`moving to the new chart: ${diffSummary(diffs)}`);
}

/**
 * The BinderHub image each deployment runs, and the image its builds run (repo2docker): `config.KubernetesBuildExecutor
 * .build_image` if the values set it, else the default of that BinderHub image.
 */
function imageLines(synthesized: SynthesizedApp): string[] {
  return synthesized.deployments.map(deployment => {
    const id = deployment.node.id;
    const file = plannedFiles(synthesized.files, DEFAULT_TARGETS).find(f => f.target === deploymentFiles(DEFAULT_TARGETS, id).manifests);
    const binder = file && parseManifest(file.content.toString('utf8'), file.target).find(o => o.kind === 'Deployment' && o.metadata?.name === 'binder');
    const image = binder?.spec?.template?.spec?.containers?.[0]?.image ?? '(none rendered)';
    const build = (deployment.helmChart.values as any).config?.KubernetesBuildExecutor?.build_image;
    return `deployment ${id}: binder image ${image}; builds run ${build ?? 'the build image that binder image defaults to'}`;
  });
}
