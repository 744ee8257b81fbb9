import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Helm, JsonPatch, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
// The YAML parser cdk8s itself uses: cdk8s ships its own copy of `yaml` as a bundled dependency.
import * as cdk8sYaml from 'cdk8s/node_modules/yaml';
import { ChartSource } from './chart-source';
import { ConfigError } from './errors';
import { WORKLOAD_KINDS } from './kinds';
import { DEFAULT_KUBE_VERSION, KubeVersion, kubeVersionWarning, parseKubeVersion } from './kubernetes-versions';
import { redact } from './redact';
import { servedApiVersions } from './served-apis';
import { toolPath } from './tools';
import { Values } from './values';

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
 * Defines the objects of a Helm chart, rendered by the real `helm template` through cdk8s's `Helm`.
 *
 * On top of `Helm` it always pins the namespace and Kubernetes version, uses the project's pinned helm, removes
 * the temporary files that would otherwise keep the rendered values (tokens included) on disk, and turns helm's
 * failures into one-line messages that say what to do.
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
  /** The Kubernetes version rendered for. */
  public readonly kubeVersion: KubeVersion;
  /** The helm binary that rendered the chart. */
  public readonly helmExecutable: string;

  private readonly rendered: Helm;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.values = props.values ?? {};
    this.kubeVersion = parseKubeVersion(props.kubeVersion ?? DEFAULT_KUBE_VERSION);
    warnOnce(kubeVersionWarning(this.kubeVersion));
    const helm = toolPath('helm', props.helmExecutable);
    this.helmExecutable = helm;
    const reference = props.chart.reference();
    this.rendered = withPrivateTempDir(() => withInProcessYamlLoad(() => {
      try {
        return new Helm(this, 'Resource', {
          chart: reference.chart,
          repo: reference.repo,
          version: reference.version,
          releaseName: props.releaseName,
          namespace: props.namespace,
          values: props.values,
          helmExecutable: helm,
          helmFlags: ['--kube-version', this.kubeVersion.version, '--api-versions', servedApiVersions(this.kubeVersion.minor).join(',')],
        });
      } catch (error) {
        throw new ConfigError(explainHelmFailure(String((error as Error).message), props.chart, helm, props.releaseName));
      }
    }));
    this.handleHooks();
  }

  /** The objects helm rendered, less the dropped hooks and any removed since. */
  public get apiObjects(): ApiObject[] {
    return this.rendered.apiObjects;
  }

  private handleHooks(): void {
    for (const object of this.rendered.apiObjects) {
      const annotations: Record<string, string> = object.metadata.toJson().annotations ?? {};
      const hook = annotations['helm.sh/hook'];
      if (hook === undefined) continue;
      if (hook.split(',').some(h => h.trim().startsWith('test')) || WORKLOAD_KINDS.has(object.kind)) {
        this.rendered.node.tryRemoveChild(object.node.id);
        this.droppedHooks.push({
          kind: object.kind, name: object.name, hook,
          reason: 'a one-shot helm hook that runs pods; kubectl apply has no hooks, so it would run at every apply or never finish',
        });
      } else {
        for (const key of Object.keys(annotations).filter(k => k.startsWith('helm.sh/hook'))) {
          object.addJsonPatch(JsonPatch.remove(`/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
        }
      }
    }
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
 * Runs `render` with TMPDIR pointing at a fresh private folder, then deletes that folder: cdk8s's `Helm` writes
 * the values file and helm's output under os.tmpdir() and never removes them.
 */
function withPrivateTempDir<T>(render: () => T): T {
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'binderhub-cdk8s-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = privateDir;
  try {
    return render();
  } finally {
    if (saved === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = saved;
    }
    fs.rmSync(privateDir, { recursive: true, force: true });
  }
}

/**
 * Runs `render` with cdk8s's `Yaml.load` reading local files in this process. cdk8s's `Include` (and so `Helm`)
 * loads helm's output file through a child node process, which it needs only to fetch URLs synchronously; for a
 * local file that process costs about as much as helm itself. The parse is the same as cdk8s's: its own parser,
 * YAML 1.1, empty documents skipped.
 */
function withInProcessYamlLoad<T>(render: () => T): T {
  const original = Yaml.load;
  Yaml.load = (file: string) => cdk8sYaml.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' })
    .map(document => document.toJSON())
    .filter(o => o !== null && o !== undefined && !(Array.isArray(o) && o.length === 0) && !(typeof o === 'object' && Object.keys(o).length === 0));
  try {
    return render();
  } finally {
    Yaml.load = original;
  }
}

/** Turns what `Helm` threw (helm's stderr, or a spawn failure) into one line that says what to do. */
function explainHelmFailure(message: string, chart: ChartSource, helm: string, release: string): string {
  const localHint = 'to render without the network, set BINDERHUB_CHART (or use ChartSource.local) to a local binderhub chart directory or .tgz';
  const detail = oneLine(redact(message));
  if (/unable to execute/.test(message)) {
    return `cannot run helm at ${helm}: run \`npm ci\` (it installs the pinned helm into .tools/ on linux/x86-64) or set HELM to a helm 4 (or 3) binary`;
  }
  const kubeVersion = /chart requires kubeVersion: (\S+) which is incompatible with Kubernetes (\S+)/.exec(message);
  if (kubeVersion) {
    return `kubeVersion ${kubeVersion[2]} of release ${release} is outside what ${chart.description} supports (${kubeVersion[1]}); `
      + `set kubeVersion to your cluster's version (kubectl version), which must satisfy ${kubeVersion[1]}`;
  }
  if (/not a valid chart repository|cannot be reached|no such host|dial tcp|connection refused|i\/o timeout/.test(message)) {
    return `cannot reach the chart repository for ${chart.description} (${lastCause(detail)}); ${localHint}`;
  }
  if (/version .* not found|no chart version found|no chart name found/.test(message)) {
    return `${chart.description} was not found in the repository (${lastCause(detail)}); pick a published version, or ${localHint}`;
  }
  if (/values don't meet the specifications of the schema/.test(message)) {
    // helm 4 lists the problems per chart as `<chart>:` and `- at '<path>': <problem>` lines.
    const problems = detail.replace(/^.*?schema\(s\) in the following chart\(s\):[;\s]*/, '').replace(/([\w-]+):; - /g, '$1: ').replace(/; - /g, '; ');
    return `the chart's values schema refused the values of release ${release}: ${problems}`;
  }
  if (/execution error at/.test(message)) {
    return `the chart refused the values of release ${release}: ${detail.replace(/^.*?execution error at \([^)]*\):\s*/, '')}`;
  }
  return `helm template failed for release ${release} (${chart.description}): ${detail}`;
}

function oneLine(text: string): string {
  return text.replace(/^Error:\s*/gm, '').replace(/Use --debug flag.*$/gm, '').split('\n').map(l => l.trim()).filter(Boolean).join('; ');
}

/** The end of a chain of Go errors (`a: b: c`) is what happened; the start is where. */
function lastCause(detail: string): string {
  const parts = detail.split(': ');
  return parts.slice(-2).join(': ');
}
