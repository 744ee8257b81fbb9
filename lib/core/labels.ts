/**
 * The label every object of a deployment carries, with the release name as value: `kubectl apply --prune -l`
 * selects a deployment's objects by it (see prune.ts).
 */
export const DEPLOYMENT_LABEL = 'binderhub-cdk8s.io/deployment';
