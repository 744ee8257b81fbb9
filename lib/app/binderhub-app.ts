import { DeploymentsScope } from './deployments-scope';

/**
 * What a project's main.ts does: define its deployments in the scope it is given. It may run up to three times per
 * command (to find the helm renders, which then run side by side, and with their outputs), and any run may be the
 * one whose files are written, so it only defines constructs, the same ones each time.
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
