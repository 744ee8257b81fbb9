import { DeploymentsScope } from './deployments-scope';

/**
 * What a project's main.ts does: define its deployments in the scope it is given. It may run more than once per
 * command (once to find the helm renders, which then run side by side, once with their output), so it only
 * defines constructs.
 */
export type DeploymentsDefinition = (app: DeploymentsScope) => void;

/**
 * A project's BinderHub deployments: what its main.ts exports by default, and everything `binderhub-cdk8s <command>`
 * (and `cdk8s synth`) needs to know of the project. The commands do the rest around the definition: the secrets
 * files, the recorded hub URLs, the previous manifests for stable sealed values, finishing an interrupted publish,
 * the all-or-nothing publish into dist/ and dist-secrets/, concurrent helm renders and placeholder warnings.
 *
 * ```ts
 * export default new BinderHubApp(app => {
 *   new BinderHub(app, 'staging', { tokens: app.secrets('staging').tokens, registry: Registry.none() });
 * });
 * ```
 */
export class BinderHubApp {
  /** @param define defines the deployments in the scope it is given */
  constructor(public readonly define: DeploymentsDefinition) {}
}
