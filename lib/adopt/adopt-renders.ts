import { App, Chart } from 'cdk8s';
import { AdoptionPlan, TOKEN_SETTINGS } from './adopt';
import { AdoptionComparison, compareAdoption } from './adopt-comparison';
import { AdoptedSecrets, adoptedProps } from './adopt-props';
import { BinderHub } from '../deployment/binderhub';
import { ChartSource } from '../chart/chart-source';
import { ConfigError } from '../core/errors';
import { helmTemplateArgs, runHelm } from '../chart/helm-chart';
import { parseHelmOutput } from '../chart/helm-renders';
import { ManifestObject } from '../output/manifest-check';
import { BinderHubTokenValues } from '../secrets/tokens';
import { deepMerge, getPath, Values } from '../core/values';
import { checkExtraEnv, envEntries, EXTRA_ENV_PATHS } from '../deployment/binderhub-values';

/** What to render for the comparison of an adopted deployment with its helm release. */
export interface AdoptionRenderInputs {
  readonly plan: AdoptionPlan;
  /** What the adopted deployment's secrets file holds. */
  readonly secrets: AdoptedSecrets;
  /** The tokens adopt generated (the values files and the live release lack them). */
  readonly generatedTokens: ReadonlyArray<keyof BinderHubTokenValues>;
  /** The tokens read from the live release: helm's render gets them too, as an install keeps its first ones. */
  readonly clusterTokens: Partial<BinderHubTokenValues>;
  /** The original values files, in the order helm merges them. */
  readonly files: ReadonlyArray<string>;
  /** The chart both render. */
  readonly chart: ChartSource;
}

/** The comparison, or why helm's side could not be rendered; `rendered` says what was compared. */
export type AdoptionComparisonResult =
  | { readonly comparison: AdoptionComparison; readonly rendered: string }
  | { readonly unavailable: string; readonly rendered: string };

/**
 * Synthesizes the adopted deployment in memory (a refusal fails here, before adopt writes anything) and renders the
 * original values files with `helm template` of the same chart, release, namespace and Kubernetes version, then
 * compares the two. helm refusing the files (the 2019 layout, which today's chart refuses) is no failure: the result
 * says why there is no comparison.
 */
export function renderAdoptionComparison(inputs: AdoptionRenderInputs): AdoptionComparisonResult {
  const app = new App();
  const deployment = new BinderHub(app, inputs.plan.name, adoptedProps(inputs.plan, inputs.secrets, inputs.chart));
  const ours = {
    objects: deployment.toJson() as ManifestObject[],
    secrets: app.charts.filter(chart => chart !== deployment).flatMap((chart: Chart) => chart.toJson()) as ManifestObject[],
  };
  const { releaseName, namespace, helmChart } = deployment;
  const rendered = `helm template of ${inputs.files.join(', ')} (${inputs.chart.description}, release ${releaseName}, namespace ${namespace}, `
    + `Kubernetes ${helmChart.kubeVersion.version})`;
  const clusterValues = Object.entries(inputs.clusterTokens).reduce<Values>((values, [token, value]) => deepMerge(values,
    valuesAt(TOKEN_SETTINGS[token as keyof BinderHubTokenValues], token === 'cryptKeeperKey' ? [value] : value)), {});
  const args = [
    ...helmTemplateArgs({ chart: inputs.chart, releaseName, namespace, kubeVersion: helmChart.kubeVersion }),
    ...inputs.files.flatMap(file => ['--values', file]),
    // The live tokens go through a pipe, as every token does.
    ...(Object.keys(clusterValues).length > 0 ? ['--values', '-'] : []),
  ];
  let output: string;
  try {
    output = runHelm(helmChart.helmExecutable, args, JSON.stringify(clusterValues), inputs.chart, releaseName) ?? '';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { unavailable: error.message, rendered };
  }
  const context = {
    release: releaseName, namespace, builder: inputs.plan.builder.factory, registry: inputs.plan.registry.factory,
    ingress: inputs.plan.ingress !== undefined, generatedTokens: inputs.generatedTokens,
    auth: inputs.plan.auth && { namedServers: (inputs.plan.auth.options.serversPerUser ?? 1) as number > 1 },
    secretEnv: movedEnvVariables(inputs.plan.secretChartValues),
  };
  return { comparison: compareAdoption(parseHelmOutput(output), ours, context), rendered };
}

/** The env variables of secret chart values, by their setting (the charts' EXTRA_ENV_PATHS that hold any). */
function movedEnvVariables(secretValues: Values): Record<string, string[]> {
  return Object.fromEntries(EXTRA_ENV_PATHS.flatMap(setting => {
    const env = getPath(secretValues, setting);
    checkExtraEnv(env, setting);
    const names = envEntries(env).map(entry => entry.name);
    return names.length > 0 ? [[setting, names]] : [];
  }));
}

/** `value` at the dotted path `path` of otherwise empty values. */
function valuesAt(path: string, value: unknown): Values {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Values;
}
