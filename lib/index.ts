/**
 * binderhub-cdk8s: BinderHub deployments as cdk8s constructs, and the app a project's main.ts exports. What is here
 * is the public API (docs/versioning in CHANGELOG.md); everything else in lib/ is internal and may change in any
 * release.
 */
export { BinderHubApp, DeploymentsDefinition } from './app/binderhub-app';
export { DeploymentsScope } from './app/deployments-scope';
export { Auth, GenericOAuthOptions, GitHubAuthOptions, GitLabAuthOptions, LoginOptions } from './service/auth';
export { BinderHub, BinderHubProps } from './deployment/binderhub';
export {
  BuildLimits, CullingOptions, NetworkOptions, QuotaOptions, ServicePolicy, ServicePolicyOptions, UserServerLimits,
} from './service/service-policy';
export { ArgoCdDeliveryProps, Delivery, FluxDeliveryProps } from './deployment/delivery';
export { AlertThresholds, Monitoring, MonitoringOptions, PrometheusOperatorOptions } from './deployment/monitoring';
export { Builder, BuilderCommonProps, DindBuilderProps, HostBuilderProps, PinkBuilderProps } from './deployment/builder';
export { DEFAULT_DIND_IMAGE, DindDaemonSet, DindDaemonSetProps } from './deployment/dind';
export { GatewayOptions, GatewayParent } from './deployment/gateway';
export { HubUrlRecords } from './deployment/hub-url-records';
export { HubUrlSource } from './deployment/hub-url';
export { CertManagerTlsProps, IngressOptions, Tls } from './deployment/ingress';
export {
  AcrRegistryProps, CustomRegistryProps, DockerHubRegistryProps, GcrRegistryProps, HarborRegistryProps, Registry, RegistryCommonProps,
} from './deployment/registry';
export { BINDERHUB_CHART_REPOSITORY, ChartSource, DEFAULT_BINDERHUB_CHART_VERSION, RepositoryChartOptions } from './chart/chart-source';
export { DroppedHook, HelmChart, HelmChartProps } from './chart/helm-chart';
export { DEFAULT_KUBE_VERSION } from './chart/kubernetes-versions';
export { SealingScope } from './secrets/seal';
export { CredentialName, DeploymentCredentials, DeploymentSecrets, requiredCredential, SecretStore } from './secrets/secret-store';
export { ExternalSecretsProps, SealedSecretsProps, SecretsMode } from './secrets/secrets-mode';
export { BinderHubTokens, BinderHubTokenValues, TokenName } from './secrets/tokens';
export { ConfigError } from './core/errors';
export { Values } from './core/values';
export { ManifestObject } from './output/manifest-check';
/** CPU and memory of a container from quantities as a values file writes them (`Builder.dind({ resources })`; modules that adopt writes use it). */
export { containerResources, ResourceQuantities } from './core/quantities';
export { ExternalSecretSpecSecretStoreRefKind } from '../imports/external-secrets.io';
