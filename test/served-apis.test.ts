/**
 * The built-in APIs each Kubernetes minor serves (lib/chart/served-apis.ts): what helm's `--api-versions` gets, so that a
 * chart's `.Capabilities.APIVersions.Has` answers as the cluster would. Written out here and checked against the
 * Kubernetes deprecation guide and release notes: a change to the table must change these too.
 */
import { servedApiVersions, unservedObjects } from '../lib/internal';

/** Kubernetes 1.35's built-in API versions and their kinds. */
const AT_35: Record<string, string[]> = {
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  'authorization.k8s.io/v1': ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['IPAddress', 'Ingress', 'IngressClass', 'NetworkPolicy', 'ServiceCIDR'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'policy/v1': ['Eviction', 'PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'resource.k8s.io/v1': ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'v1': ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
};

test('helm is told, for Kubernetes 1.35, each served version and each of its kinds, sorted', () => {
  const expected = Object.entries(AT_35).flatMap(([version, kinds]) => [version, ...kinds.map(kind => `${version}/${kind}`)]).sort();
  expect(servedApiVersions(35)).toEqual(expected);
});

/** What each minor serves that the one before did not, and what it no longer serves (a version goes with its last kind). */
const CHANGES: Array<[number, string[], string[]]> = [
  [17, ['discovery.k8s.io/v1beta1', 'discovery.k8s.io/v1beta1/EndpointSlice', 'storage.k8s.io/v1/CSINode'], []],
  [18, ['networking.k8s.io/v1beta1/IngressClass', 'storage.k8s.io/v1/CSIDriver'], []],
  [19, ['certificates.k8s.io/v1', 'certificates.k8s.io/v1/CertificateSigningRequest', 'events.k8s.io/v1', 'events.k8s.io/v1/Event', 'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/IngressClass'], []],
  [20, ['flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration', 'node.k8s.io/v1', 'node.k8s.io/v1/RuntimeClass'], []],
  [21, ['batch/v1/CronJob', 'discovery.k8s.io/v1', 'discovery.k8s.io/v1/EndpointSlice', 'policy/v1', 'policy/v1/Eviction', 'policy/v1/PodDisruptionBudget', 'storage.k8s.io/v1beta1/CSIStorageCapacity'], []],
  [22, [], ['admissionregistration.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration', 'apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1/CustomResourceDefinition', 'apiregistration.k8s.io/v1beta1', 'apiregistration.k8s.io/v1beta1/APIService', 'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1beta1/CertificateSigningRequest', 'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1beta1/Lease', 'extensions/v1beta1', 'extensions/v1beta1/Ingress', 'networking.k8s.io/v1beta1', 'networking.k8s.io/v1beta1/Ingress', 'networking.k8s.io/v1beta1/IngressClass', 'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1/ClusterRole', 'rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding', 'rbac.authorization.k8s.io/v1beta1/Role', 'rbac.authorization.k8s.io/v1beta1/RoleBinding', 'scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1beta1/PriorityClass', 'storage.k8s.io/v1beta1/CSIDriver', 'storage.k8s.io/v1beta1/CSINode', 'storage.k8s.io/v1beta1/StorageClass', 'storage.k8s.io/v1beta1/VolumeAttachment']],
  [23, ['autoscaling/v2', 'autoscaling/v2/HorizontalPodAutoscaler', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration'], []],
  [24, ['storage.k8s.io/v1/CSIStorageCapacity'], []],
  [25, [], ['autoscaling/v2beta1', 'autoscaling/v2beta1/HorizontalPodAutoscaler', 'batch/v1beta1', 'batch/v1beta1/CronJob', 'discovery.k8s.io/v1beta1', 'discovery.k8s.io/v1beta1/EndpointSlice', 'events.k8s.io/v1beta1', 'events.k8s.io/v1beta1/Event', 'node.k8s.io/v1beta1', 'node.k8s.io/v1beta1/RuntimeClass', 'policy/v1beta1', 'policy/v1beta1/Eviction', 'policy/v1beta1/PodDisruptionBudget', 'policy/v1beta1/PodSecurityPolicy']],
  [26, ['flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration'], ['autoscaling/v2beta2', 'autoscaling/v2beta2/HorizontalPodAutoscaler', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration']],
  [27, [], ['storage.k8s.io/v1beta1', 'storage.k8s.io/v1beta1/CSIStorageCapacity']],
  [28, ['authentication.k8s.io/v1/SelfSubjectReview'], []],
  [29, ['flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration'], ['flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration']],
  [30, ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding'], []],
  [31, [], []],
  [32, [], ['flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema', 'flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration']],
  [33, ['networking.k8s.io/v1/IPAddress', 'networking.k8s.io/v1/ServiceCIDR'], []],
  [34, ['resource.k8s.io/v1', 'resource.k8s.io/v1/DeviceClass', 'resource.k8s.io/v1/ResourceClaim', 'resource.k8s.io/v1/ResourceClaimTemplate', 'resource.k8s.io/v1/ResourceSlice', 'storage.k8s.io/v1/VolumeAttributesClass'], []],
  [35, [], []],
  [36, [], []],
];

test.each(CHANGES)('Kubernetes 1.%i: what it adds and what it removes', (minor, added, removed) => {
  const before = servedApiVersions(minor - 1);
  const now = servedApiVersions(minor);
  expect(now.filter(version => !before.includes(version))).toEqual(added);
  expect(before.filter(version => !now.includes(version))).toEqual(removed);
});

test('from 1.16 on, extensions/v1beta1 serves only Ingress, until 1.22, and apps/v1beta2 nothing', () => {
  const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x' } });
  expect(unservedObjects([object('extensions/v1beta1', 'Deployment'), object('extensions/v1beta1', 'Ingress'), object('apps/v1beta2', 'StatefulSet')], 16))
    .toEqual([
      'Deployment/x is extensions/v1beta1, which Kubernetes 1.16 does not serve; it needs apps/v1',
      'StatefulSet/x is apps/v1beta2, which Kubernetes 1.16 does not serve; it needs apps/v1',
    ]);
  expect(unservedObjects([object('extensions/v1beta1', 'Ingress')], 22))
    .toEqual(['Ingress/x is extensions/v1beta1, which Kubernetes 1.22 does not serve; it needs networking.k8s.io/v1']);
});
