/**
 * `npm run chart-update [-- --repository <url>] [--version <v>] [--check]`: moves charts.lock to the newest supported
 * binderhub chart (or the version given) after showing what that changes in every deployment; with --check, only
 * says whether a newer supported chart exists. Exits 0 (done, or the lock is current), 1 (--check: a newer chart
 * exists), 2 on an error.
 */
import { CHART_UPDATE_USAGE, loadProjectApp, parseChartUpdateArgs, redact, runMain, styleFor, updateChartLock } from '../lib/internal';

runMain(async () => {
  const options = parseChartUpdateArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(CHART_UPDATE_USAGE);
    return;
  }
  // Values are masked by construction; redact() is a second guard for the tokens this process knows.
  process.exitCode = await updateChartLock(loadProjectApp(), options, line => console.log(redact(line)), process.env, styleFor(process.stdout));
}, 2);
