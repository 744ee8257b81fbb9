/**
 * The example operators copy: two BinderHub deployments, staging and prod, each in its own namespace.
 *
 * `npm run synth` (bin/synth.ts) renders them into dist/ (and their Secrets into dist-secrets/). BINDERHUB_CHART, a
 * local chart directory or .tgz, replaces the chart source of every deployment (for machines without internet, and
 * tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  AdoptedDeploymentModule, BinderHub, Builder, ChartSource, chartSourceFromEnvironment, checkAgainstFreshSynth, ConfigError, CredentialName, DEFAULT_TARGETS, HubUrlRecords,
  ManifestObject, placeholderLines, plannedFiles, PublishTargets, readPreviousManifests, Registry, renderConcurrently, requiredCredential, SecretsMode, SecretStore,
  synthesizeFiles, SynthesizedFiles, Tls,
} from './lib';

/** The deployments of this example, by name. */
export const EXAMPLE_DEPLOYMENTS = ['staging', 'prod'];

/** The namespace of each deployment of this example (its release name is its name). */
export const EXAMPLE_NAMESPACES: Readonly<Record<string, string>> = { staging: 'binderhub-staging', prod: 'binderhub-prod' };

/** The credentials each example deployment cannot do without: `npm run init-secrets` writes placeholders for them. */
export const EXAMPLE_CREDENTIALS: Readonly<Record<string, ReadonlyArray<CredentialName>>> = { prod: ['registryPassword'] };

/** What the example reads from disk and the environment. */
export interface ExampleInputs {
  /** The deployments' secrets files (secrets/). */
  readonly secrets: SecretStore;
  /** The chart every deployment renders. */
  readonly chart: ChartSource;
  /** Discovered hub URLs (hub-urls/). */
  readonly hubUrls: HubUrlRecords;
  /** The prod cluster's sealed-secrets certificate (sealed-secrets/prod.pem). */
  readonly prodSealingCertificate: string;
  /** The previous synth's objects (dist/), so unchanged sealed values keep their ciphertext. */
  readonly previous: ManifestObject[];
  /**
   * The files of the previous synth that could not be read (a merge conflict), one line each: left out of
   * `previous`, so their sealed values are sealed anew.
   * @default []
   */
  readonly unreadablePrevious?: ReadonlyArray<string>;
}

/** Defines the example's deployments in `app`. */
export function defineExample(app: App, inputs: ExampleInputs): BinderHub[] {
  const secrets = Object.fromEntries(EXAMPLE_DEPLOYMENTS.map(name => [name, inputs.secrets.load(name)]));
  return [
    // Quick start: LoadBalancer services; `npm run patch-hub-url -- --deployment staging` fills in the hub URL.
    // One node whose container runtime is Docker (minikube's default): builds run on the node's Docker, so user pods
    // start the images where they were built, without a registry. Its Secrets go to dist-secrets/ (git-ignored).
    new BinderHub(app, 'staging', {
      namespace: EXAMPLE_NAMESPACES.staging,
      chart: inputs.chart,
      tokens: secrets.staging.tokens,
      registry: Registry.none(),
      builder: Builder.host(),
      discoveredHubUrl: inputs.hubUrls.load('staging'),
      githubAccessToken: secrets.staging.credentials.githubAccessToken,
      secrets: SecretsMode.separate(),
    }),
    // Production: DNS names and HTTPS behind an Ingress controller with cert-manager; the hub URL is known up front.
    // Builds run in this deployment's own dind and push to Docker Hub, where every node's kubelet pulls them.
    // Its Secrets are sealed for the cluster's sealed-secrets controller.
    new BinderHub(app, 'prod', {
      namespace: EXAMPLE_NAMESPACES.prod,
      chart: inputs.chart,
      tokens: secrets.prod.tokens,
      registry: Registry.dockerHub({
        username: 'binderorg-bot',
        password: requiredCredential(secrets.prod, 'registryPassword'),
        imagePrefix: 'binderorg/binder-prod-',
      }),
      ingress: {
        binderHost: 'binder.example.org',
        hubHost: 'hub.example.org',
        ingressClassName: 'nginx',
        binderTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
        hubTls: Tls.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      },
      githubAccessToken: secrets.prod.credentials.githubAccessToken,
      gitlabPrivateToken: secrets.prod.credentials.gitlabPrivateToken,
      chartValues: { replicas: 2 },
      secrets: SecretsMode.sealed({
        certificate: inputs.prodSealingCertificate,
        certificateSource: 'sealed-secrets/prod.pem',
        previous: inputs.previous,
      }),
    }),
  ];
}

/**
 * Defines deployments that `npm run adopt` wrote (each module exports `defineDeployment`) in `app`, with the
 * secrets, hub URL records and chart the example reads. The example adopts none; to add one, import its module and
 * call this beside defineExample in synthesizeExample's definition:
 *
 * ```ts
 * import * as legacy from './deployments/legacy';
 * // in synthesizeExample: const deployments = [...defineExample(defined, inputs), ...defineAdopted(defined, inputs, [legacy])];
 * ```
 */
export function defineAdopted(app: App, inputs: ExampleInputs, modules: ReadonlyArray<AdoptedDeploymentModule>): BinderHub[] {
  return modules.map(module => module.defineDeployment(app, { secrets: inputs.secrets, hubUrls: inputs.hubUrls, chart: inputs.chart }));
}

/** One line for each credential of the example that still holds the placeholder `npm run init-secrets` wrote. */
export function placeholderWarnings(secrets: SecretStore): string[] {
  return EXAMPLE_DEPLOYMENTS.flatMap(name => placeholderLines(secrets.load(name), name).map(line => `warning: ${line}`));
}

/**
 * Reads the example's inputs, relative to the working folder. BINDERHUB_CHART, if set, replaces the pinned
 * public chart.
 */
export function readExampleInputs(targets: PublishTargets = DEFAULT_TARGETS, env: NodeJS.ProcessEnv = process.env): ExampleInputs {
  const certificate = path.join('sealed-secrets', 'prod.pem');
  if (!fs.existsSync(certificate)) {
    throw new ConfigError(`${certificate} does not exist; fetch the prod controller's certificate with \`kubeseal --fetch-cert > ${certificate}\``);
  }
  // Read as they stand: a review command never changes them (npm run synth completes an interrupted publish first).
  const previous = readPreviousManifests(targets.manifests);
  return {
    secrets: new SecretStore('secrets'),
    chart: chartSourceFromEnvironment(env),
    hubUrls: new HubUrlRecords('hub-urls'),
    prodSealingCertificate: fs.readFileSync(certificate, 'utf8'),
    previous: previous.objects,
    unreadablePrevious: previous.unreadable,
  };
}

/**
 * Synthesizes the example in memory, its helm renders side by side, and calls `use` with the files, the deployments
 * and the inputs they were defined from (the previous synth read from `targets`). Nothing is written: the files of
 * Secrets kept out of dist/ exist only in this process until they are published.
 */
export async function synthesizeExample<T>(
  use: (files: SynthesizedFiles, deployments: BinderHub[], inputs: ExampleInputs) => T, targets: PublishTargets = DEFAULT_TARGETS,
): Promise<T> {
  const inputs = readExampleInputs(targets);
  const { app, deployments } = await renderConcurrently(() => {
    const defined = new App();
    return { app: defined, deployments: defineExample(defined, inputs) };
  });
  return use(synthesizeFiles(app), deployments, inputs);
}

/**
 * Refuses, before anything reaches the cluster, the files of `deployment` about to be applied (`files`, in `targets`)
 * unless they are what a fresh synth of the example writes and its inputs are no stand-ins (`checkAgainstFreshSynth`).
 */
export async function checkAgainstExample(deployment: string, files: ReadonlyArray<string>, targets: PublishTargets): Promise<void> {
  const applied = new Map(files.map(file => [file, fs.readFileSync(file)]));
  await synthesizeExample((synthesized, deployments, inputs) => checkAgainstFreshSynth(deployment, applied, targets, {
    planned: plannedFiles(synthesized, targets),
    deployment: deployments.find(d => d.node.id === deployment),
    secrets: inputs.secrets,
  }), targets);
}
