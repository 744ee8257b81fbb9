/**
 * Delivery by a GitOps controller: the controller's own object for a deployment (the bootstrap, applied once), and
 * what the deployment's objects carry so that the controller applies them in `npm run apply`'s order and never
 * prunes what `npm run prune-command` keeps.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { ConfigError } from '../core/errors';
import { FIRST_KINDS } from '../core/kinds';
import { checkDnsLabel, checkObjectName, isGoDuration } from '../core/names';
import { redactUrl } from '../core/redact';
import { SecretsMode } from '../secrets/secrets-mode';

/** The suffix of the chart (and so the file in dist/) that holds a deployment's GitOps controller's objects. */
export const DELIVERY_CHART_SUFFIX = '-delivery';

/** Argo CD's annotation for the order of sync waves: lower waves are applied, and healthy, before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Argo CD's annotation for per-object sync options. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * The sync wave of each kind that goes first, as `npm run apply`'s first step applies them (FIRST_KINDS): the
 * Namespace, then what makes the Secrets pods read. Every other object stays in Argo CD's default wave 0, so no pod
 * starts before its Secret exists (Argo CD waits for a SealedSecret or ExternalSecret to be healthy, that is unsealed or read).
 */
const SYNC_WAVES: Readonly<Record<string, number>> = Object.fromEntries(FIRST_KINDS.map(kind => [kind, kind === 'Namespace' ? -2 : -1]));

/**
 * Our annotation on the objects `npm run apply` applies first (`first`), for a Flux delivery: its Kustomizations
 * select by it, so the objects applied once by hand hold no list of the kinds a chart renders.
 */
const APPLY_STEP_ANNOTATION = 'binderhub-cdk8s.io/apply-step';

/** Flux's annotation that keeps an object out of its Kustomization's pruning. */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';

/**
 * Kinds the controller must never prune, as `npm run prune-command` keeps them: pruning a Namespace deletes
 * everything in it, and pruning the hub's PersistentVolumeClaim (hub-db-dir) deletes the hub's database.
 */
const PRUNE_PROTECTED_KINDS: readonly string[] = ['Namespace', 'PersistentVolumeClaim'];

/**
 * Fields of our ExternalSecrets that the API server fills with the CRD's defaults after apply: without ignoring them
 * Argo CD would show the objects as out of sync for ever. As jq paths, for `ignoreDifferences`.
 */
const EXTERNAL_SECRET_DEFAULTED_FIELDS: readonly string[] = [
  '.spec.data[].remoteRef.conversionStrategy',
  '.spec.data[].remoteRef.decodingStrategy',
  '.spec.data[].remoteRef.metadataPolicy',
  '.spec.data[].remoteRef.nullBytePolicy',
  '.spec.target.deletionPolicy',
  '.spec.target.template.engineVersion',
  '.spec.target.template.mergePolicy',
];

/** Props for `Delivery.argoCd`. */
export interface ArgoCdDeliveryProps {
  /** The git repository that holds dist/, as Argo CD reaches it (`https://...` or `git@...`). */
  readonly repoURL: string;
  /**
   * The branch, tag or commit Argo CD follows.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * The folder of the deployment's file (`<deployment>.k8s.yaml`) in the repository; Argo CD syncs that file only.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * The Argo CD project of the Application.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * The API server of the cluster to deploy to, as Argo CD knows it.
   * @default 'https://kubernetes.default.svc' - the cluster Argo CD runs in
   */
  readonly destinationServer?: string;
  /**
   * The namespace Argo CD reads its Applications from.
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;
  /**
   * Whether Argo CD syncs every change by itself, pruning what dist/ no longer holds (but the Namespace and the hub's
   * database claim) and undoing changes made by hand; off, each sync is started by hand.
   * @default true
   */
  readonly automated?: boolean;
  /**
   * How many times a failed sync is retried, with backoff from 5s to 3m.
   * @default 5
   */
  readonly retryLimit?: number;
}

/** Props for `Delivery.flux`. */
export interface FluxDeliveryProps {
  /** The git repository that holds dist/, as Flux reaches it (`https://...` or `ssh://...`). */
  readonly url: string;
  /**
   * The branch Flux follows.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The folder of the deployment's file (`<deployment>.k8s.yaml`) in the repository; Flux takes that file only.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * How often Flux reads the repository and reconciles, as a Go duration.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * The namespace of Flux's controllers, where its sources and Kustomizations live.
   * @default 'flux-system'
   */
  readonly fluxNamespace?: string;
  /**
   * The Secret (in fluxNamespace) with the credentials for the repository.
   * @default - none: a public repository
   */
  readonly secretName?: string;
}

/**
 * How a deployment is delivered from a git repository holding dist/ by a GitOps controller. The synth writes the
 * controller's object into `dist/<deployment>-delivery.k8s.yaml`, applied once by hand (the bootstrap); the controller
 * then applies `dist/<deployment>.k8s.yaml` from each commit. Its Secrets must reach git too: the deployment's secrets
 * mode must be `SecretsMode.sealed` or `SecretsMode.external`.
 */
export abstract class Delivery {
  /** An Argo CD Application, with sync waves and prune protection on the deployment's objects. */
  public static argoCd(props: ArgoCdDeliveryProps): Delivery {
    return new ArgoCdDelivery(props);
  }

  /**
   * A Flux GitRepository that holds the deployment's file alone and two Kustomizations of it: `<deployment>-first`
   * (the Namespace and what makes Secrets, annotated `binderhub-cdk8s.io/apply-step: first`; waited for until ready)
   * and `<deployment>`, the rest, which depends on it.
   */
  public static flux(props: FluxDeliveryProps): Delivery {
    return new FluxDelivery(props);
  }

  /** The controller, for messages. @internal */
  public abstract readonly controller: string;

  /**
   * Refuses a secrets mode whose Secrets never reach the controller, marks the objects of `deployment` for the
   * controller, and writes its object into a chart of its own beside the deployment's. @internal
   */
  public bind(deployment: Chart, secretsMode: SecretsMode): void {
    const id = deployment.node.id;
    if (secretsMode.name === 'separate' || secretsMode.name === 'inline') {
      const where = secretsMode.name === 'separate'
        ? 'keeps its Secrets in dist-secrets/, which git ignores, so the controller never sees them'
        : 'writes its Secrets into dist/ in plain text, which the repository the controller reads must not hold';
      throw new ConfigError(`deployment "${id}" is delivered by ${this.controller} but its secrets mode ${secretsMode.name} ${where}: `
        + 'set secrets to SecretsMode.sealed(...) or SecretsMode.external(...)');
    }
    // No deployment id ends with DELIVERY_CHART_SUFFIX (BinderHub refuses it), so the chart's name is free.
    for (const object of deployment.node.findAll().filter(ApiObject.isApiObject)) this.mark(object);
    // With the deployment's label, as its other files' objects: the controller's object belongs to it.
    this.bootstrap(new Chart(deployment.node.scope!, `${id}${DELIVERY_CHART_SUFFIX}`, { labels: deployment.labels }), deployment);
  }

  /** Marks one object of the deployment. @internal */
  protected abstract mark(object: ApiObject): void;

  /** Writes the controller's object(s) for `deployment` into `chart`. @internal */
  protected abstract bootstrap(chart: Construct, deployment: Chart): void;
}

/**
 * Fails on a repository URL a controller cannot clone, or one that holds credentials (they would be committed with
 * dist/): quoted with whatever stands before its `@` hidden.
 */
function checkRepositoryUrl(setting: string, url: string): void {
  if (!/^(https?:\/\/|ssh:\/\/|git@)[^\s/]\S*$/.test(url)) {
    throw new ConfigError(`${setting} "${redactUrl(url)}" is no git repository URL; give one such as https://github.com/example/deploy.git or git@github.com:example/deploy.git`);
  }
  // A user alone (ssh://git@host/...) names the account; a password or token after it would be committed.
  if (/^https?:\/\/[^/]*@/.test(url) || /^ssh:\/\/[^/@]*:[^/@]*@/.test(url)) {
    throw new ConfigError(`${setting} "${redactUrl(url)}" holds credentials, which dist/ would commit: give the URL without them, and the credentials to the controller as a repository Secret`);
  }
}

/** Fails on a folder that is not inside the repository. */
function checkRepositoryFolder(setting: string, folder: string | undefined): void {
  if (folder !== undefined && (folder === '' || folder.startsWith('/') || folder.split('/').includes('..'))) {
    throw new ConfigError(`${setting} "${folder}" must be a folder inside the repository, such as dist`);
  }
}

class ArgoCdDelivery extends Delivery {
  public readonly controller = 'Argo CD';

  constructor(private readonly props: ArgoCdDeliveryProps) {
    super();
    checkRepositoryUrl('Delivery.argoCd repoURL', props.repoURL);
    if (props.project !== undefined) checkObjectName('Delivery.argoCd project', props.project);
    if (props.argoCdNamespace !== undefined) checkDnsLabel('Delivery.argoCd argoCdNamespace', props.argoCdNamespace);
    if (props.retryLimit !== undefined && !(Number.isInteger(props.retryLimit) && props.retryLimit >= 0)) {
      throw new ConfigError(`Delivery.argoCd retryLimit ${props.retryLimit} is not a whole number; give how many times a failed sync is retried, such as 5`);
    }
    checkRepositoryFolder('Delivery.argoCd path', props.path);
  }

  protected mark(object: ApiObject): void {
    const wave = SYNC_WAVES[object.kind];
    if (wave !== undefined) object.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
    if (PRUNE_PROTECTED_KINDS.includes(object.kind)) object.metadata.addAnnotation(SYNC_OPTIONS_ANNOTATION, 'Prune=false');
  }

  protected bootstrap(chart: Construct, deployment: Chart): void {
    const id = deployment.node.id;
    const automated = this.props.automated ?? true;
    const application: IApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: id, namespace: this.props.argoCdNamespace ?? 'argocd' },
      spec: {
        project: this.props.project ?? 'default',
        source: {
          repoURL: this.props.repoURL,
          targetRevision: this.props.targetRevision ?? 'HEAD',
          path: this.props.path ?? 'dist',
          // The folder holds every deployment's file and this one: the Application takes its deployment's alone.
          directory: { include: `${id}.k8s.yaml` },
        },
        destination: { server: this.props.destinationServer ?? 'https://kubernetes.default.svc', namespace: deployment.namespace },
        ignoreDifferences: [{ group: 'external-secrets.io', kind: 'ExternalSecret', jqPathExpressions: [...EXTERNAL_SECRET_DEFAULTED_FIELDS] }],
        syncPolicy: {
          ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
          syncOptions: ['RespectIgnoreDifferences=true'],
          retry: { limit: this.props.retryLimit ?? 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
      },
    };
    new ApiObject(chart, 'application', application);
  }
}

class FluxDelivery extends Delivery {
  public readonly controller = 'Flux';

  constructor(private readonly props: FluxDeliveryProps) {
    super();
    checkRepositoryUrl('Delivery.flux url', props.url);
    // Flux reads SSH addresses as URLs only (Argo CD takes git's scp-like form too).
    if (props.url.startsWith('git@')) {
      throw new ConfigError(`Delivery.flux url "${props.url}" is in git's scp-like form, which Flux does not read; write it as ssh://${props.url.replace(':', '/')}`);
    }
    checkRepositoryFolder('Delivery.flux path', props.path);
    if (props.interval !== undefined && !isGoDuration(props.interval)) {
      throw new ConfigError(`Delivery.flux interval "${props.interval}" is not a Go duration; give one such as 5m or 1h`);
    }
    if (props.branch !== undefined && !/^[A-Za-z0-9._\/-]+$/.test(props.branch)) {
      throw new ConfigError(`Delivery.flux branch "${props.branch}" is no branch name; give one such as main`);
    }
    if (props.fluxNamespace !== undefined) checkDnsLabel('Delivery.flux fluxNamespace', props.fluxNamespace);
    if (props.secretName !== undefined) checkObjectName('Delivery.flux secretName', props.secretName);
  }

  protected mark(object: ApiObject): void {
    if (FIRST_KINDS.includes(object.kind)) object.metadata.addAnnotation(APPLY_STEP_ANNOTATION, 'first');
    if (PRUNE_PROTECTED_KINDS.includes(object.kind)) object.metadata.addAnnotation(FLUX_PRUNE_ANNOTATION, 'disabled');
  }

  protected bootstrap(chart: Construct, deployment: Chart): void {
    const id = deployment.node.id;
    const namespace = this.props.fluxNamespace ?? 'flux-system';
    const folder = (this.props.path ?? 'dist').replace(/\/+$/, '');
    const interval = this.props.interval ?? '5m';
    const repository: IGitRepository = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: id, namespace },
      spec: {
        url: this.props.url,
        ref: { branch: this.props.branch ?? 'main' },
        interval,
        ...(this.props.secretName ? { secretRef: { name: this.props.secretName } } : {}),
        ignore: onlyFile(folder, `${id}.k8s.yaml`),
      },
    };
    new ApiObject(chart, 'repository', repository);
    // Flux applies a Kustomization's objects together; the Secrets come first only through a Kustomization of their own.
    const source = { repository: id, namespace, folder, interval };
    new ApiObject(chart, 'first', kustomization(source, `${id}-first`, `${APPLY_STEP_ANNOTATION}!=first`));
    new ApiObject(chart, 'rest', kustomization(source, id, `${APPLY_STEP_ANNOTATION}=first`, `${id}-first`));
  }
}

/** A `.sourceignore` text that leaves only `file` of `folder` in the repository's artifact (git takes no file back from an ignored folder). */
function onlyFile(folder: string, file: string): string {
  const lines = ['/*'];
  let at = '';
  for (const part of folder.split('/').filter(p => p !== '' && p !== '.')) {
    at = `${at}/${part}`;
    lines.push(`!${at}/`, `${at}/*`);
  }
  return [...lines, `!${at}/${file}`, ''].join('\n');
}

/**
 * A Kustomization of the deployment's file in the GitRepository's artifact without the objects whose annotations
 * `dropped` selects (a kustomize deletion patch: the file is one, so each Kustomization takes its share of it),
 * waited for until ready.
 */
function kustomization(
  source: { repository: string; namespace: string; folder: string; interval: string }, name: string, dropped: string, dependsOn?: string,
): IKustomization {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: source.namespace },
    spec: {
      sourceRef: { kind: 'GitRepository', name: source.repository },
      path: `./${source.folder}`,
      interval: source.interval,
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
      prune: true,
      wait: true,
      timeout: '10m',
      retryInterval: '1m',
      patches: [{
        patch: '$patch: delete\napiVersion: v1\nkind: Dropped\nmetadata:\n  name: dropped\n',
        target: { annotationSelector: dropped },
      }],
    },
  };
}
