/**
 * Kubernetes kinds that are cluster-scoped: objects of these kinds must carry no `metadata.namespace`, and every
 * other kind must carry one. (Kinds of the core API and of the add-ons BinderHub deployments use.)
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration',
  'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration',
  'RuntimeClass', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

/** Whether objects of `kind` live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** Kinds that run pods: as a Helm hook they are one-shot install steps that `kubectl apply` cannot honour. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Pod', 'Job', 'CronJob', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet']);

/**
 * Whether `kind` names a Secret, in any case: kubectl and some servers take `secret` too, and kubectl masks the values
 * only of `Secret`, so anything that must never show a value treats every spelling as one.
 */
export function isSecretKind(kind: unknown): boolean {
  return typeof kind === 'string' && kind.toLowerCase() === 'secret';
}

/**
 * Kinds applied before everything else, in this order: the namespace the rest goes into, then the Secrets that
 * pods mount (and the objects that make Secrets), so no pod starts before what it reads exists. `npm run apply` and a
 * GitOps controller's delivery both order by it.
 */
export const FIRST_KINDS: readonly string[] = ['Namespace', 'Secret', 'SealedSecret', 'ExternalSecret'];
