import * as fs from 'fs';
import { BinderHubApp } from './binderhub-app';
import { DeploymentsScope, ProjectInputs } from './deployments-scope';
import { chartOverrideFromEnvironment } from '../chart/chart-source';
import { defineWithoutRendering, renderConcurrently } from '../chart/helm-renders';
import { ConfigError } from '../core/errors';
import { checkPrivateFolder } from '../core/paths';
import { BinderHub } from '../deployment/binderhub';
import { HubUrlRecords } from '../deployment/hub-url-records';
import { PreviousManifests, readPreviousManifests } from '../output/manifest-files';
import { DEFAULT_TARGETS, plannedFiles, PublishTargets } from '../output/publish';
import { synthesizeFiles, SynthesizedFiles } from '../output/synth-files';
import { checkAgainstFreshSynth, placeholderLines } from '../review/apply-check';
import { CredentialName, DeploymentSecrets, SecretStore } from '../secrets/secret-store';

/** What a project reads from its folder (the working folder), with the files of the previous synth that could not be read. */
export interface ProjectFolder extends ProjectInputs {
  /**
   * The previous synth's files that could not be read (a merge conflict), one line each, once a sealed deployment
   * asked for the previous synth: their values are sealed anew.
   */
  readonly unreadablePrevious: ReadonlyArray<string>;
}

/** The project's inputs, relative to the working folder; BINDERHUB_CHART, if set, replaces every deployment's chart. */
export function readProjectFolder(targets: PublishTargets = DEFAULT_TARGETS, env: NodeJS.ProcessEnv = process.env): ProjectFolder {
  // Read as they stand (a review command never changes them; the synth completes an interrupted publish first), and
  // only if a sealed deployment asks: parsing a large dist/ costs more than rendering a small one.
  let previous: PreviousManifests | undefined;
  const read = () => previous ??= readPreviousManifests(targets.manifests);
  return {
    secrets: new SecretStore('secrets'),
    hubUrls: new HubUrlRecords('hub-urls'),
    chart: chartOverrideFromEnvironment(env),
    get previous() {
      return read().objects;
    },
    get unreadablePrevious() {
      return previous?.unreadable ?? [];
    },
  };
}

/**
 * The deployments defined in `scope`, in the order they were defined. One defined inside another construct is
 * refused: cdk8s would name its files after its whole path, so its Secrets would land in dist/, not dist-secrets/.
 */
export function deploymentsOf(scope: DeploymentsScope): BinderHub[] {
  // Not instanceof: cdk8s's Chart answers it for every chart (a deployment's Secrets chart too), whatever the subclass.
  const deployments = scope.node.findAll().filter((c): c is BinderHub => BinderHub.prototype.isPrototypeOf(c));
  const nested = deployments.find(deployment => deployment.node.scope !== scope);
  if (nested) {
    const id = nested.node.id;
    throw new ConfigError(`main.ts defines deployment ${id} inside ${nested.node.scope!.node.path}: define each BinderHub in the app itself `
      + `(\`new BinderHub(app, '${id}', ...)\`), whose files are dist/${id}.k8s.yaml and dist-secrets/${id}-secrets.k8s.yaml`);
  }
  return deployments;
}

/** A synthesized app: its files (in memory), its deployments and the scope and inputs they were defined from. */
export interface SynthesizedApp {
  readonly files: SynthesizedFiles;
  readonly deployments: BinderHub[];
  readonly scope: DeploymentsScope;
  readonly project: ProjectFolder;
}

/**
 * Synthesizes `app` in memory, its helm renders side by side, from the project folder (the previous synth read from
 * `targets`). Nothing is written: the files of Secrets kept out of dist/ exist only in this process until published.
 */
export async function synthesizeApp(app: BinderHubApp, targets: PublishTargets = DEFAULT_TARGETS): Promise<SynthesizedApp> {
  const project = readProjectFolder(targets);
  checkPrivateFolder(project.secrets.directory, { manifests: targets.manifests });
  // The calls and outputs are kept beside the secrets files (they hold the same), for the next command to start them
  // early (bin/early-renders.ts) and to read them faster.
  return renderConcurrently(() => {
    const defined = new DeploymentsScope(project);
    app.define(defined);
    return defined;
  }, {
    keepIn: project.secrets.directory,
    finish: scope => {
      const deployments = deploymentsOf(scope);
      return { files: synthesizeFiles(scope), deployments, scope, project };
    },
  });
}

/** One deployment of an app, as its definition names it. */
export interface DiscoveredDeployment {
  readonly name: string;
  readonly namespace: string;
}

/** A secrets file an app reads (`app.secrets(name)`, `app.credential(name, ...)`), by that name. */
export interface DiscoveredSecrets {
  readonly name: string;
  /** The credentials the app asked of it (`DeploymentsScope.credential`). */
  readonly credentials: ReadonlyArray<CredentialName>;
}

/** What an app defines and reads, as `discoverApp` finds it. */
export interface DiscoveredApp {
  readonly deployments: DiscoveredDeployment[];
  /** In the order they were first asked for; a name need not be a deployment's (one file may serve several). */
  readonly secrets: DiscoveredSecrets[];
}

/**
 * The deployments `app` defines and the secrets files it reads, without reading a secrets file or rendering
 * anything: for `init-secrets` (which files to write, with which placeholders) and `adopt` (which names and
 * namespaces are taken).
 */
export function discoverApp(app: BinderHubApp): DiscoveredApp {
  const scope = defineWithoutRendering(() => {
    const defined = new DeploymentsScope({ secrets: new SecretStore('secrets'), hubUrls: new HubUrlRecords('hub-urls') }, 'discover');
    app.define(defined);
    return defined;
  });
  return {
    deployments: deploymentsOf(scope).map(deployment => ({ name: deployment.node.id, namespace: deployment.namespace })),
    secrets: [...scope.requested].map(([name, { credentials }]) => ({ name, credentials: [...credentials] })),
  };
}

/**
 * The synth's warnings: one for each credential that still holds the placeholder `init-secrets` wrote, and what each
 * deployment warns about (a private policy's gaps).
 */
export function synthWarnings(synthesized: SynthesizedApp): string[] {
  const placeholders = [...synthesized.scope.requested].flatMap(([name, { secrets }]) => placeholderLines(secrets, name));
  return [...placeholders, ...synthesized.deployments.flatMap(deployment => deployment.warnings)].map(line => `warning: ${line}`);
}

/**
 * The secrets files whose credentials `deployment` may use: the one named after it, and those named after no
 * deployment (a credential shared by several), as far as main.ts read them.
 */
export function secretsFilesOf(synthesized: SynthesizedApp, deployment: string): DeploymentSecrets[] {
  const names = new Set(synthesized.deployments.map(d => d.node.id));
  return [...synthesized.scope.requested].filter(([name]) => name === deployment || !names.has(name)).map(([, { secrets }]) => secrets);
}

/**
 * Refuses, before anything reaches the cluster, the files of `deployment` about to be applied (`files`, in `targets`)
 * unless they are what a fresh synth of `app` writes and its inputs are no stand-ins (`checkAgainstFreshSynth`).
 */
export async function checkAgainstApp(app: BinderHubApp, deployment: string, files: ReadonlyArray<string>, targets: PublishTargets): Promise<void> {
  const applied = new Map(files.map(file => [file, fs.readFileSync(file)]));
  const synthesized = await synthesizeApp(app, targets);
  checkAgainstFreshSynth(deployment, applied, targets, {
    planned: plannedFiles(synthesized.files, targets),
    deployment: synthesized.deployments.find(d => d.node.id === deployment),
    secrets: secretsFilesOf(synthesized, deployment),
  });
}
