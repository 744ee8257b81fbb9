import { spawnSync } from 'child_process';
import * as path from 'path';
import { redact } from '../lib/internal';
import { containerView, ContainerView } from './pod-view';
import { describeWithRealChart } from './real-chart';

/** The harness that runs a chart's config file unchanged, as its pod would (see its doc string). */
const RUN_CONFIG = path.join(__dirname, 'support', 'run-config.py');
/** What the charts' config files import: binderhub_config.py ruamel.yaml, z2jh.py PyYAML; both run under traitlets. */
const PYTHON_MODULES = ['traitlets', 'ruamel.yaml', 'yaml'];
const NEEDS = 'python3 with traitlets, ruamel.yaml and PyYAML';
const INSTALL_HINT = 'apt-get install -y python3-traitlets python3-ruamel.yaml python3-yaml, or set BINDERHUB_CONFIG_PYTHON';

let python: string | null | undefined;

/**
 * A python3 that has traitlets, ruamel.yaml and PyYAML: BINDERHUB_CONFIG_PYTHON if set, else the first of
 * `python3` on PATH and `/usr/bin/python3` (Debian's, with its python3-* packages) that has them.
 */
export function configPython(): string | undefined {
  if (python === undefined) {
    const explicit = process.env.BINDERHUB_CONFIG_PYTHON;
    const candidates = explicit ? [explicit] : ['python3', '/usr/bin/python3'];
    python = candidates.find(p => spawnSync(p, ['-c', `import ${PYTHON_MODULES.join(', ')}`], { stdio: 'ignore' }).status === 0) ?? null;
  }
  return python ?? undefined;
}

/**
 * `describeWithRealChart` for suites that also run the chart's config files: without a suitable python3 it skips
 * them and says why in one line.
 */
export function describeWithChartConfig(name: string, suite: (chart: string) => void): void {
  if (configPython()) {
    describeWithRealChart(name, suite);
    return;
  }
  process.stderr.write(`[chart config] ${name}: SKIPPED, no ${NEEDS} (${INSTALL_HINT})\n`);
  test.skip(`${name} (chart config, skipped: no ${NEEDS})`, () => undefined);
}

/**
 * The traitlets config that each container's config file produces when run, exactly as rendered, in the
 * container's environment and with its mounts (one python process for all of them). Unset settings that the code
 * only read are left out.
 */
export function effectiveConfigs(views: ContainerView[]): Array<Record<string, any>> {
  const interpreter = configPython();
  if (!interpreter) throw new Error(`no ${NEEDS}: ${INSTALL_HINT}`);
  const without = views.find(view => view.configFile === undefined);
  if (without) throw new Error(`a container has no --config file to run (its mounts: ${without.mounts.join(', ')})`);
  const run = spawnSync(interpreter, [RUN_CONFIG], { input: JSON.stringify(views), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(redact(`${RUN_CONFIG} failed (${run.status ?? run.signal}): ${run.stderr}`));
  const results: Array<{ config?: Record<string, any>; error?: string; log: string }> = JSON.parse(run.stdout);
  return results.map((result, i) => {
    if (result.error !== undefined) {
      throw new Error(redact(`${views[i].configFile} raised:\n${result.error}\nits output:\n${result.log}`));
    }
    return result.config!;
  });
}

/** The effective BinderHub config of one synth's binder pod (`binderhub_config.py` of Secret binder-secret). */
export function effectiveBinderHubConfig(objects: any[]): Record<string, any> {
  return effectiveConfigs([binderView(objects)])[0];
}

/** The effective JupyterHub config of one synth's hub pod (z2jh's `jupyterhub_config.py` of ConfigMap hub). */
export function effectiveJupyterHubConfig(objects: any[]): Record<string, any> {
  return effectiveConfigs([hubView(objects)])[0];
}

/** What the binder container sees. */
export function binderView(objects: any[]): ContainerView {
  return containerView(objects, 'binder', 'binder');
}

/** What the hub container sees. */
export function hubView(objects: any[]): ContainerView {
  return containerView(objects, 'hub', 'hub');
}
