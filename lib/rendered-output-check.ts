import { ConfigError } from './errors';
import { ManifestObject } from './manifest-check';
import { redact } from './redact';

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
 * or a helm that printed nothing), or a core object missing. It runs on
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
}
