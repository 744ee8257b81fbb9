import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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
    // Not the suite with a made-up chart: its body would render at collection time and fail the file.
    test.skip(`${name} (real chart, skipped: no ../shared/charts)`, () => undefined);
  }
}

/** Unpacks a packaged chart into a fresh temporary folder and returns the chart's folder: a copy for a test to modify. */
export function unpackChart(tgz: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-copy-'));
  execFileSync('tar', ['-xzf', tgz, '-C', dir]);
  const [chart] = fs.readdirSync(dir);
  return path.join(dir, chart);
}

/** Rewrites one file of a chart copy; fails if the edit changes nothing, so a test never checks an unmodified chart. */
export function editChartFile(chartDir: string, file: string, edit: (text: string) => string): void {
  const target = path.join(chartDir, file);
  const before = fs.readFileSync(target, 'utf8');
  const after = edit(before);
  if (after === before) {
    throw new Error(`the edit of ${file} in ${chartDir} changed nothing`);
  }
  fs.writeFileSync(target, after);
}
