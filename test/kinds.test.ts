import { isClusterScoped, WORKLOAD_KINDS } from '../lib/internal';

// As `kubectl api-resources --namespaced=false` lists them (and cert-manager's ClusterIssuer).
const CLUSTER_SCOPED = [
  'APIService', 'CertificateSigningRequest', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration',
  'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration',
  'RuntimeClass', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
];
const NAMESPACED = [
  'Pod', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'DaemonSet', 'Job',
  'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'PersistentVolumeClaim', 'Issuer', 'Certificate', 'SealedSecret',
  'ExternalSecret', 'SecretStore', 'HTTPRoute', 'Endpoints',
];

describe('isClusterScoped', () => {
  test.each(CLUSTER_SCOPED)('%s lives outside namespaces, so its objects carry no metadata.namespace', kind => {
    expect(isClusterScoped(kind)).toBe(true);
  });

  test.each(NAMESPACED)('%s lives in a namespace, so its objects carry their deployment\'s', kind => {
    expect(isClusterScoped(kind)).toBe(false);
  });
});

describe('WORKLOAD_KINDS', () => {
  test('are the kinds that run pods, which a Helm hook cannot be under kubectl apply', () => {
    expect([...WORKLOAD_KINDS].sort()).toEqual(['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'StatefulSet']);
  });
});
