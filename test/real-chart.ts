import * as fs from 'fs';
import * as path from 'path';

/** Where the shared material keeps the real upstream binderhub chart, beside the project root. */
const SHARED_CHARTS = path.join(__dirname, '..', '..', 'shared', 'charts');

/**
 * The real upstream binderhub chart (a packaged .tgz with its jupyterhub subchart), or undefined when this
 * checkout has no `../shared/charts` beside it. BINDERHUB_REAL_CHART names another copy.
 */
export function realChartPath(): string | undefined {
  const explicit = process.env.BINDERHUB_REAL_CHART;
  if (explicit) return path.resolve(explicit);
  if (!fs.existsSync(SHARED_CHARTS)) return undefined;
  const packages = fs.readdirSync(SHARED_CHARTS).filter(f => /^binderhub-.*\.tgz$/.test(f)).sort();
  return packages.length > 0 ? path.join(SHARED_CHARTS, packages[packages.length - 1]) : undefined;
}

const announced = new Set<string>();

/**
 * `describe` for suites that need the real chart: with the chart it runs them and says so in one line; without it
 * it skips them and says why in one line, so a fresh clone without ../shared still passes.
 */
export function describeWithRealChart(name: string, suite: (chart: string) => void): void {
  const chart = realChartPath();
  if (!announced.has(name)) {
    announced.add(name);
    process.stderr.write(chart
      ? `[real chart] ${name}: rendering ${path.basename(chart)}\n`
      : `[real chart] ${name}: SKIPPED, no binderhub-*.tgz in ${SHARED_CHARTS} (set BINDERHUB_REAL_CHART to run it)\n`);
  }
  if (chart) {
    describe(`${name} (real chart)`, () => suite(chart));
  } else {
    describe.skip(`${name} (real chart, skipped: no ../shared/charts)`, () => suite(''));
  }
}
