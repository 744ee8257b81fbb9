import { IConstruct } from 'constructs';
import { ChartSource } from '../chart/chart-source';
import { ManifestObject } from '../output/manifest-check';

/**
 * What the project folder gives every deployment of an app that has not said otherwise: the chart that
 * BINDERHUB_CHART sets, the hub URLs that `patch-hub-url` recorded, and the previous synth (for stable sealed values).
 * A BinderHubApp sets it on its root; a plain cdk8s App has none, and its deployments take only their props.
 */
export interface ProjectContext {
  /** The chart that replaces every deployment's own. */
  readonly chart?: ChartSource;
  /** The previous synth's objects, read when a deployment first needs them (only sealed values do). */
  previous(): ManifestObject[];
  /** The hub URL recorded for a deployment, if any. */
  discoveredHubUrl(deployment: string): string | undefined;
}

const contexts = new WeakMap<IConstruct, ProjectContext>();

/** Gives the deployments under `app` (a root) `context`. */
export function setProjectContext(app: IConstruct, context: ProjectContext): void {
  contexts.set(app.node.root, context);
}

/** The context of the app that `scope` belongs to, if its app has one. */
export function projectContext(scope: IConstruct): ProjectContext | undefined {
  return contexts.get(scope.node.root);
}
