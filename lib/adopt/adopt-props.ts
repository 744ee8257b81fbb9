import type { AdoptionPlan } from './adopt';
import { makeAuth } from './adopt-auth';
import { makeBuilder } from './adopt-builder';
import { ingressOptions } from './adopt-ingress';
import { callFactory } from './adopt-registry';
import type { BinderHubProps } from '../deployment/binderhub';
import type { ChartSource } from '../chart/chart-source';
import type { DeploymentCredentials } from '../secrets/secret-store';
import { ServicePolicy } from '../service/service-policy';
import type { BinderHubTokens } from '../secrets/tokens';

/** The secrets an adopted deployment reads: what its secrets file holds. */
export interface AdoptedSecrets {
  readonly tokens: BinderHubTokens;
  readonly credentials: DeploymentCredentials;
}

/**
 * The props the module that `adoptedModuleText` writes gives its deployment, made in this process: `npm run adopt`
 * synthesizes them to compare with helm, as the module is only text then. The hub URL a module reads from its record
 * is the plan's. (The tests hold the module and these props to the same output.)
 */
export function adoptedProps(plan: AdoptionPlan, secrets: AdoptedSecrets, chart?: ChartSource): BinderHubProps {
  const { credentials } = secrets;
  return {
    releaseName: plan.releaseName,
    namespace: plan.namespace,
    tokens: secrets.tokens,
    chart,
    registry: callFactory(plan.registry, credentials.registryPassword ?? ''),
    builder: makeBuilder(plan.builder),
    ingress: plan.ingress && ingressOptions(plan.ingress),
    hubUrl: plan.hubUrl?.kind === 'fixed' ? plan.hubUrl.url : undefined,
    auth: plan.auth && makeAuth(plan.auth, credentials.oauthClientSecret ?? ''),
    discoveredHubUrl: plan.hubUrl?.kind === 'discovered' ? plan.hubUrl.url : undefined,
    githubAccessToken: credentials.githubAccessToken,
    gitlabPrivateToken: credentials.gitlabPrivateToken,
    policy: ServicePolicy.private(),
    chartValues: Object.keys(plan.chartValues).length > 0 ? plan.chartValues : undefined,
    secretChartValues: Object.keys(plan.secretChartValues).length > 0 ? plan.secretChartValues : undefined,
  };
}
