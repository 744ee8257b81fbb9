import { ManifestObject } from '../output/manifest-check';

/** One version of a built-in API group, the kinds it serves, and the Kubernetes minors that serve it. */
interface BuiltInApi {
  /** `v1` for the core group, else `group/version`. */
  readonly groupVersion: string;
  readonly kinds: readonly string[];
  /** The first minor that serves it by default. @default - before 1.16 */
  readonly since?: number;
  /** The first minor that no longer serves it. @default - still served */
  readonly removedIn?: number;
}

/**
 * The built-in APIs that a Kubernetes API server serves by default from 1.16 on, from the Kubernetes deprecation
 * guide and release notes, with the removed ones that charts still branch to. A version gone before 1.16 (apps/v1beta2,
 * extensions/v1beta1's workloads) is not listed, so its objects are refused at every minor. Beta APIs introduced
 * after 1.24 are off by default and so not listed.
 */
const BUILT_IN_APIS: readonly BuiltInApi[] = [
  { groupVersion: 'v1', kinds: ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'] },
  { groupVersion: 'admissionregistration.k8s.io/v1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] },
  { groupVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], since: 30 },
  { groupVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], removedIn: 22 },
  { groupVersion: 'apiextensions.k8s.io/v1', kinds: ['CustomResourceDefinition'] },
  { groupVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], removedIn: 22 },
  { groupVersion: 'apiregistration.k8s.io/v1', kinds: ['APIService'] },
  { groupVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], removedIn: 22 },
  { groupVersion: 'apps/v1', kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] },
  { groupVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: 22 },
  { groupVersion: 'authentication.k8s.io/v1', kinds: ['TokenReview', 'TokenRequest'] },
  { groupVersion: 'authentication.k8s.io/v1', kinds: ['SelfSubjectReview'], since: 28 },
  { groupVersion: 'authorization.k8s.io/v1', kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'] },
  { groupVersion: 'autoscaling/v1', kinds: ['HorizontalPodAutoscaler'] },
  { groupVersion: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'], since: 23 },
  { groupVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removedIn: 25 },
  { groupVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removedIn: 26 },
  { groupVersion: 'batch/v1', kinds: ['Job'] },
  { groupVersion: 'batch/v1', kinds: ['CronJob'], since: 21 },
  { groupVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: 25 },
  { groupVersion: 'certificates.k8s.io/v1', kinds: ['CertificateSigningRequest'], since: 19 },
  { groupVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removedIn: 22 },
  { groupVersion: 'coordination.k8s.io/v1', kinds: ['Lease'] },
  { groupVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removedIn: 22 },
  { groupVersion: 'discovery.k8s.io/v1', kinds: ['EndpointSlice'], since: 21 },
  { groupVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], since: 17, removedIn: 25 },
  { groupVersion: 'events.k8s.io/v1', kinds: ['Event'], since: 19 },
  { groupVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removedIn: 25 },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], since: 29 },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], since: 20, removedIn: 26 },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], since: 23, removedIn: 29 },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], since: 26, removedIn: 32 },
  { groupVersion: 'networking.k8s.io/v1', kinds: ['NetworkPolicy'] },
  { groupVersion: 'networking.k8s.io/v1', kinds: ['Ingress', 'IngressClass'], since: 19 },
  { groupVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], since: 33 },
  { groupVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress'], removedIn: 22 },
  { groupVersion: 'networking.k8s.io/v1beta1', kinds: ['IngressClass'], since: 18, removedIn: 22 },
  { groupVersion: 'node.k8s.io/v1', kinds: ['RuntimeClass'], since: 20 },
  { groupVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removedIn: 25 },
  { groupVersion: 'policy/v1', kinds: ['Eviction', 'PodDisruptionBudget'], since: 21 },
  { groupVersion: 'policy/v1beta1', kinds: ['Eviction', 'PodDisruptionBudget', 'PodSecurityPolicy'], removedIn: 25 },
  { groupVersion: 'rbac.authorization.k8s.io/v1', kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] },
  { groupVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], removedIn: 22 },
  { groupVersion: 'resource.k8s.io/v1', kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], since: 34 },
  { groupVersion: 'scheduling.k8s.io/v1', kinds: ['PriorityClass'] },
  { groupVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removedIn: 22 },
  { groupVersion: 'storage.k8s.io/v1', kinds: ['StorageClass', 'VolumeAttachment'] },
  { groupVersion: 'storage.k8s.io/v1', kinds: ['CSINode'], since: 17 },
  { groupVersion: 'storage.k8s.io/v1', kinds: ['CSIDriver'], since: 18 },
  { groupVersion: 'storage.k8s.io/v1', kinds: ['CSIStorageCapacity'], since: 24 },
  { groupVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass'], since: 34 },
  { groupVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: 22 },
  { groupVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], since: 21, removedIn: 27 },
];

const servedAt = (minor: number) => (api: BuiltInApi) => (api.since ?? 0) <= minor && (api.removedIn === undefined || minor < api.removedIn);

// Stryker disable next-line StringLiteral: equivalent, the core group's name is only compared with itself (BUILT_IN_GROUPS is made with groupOf)
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

const BUILT_IN_GROUPS = new Set(BUILT_IN_APIS.map(api => groupOf(api.groupVersion)));

/**
 * What helm's `--api-versions` gets for Kubernetes 1.<minor>: every served group/version and group/version/Kind,
 * so that a chart's `.Capabilities.APIVersions.Has` answers as the cluster would. Sorted, for stable arguments.
 */
export function servedApiVersions(minor: number): string[] {
  const served = BUILT_IN_APIS.filter(servedAt(minor));
  return [...new Set(served.flatMap(api => [api.groupVersion, ...api.kinds.map(kind => `${api.groupVersion}/${kind}`)]))].sort();
}

/**
 * The objects whose built-in apiVersion and kind Kubernetes 1.<minor> does not serve, one line each naming the
 * object and the version to use. Kinds of other API groups (custom resources) are left to their CRDs.
 */
export function unservedObjects(objects: readonly ManifestObject[], minor: number): string[] {
  const served = BUILT_IN_APIS.filter(servedAt(minor));
  const problems: string[] = [];
  for (const object of objects) {
    if (!BUILT_IN_GROUPS.has(groupOf(object.apiVersion))) continue;
    if (served.some(api => api.groupVersion === object.apiVersion && api.kinds.includes(object.kind))) continue;
    const instead = served.find(api => api.kinds.includes(object.kind));
    const where = `${object.kind}/${object.metadata.name}`;
    problems.push(instead
      ? `${where} is ${object.apiVersion}, which Kubernetes 1.${minor} does not serve; it needs ${instead.groupVersion}`
      : `${where} is ${object.apiVersion}, and Kubernetes 1.${minor} serves no ${object.kind} at all`);
  }
  return problems;
}
