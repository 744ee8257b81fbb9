/**
 * The pruning `kubectl apply` of one deployment, derived from what its synthesized files actually hold, so the
 * allowlist can never fall behind the chart (the real chart renders NetworkPolicies, a StatefulSet and a
 * PersistentVolumeClaim that a hand-written list missed). Pure: callers read the files.
 */
import { ConfigError } from '../core/errors';
import { DEPLOYMENT_LABEL } from '../core/labels';
import { shellWord } from '../core/shell';
import { ManifestObject } from '../output/manifest-check';

/** A kind that a pruning apply must never delete, even when a synth stops producing it, and why. */
export interface NeverPrunedKind {
  /** The API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
  readonly reason: string;
}

/**
 * The kinds left out of every prune allowlist. Deleting one of these loses more than the object itself, so when
 * a synth stops producing one, an operator deletes it by hand, on purpose.
 */
export const NEVER_PRUNED_KINDS: readonly NeverPrunedKind[] = [
  {
    group: '', kind: 'Namespace',
    reason: 'pruning a Namespace deletes everything in it; delete it by hand when the deployment goes away',
  },
  {
    group: '', kind: 'PersistentVolumeClaim',
    reason: 'a claim holds state that pruning would delete for good (hub-db-dir is the hub\'s database: its users, their servers '
      + 'and tokens); delete a claim the synth no longer produces by hand, on purpose',
  },
];

/** One manifest file of a deployment: its path as the command names it, and its objects. */
export interface DeploymentFile {
  readonly file: string;
  readonly objects: ManifestObject[];
}

/** A deployment's synthesized files. */
export interface DeploymentFiles {
  /** `dist/<deployment>.k8s.yaml`. */
  readonly manifests: DeploymentFile;
  /**
   * `dist-secrets/<deployment>-secrets.k8s.yaml`, when the deployment keeps its Secrets there.
   * @default - none
   */
  readonly secrets?: DeploymentFile;
}

/** A never-pruned kind that a deployment's applied files hold. */
export interface KeptKind extends NeverPrunedKind {
  /** The objects of that kind, as `namespace/name` (or `name` when cluster-scoped), in file order. */
  readonly objects: string[];
}

/** A file of the deployment that the command leaves out, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** The pruning apply of one deployment. */
export interface PruneCommand {
  /** The value of the deployment label (`binderhub-cdk8s.io/deployment`) every applied object carries. */
  readonly release: string;
  /** The files applied, in order: the manifests first (they create the namespace). */
  readonly files: string[];
  /** The files not applied, with the reason. */
  readonly skipped: SkippedFile[];
  /** `--prune-allowlist` entries: every kind the applied files hold but the never-pruned ones, sorted. */
  readonly allowlist: string[];
  /** Never-pruned kinds the applied files hold. */
  readonly kept: KeptKind[];
  /** The command's words: `kubectl apply -f ... --prune -l ... --prune-allowlist=...`. */
  readonly argv: string[];
}

/** The API group of an apiVersion: '' for the core group (`v1`). */
function groupOf(apiVersion: string): string {
  // Stryker disable next-line MethodExpression: equivalent while every never-pruned kind is in the core group: a grouped apiVersion is not '' with or without its version
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** kubectl's name for a kind in `--prune-allowlist`: `core/v1/Kind` for the core group, `group/version/Kind` otherwise. */
export function pruneAllowlistEntry(apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}/${kind}`;
}

/** The never-pruned kind `object` is of, if any. */
export function neverPrunedKindOf(object: ManifestObject): NeverPrunedKind | undefined {
  const group = groupOf(object.apiVersion);
  return NEVER_PRUNED_KINDS.find(k => k.group === group && k.kind === object.kind);
}

/** The `--prune-allowlist` entries for `objects`: each kind present except the never-pruned ones, sorted, once each. */
export function pruneAllowlist(objects: ManifestObject[]): string[] {
  const entries = objects.filter(o => !neverPrunedKindOf(o)).map(o => pruneAllowlistEntry(o.apiVersion, o.kind));
  return [...new Set(entries)].sort();
}

/** `namespace/name`, or `name` for a cluster-scoped object. */
function objectName(object: ManifestObject): string {
  return `${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

/** The never-pruned kinds present in `objects`, in the order of NEVER_PRUNED_KINDS, with their objects. */
export function keptKinds(objects: ManifestObject[]): KeptKind[] {
  return NEVER_PRUNED_KINDS.map(kind => ({
    ...kind,
    objects: objects.filter(o => neverPrunedKindOf(o) === kind).map(objectName),
  })).filter(kind => kind.objects.length > 0);
}

/**
 * The pruning apply of a deployment's files. Its Secrets file is applied as a second `-f` (else the prune would
 * delete the Secrets an earlier apply created), except when its manifests hold ExternalSecrets
 * (`SecretsMode.external`): then that file holds what to load into the secret store, and the External Secrets
 * Operator creates those Secrets in the cluster; applying them as well would fight it.
 */
export function pruneCommand(files: DeploymentFiles): PruneCommand {
  const skipped: SkippedFile[] = [];
  const applied = [files.manifests];
  if (files.secrets && files.manifests.objects.some(o => o.kind === 'ExternalSecret')) {
    skipped.push({
      file: files.secrets.file,
      reason: 'it holds what to load into the secret store; the External Secrets Operator creates these Secrets in the cluster',
    });
  } else if (files.secrets) {
    applied.push(files.secrets);
  }
  const objects = applied.flatMap(f => f.objects);
  const release = deploymentLabelValue(applied);
  const allowlist = pruneAllowlist(objects);
  return {
    release,
    files: applied.map(f => f.file),
    skipped,
    allowlist,
    kept: keptKinds(objects),
    argv: [
      'kubectl', 'apply', ...applied.flatMap(f => ['-f', f.file]), '--prune', '-l', `${DEPLOYMENT_LABEL}=${release}`,
      ...allowlist.map(entry => `--prune-allowlist=${entry}`),
    ],
  };
}

/**
 * The one value of the deployment label across `files`. `kubectl apply -l` applies only the objects that match,
 * so an object without it, or with another deployment's, would silently not be applied.
 */
function deploymentLabelValue(files: DeploymentFile[]): string {
  let found: { value: string; where: string } | undefined;
  for (const { file, objects } of files) {
    for (const object of objects) {
      const value = object.metadata.labels?.[DEPLOYMENT_LABEL];
      const where = `${file}: ${object.kind} ${objectName(object)}`;
      if (!value) {
        throw new ConfigError(`${where} has no label ${DEPLOYMENT_LABEL}, so a pruning apply (-l) would skip it: run \`npm run synth\` to write the file again`);
      }
      if (found && value !== found.value) {
        throw new ConfigError(`${where} has ${DEPLOYMENT_LABEL}=${value}, but ${found.where} has ${found.value}: one file holds one deployment; run \`npm run synth\` to write it again`);
      }
      found ??= { value, where };
    }
  }
  if (!found) throw new ConfigError(`${files[0].file} holds no objects: run \`npm run synth\` to write it again`);
  return found.value;
}

/**
 * The command as shell text, one `--prune-allowlist` a line, followed by shell comments: one line per file left
 * out and per never-pruned kind present, saying why.
 */
export function formatPruneCommand(command: PruneCommand): string {
  const head = command.argv.slice(0, command.argv.length - command.allowlist.length);
  const lines = [head.map(shellWord).join(' '), ...command.allowlist.map(entry => `  ${shellWord(`--prune-allowlist=${entry}`)}`)];
  return [
    lines.join(' \\\n'),
    ...command.skipped.map(s => `# not applied: ${s.file}: ${s.reason}`),
    ...command.kept.map(k => `# never pruned: ${k.kind} ${k.objects.join(', ')}: ${k.reason}`),
  ].join('\n') + '\n';
}
