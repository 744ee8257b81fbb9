import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartSource } from './chart-source';
import { ConfigError } from '../core/errors';
import { WORKLOAD_KINDS } from '../core/kinds';
import { HelmResult } from './early-renders';
import { parseHelmOutput, runHelmTemplate } from './helm-renders';
import { DEFAULT_KUBE_VERSION, KubeVersion, kubeVersionWarning, parseKubeVersion } from './kubernetes-versions';
import { redact } from '../core/redact';
import { servedApiVersions } from './served-apis';
import { toolPath } from './tools';
import { Values } from '../core/values';

/** Props for `HelmChart`. */
export interface HelmChartProps {
  /** Where the chart comes from. */
  readonly chart: ChartSource;
  /** The helm release name. */
  readonly releaseName: string;
  /** The namespace helm renders for (`--namespace`). */
  readonly namespace: string;
  /**
   * Values passed to the chart.
   * @default - the chart's defaults
   */
  readonly values?: Values;
  /**
   * The Kubernetes version to render for: helm gets it as `--kube-version`, and the APIs that version serves as
   * `--api-versions`, so the chart's `.Capabilities` checks answer as the cluster would.
   * @default DEFAULT_KUBE_VERSION
   */
  readonly kubeVersion?: string;
  /**
   * The helm binary.
   * @default - the HELM environment variable, else the pinned helm that `npm ci` installs into .tools/
   */
  readonly helmExecutable?: string;
}

/** A Helm hook that `HelmChart` left out of the output, and why. */
export interface DroppedHook {
  readonly kind: string;
  readonly name: string;
  /** The `helm.sh/hook` annotation. */
  readonly hook: string;
  readonly reason: string;
}

/**
 * Defines the objects of a Helm chart, rendered by the real `helm template`, as cdk8s's `Helm` does, but with the
 * values passed on helm's standard input: cdk8s's `Helm` writes them (tokens included) to a temporary file that
 * outlives an interrupted run. It also always pins the namespace, the Kubernetes version and the APIs that version
 * serves, uses the project's pinned helm, reads helm's output in this process, and turns helm's failures into
 * one-line messages that say what to do.
 *
 * Helm hooks are handled deliberately, because `kubectl apply` has none: a hook that runs pods (an install-time
 * Job, the image puller's hook DaemonSet) or a test is left out and listed in `droppedHooks`; any other hook
 * object (a Secret, a ServiceAccount) is kept as a plain object without its `helm.sh/hook*` annotations.
 */
export class HelmChart extends Construct {
  /** The hooks left out. */
  public readonly droppedHooks: DroppedHook[] = [];
  /** The values the chart was rendered with. */
  public readonly values: Values;
  /** The Kubernetes version rendered for. @internal */
  public readonly kubeVersion: KubeVersion;
  /** The helm binary that rendered the chart. */
  public readonly helmExecutable: string;
  /** False while an app is only being defined to find out its helm calls (`renderConcurrently`): no objects yet. */
  public readonly rendered: boolean;

  private readonly resource: Construct;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.values = props.values ?? {};
    this.kubeVersion = parseKubeVersion(props.kubeVersion ?? DEFAULT_KUBE_VERSION);
    warnOnce(kubeVersionWarning(this.kubeVersion));
    this.helmExecutable = toolPath('helm', props.helmExecutable);
    // The values (tokens among them) go through a pipe, never a file, so no run, however it ends, leaves them on disk.
    const args = [...helmTemplateArgs({ ...props, kubeVersion: this.kubeVersion }), '--values', '-'];
    const result = runHelmTemplate({ helm: this.helmExecutable, args, input: JSON.stringify(this.values) });
    this.rendered = result !== undefined;
    this.resource = new Construct(this, 'Resource');
    let unnamed = 0;
    // A render made ahead was read as soon as its helm ended.
    const manifests = result ? result.documents ?? parseHelmOutput(helmOutput(result, this.helmExecutable, props.chart, props.releaseName)) : [];
    for (const manifest of manifests) {
      if (!this.keepHook(manifest)) continue;
      // The ids cdk8s's Include gives: name-kind[-namespace].
      const name = manifest.metadata?.name ?? `object${unnamed++}`;
      new ApiObject(this.resource, [name, manifest.kind?.toLowerCase(), manifest.metadata?.namespace].filter(Boolean).join('-'), manifest);
    }
  }

  /** The objects helm rendered, less the dropped hooks and any removed since. */
  public get apiObjects(): ApiObject[] {
    return this.resource.node.children.filter(ApiObject.isApiObject);
  }

  /** Whether to keep a rendered object; a kept hook object loses its `helm.sh/hook*` annotations. */
  private keepHook(manifest: any): boolean {
    const annotations: Record<string, string> = manifest.metadata?.annotations ?? {};
    const hook = annotations['helm.sh/hook'];
    if (hook === undefined) return true;
    if (hook.split(',').some(h => h.trim().startsWith('test')) || WORKLOAD_KINDS.has(manifest.kind)) {
      this.droppedHooks.push({
        kind: manifest.kind, name: manifest.metadata.name, hook,
        reason: 'a one-shot helm hook that runs pods; kubectl apply has no hooks, so it would run at every apply or never finish',
      });
      return false;
    }
    manifest.metadata.annotations = Object.fromEntries(Object.entries(annotations).filter(([key]) => !key.startsWith('helm.sh/hook')));
    return true;
  }
}

const warned = new Set<string>();

/** Prints a warning once per process: an app of many deployments on one Kubernetes version says it once. */
function warnOnce(warning: string | undefined): void {
  if (warning === undefined || warned.has(warning)) return;
  warned.add(warning);
  console.warn(warning);
}

/**
 * The arguments of `helm template` for a release, without values: the chart (a repository chart from the chart
 * cache), the namespace, and the Kubernetes version with the APIs it serves, so the chart's
 * `.Capabilities` checks answer as that cluster would.
 */
export function helmTemplateArgs(options: { chart: ChartSource; releaseName: string; namespace: string; kubeVersion: KubeVersion }): string[] {
  return [
    'template', options.releaseName, options.chart.reference().chart,
    '--namespace', options.namespace,
    '--kube-version', options.kubeVersion.version, '--api-versions', servedApiVersions(options.kubeVersion.minor).join(','),
  ];
}

/**
 * Runs helm with `input` on its standard input; returns what it printed (undefined while the app is only being
 * defined to find out its helm calls), or fails with one line that says what to do.
 */
export function runHelm(helm: string, args: string[], input: string, chart: ChartSource, release: string): string | undefined {
  const result = runHelmTemplate({ helm, args, input });
  return result && helmOutput(result, helm, chart, release);
}

/** What a finished helm call printed, or a one-line error that says what to do if it failed. */
export function helmOutput(result: HelmResult, helm: string, chart: ChartSource, release: string): string {
  const code = result.error?.code;
  // EPIPE only says that helm exited without reading the values; what it printed and its status tell the rest.
  if (result.error && !(code === 'EPIPE' && result.status !== null)) {
    throw new ConfigError(code === 'ENOENT' || code === 'EACCES'
      ? `cannot run helm at ${helm}: run \`npm ci\` (it installs the pinned helm into .tools/ on linux/x86-64) or set HELM to a helm 4 (or 3) binary`
      : `helm at ${helm} failed to run for release ${release}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const stderr = result.stderr.trim();
    throw new ConfigError(stderr
      ? explainHelmFailure(stderr, chart, release)
      : `helm at ${helm} ${result.signal ? `was killed by ${result.signal}` : `exited with status ${result.status}`} and printed nothing `
        + `while rendering release ${release} (${chart.description}); check HELM`);
  }
  return result.stdout;
}

/** Turns helm's stderr into one line that says what to do. */
function explainHelmFailure(message: string, chart: ChartSource, release: string): string {
  const detail = oneLine(redact(message));
  const kubeVersion = /chart requires kubeVersion: (\S+) which is incompatible with Kubernetes (\S+)/.exec(message);
  if (kubeVersion) {
    return `kubeVersion ${kubeVersion[2]} of release ${release} is outside what ${chart.description} supports (${kubeVersion[1]}); `
      + `set kubeVersion to your cluster's version (kubectl version), which must satisfy ${kubeVersion[1]}`;
  }
  if (/values don't meet the specifications of the schema/.test(message)) {
    // helm 4 lists the problems per chart as a `<chart>:` line, then a `- at '<path>': <problem>` line for each.
    const problems = detail.replace(/.*?schema\(s\) in the following chart\(s\):[;\s]*/, '').replace(/:; - /g, ': ').replace(/; - /g, '; ');
    return `the chart's values schema refused the values of release ${release}: ${problems}`;
  }
  if (/execution error at/.test(message)) {
    return `the chart refused the values of release ${release}: ${detail.replace(/.*?execution error at \([^)]*\):[;\s]*/, '')}`;
  }
  return `helm template failed for release ${release} (${chart.description}): ${detail}`;
}

function oneLine(text: string): string {
  return text.replace(/^Error:/gm, '').replace(/Use --debug flag.*/g, '').split('\n').map(l => l.trim()).filter(Boolean).join('; ');
}
