import { ConfigError } from '../core/errors';
import { imageTagProblem } from './image-tags';
import { WORKLOAD_KINDS } from '../core/kinds';
import { ManifestObject, podSpecOf } from '../output/manifest-check';
import { redact } from '../core/redact';

/**
 * The objects every BinderHub is made of, as the binderhub chart and its jupyterhub subchart render them. Output
 * without them is no BinderHub, and a pruning apply of it would delete the running one.
 */
export const BINDERHUB_CORE_OBJECTS: ReadonlyArray<{ readonly kind: string; readonly name: string }> = [
  { kind: 'Deployment', name: 'binder' },
  { kind: 'Deployment', name: 'hub' },
  { kind: 'Deployment', name: 'proxy' },
  { kind: 'Service', name: 'proxy-public' },
  { kind: 'Secret', name: 'hub' },
  { kind: 'Secret', name: 'binder-secret' },
];

/** The core objects that `objects` lack, as `Kind name`. */
export function missingCoreObjects(objects: ReadonlyArray<Pick<ManifestObject, 'kind' | 'metadata'>>): string[] {
  const present = new Set(objects.map(o => `${o.kind} ${o.metadata.name}`));
  return BINDERHUB_CORE_OBJECTS.map(o => `${o.kind} ${o.name}`).filter(id => !present.has(id));
}

/** An image that does not say which build runs. */
export interface ImageProblem {
  /** The object, as `Kind name`. */
  readonly object: string;
  /** The container, as `container <name>` or `init container <name>`. */
  readonly container: string;
  /** The image reference as rendered. */
  readonly image: string;
  /** Why it is refused. */
  readonly problem: string;
}

/** Every container and init container image of every pod template in `objects` that does not pin what runs. */
export function imageProblems(objects: ReadonlyArray<ManifestObject>): ImageProblem[] {
  const problems: ImageProblem[] = [];
  for (const object of objects.filter(o => WORKLOAD_KINDS.has(o.kind))) {
    const pod = podSpecOf(object) ?? {};
    const containers = [
      ...(pod.initContainers ?? []).map((c: any) => ({ c, label: `init container ${c.name}` })),
      ...(pod.containers ?? []).map((c: any) => ({ c, label: `container ${c.name}` })),
    ];
    for (const { c, label } of containers) {
      const problem = imageTagProblem(c.image);
      if (problem) {
        problems.push({ object: `${object.kind} ${object.metadata.name}`, container: label, image: c.image ?? '', problem });
      }
    }
  }
  return problems;
}

/** What the messages of `checkRenderedBinderHub` name. */
export interface RenderedOutputContext {
  /** The deployment (construct id). */
  readonly deployment: string;
  /** The chart, as `ChartSource.description` says it. */
  readonly chart: string;
  /** The helm binary that rendered it. */
  readonly helm: string;
}

/**
 * Throws a ConfigError if what helm rendered is no BinderHub that can be published: nothing at all (an empty chart,
 * or a helm that printed nothing), a core object missing, or an image that does not pin what runs. It runs on
 * helm's output before anything is written, so dist/ never receives such output and a pruning apply never deletes
 * a running BinderHub because of it.
 */
export function checkRenderedBinderHub(objects: ReadonlyArray<ManifestObject>, context: RenderedOutputContext): void {
  const where = `deployment "${context.deployment}"`;
  if (objects.length === 0) {
    throw new ConfigError(redact(`${where}: helm rendered no objects from ${context.chart}, so the output would hold no BinderHub `
      + `(and a pruning apply would delete the running one); is BINDERHUB_CHART a binderhub chart? a helm that printed nothing: check HELM or helmExecutable (${context.helm})`));
  }
  const missing = missingCoreObjects(objects);
  if (missing.length > 0) {
    throw new ConfigError(redact(`${where}: ${context.chart} rendered no ${missing.join(', ')}, which every BinderHub has `
      + '(a pruning apply would delete them); is BINDERHUB_CHART a binderhub chart, with its jupyterhub subchart?'));
  }
  const images = imageProblems(objects);
  if (images.length > 0) {
    const list = images.map(i => `${i.object}, ${i.container}: ${i.image ? `${i.image} has` : 'has'} ${i.problem}`).join('; ');
    throw new ConfigError(redact(`${where}: ${context.chart} renders images that do not say which build runs: ${list}; `
      + 'package the chart with chartpress (or use a published chart), or set the tag in chartValues (such as image.tag for Deployment binder)'));
  }
}
