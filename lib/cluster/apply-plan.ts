/**
 * `npm run apply`: the kubectl calls that apply one deployment's synthesized files, in order, and the workloads
 * to wait for afterwards. Pure: callers read the files and run kubectl.
 */
import { ManifestObject, providedSecret } from '../output/manifest-check';
import { missingCoreObjects } from '../chart/rendered-output-check';
import { ConfigError } from '../core/errors';
import { DeploymentFiles, pruneCommand, PruneCommand } from './prune';
import { FIRST_KINDS } from '../core/kinds';


/** The workload kinds whose rollout the apply waits for. */
export const ROLLOUT_KINDS: readonly string[] = ['Deployment', 'DaemonSet', 'StatefulSet'];

/** A workload to wait for, as `kubectl rollout status` names it. */
export interface Workload {
  /** `deployment`, `daemonset` or `statefulset`. */
  readonly resource: string;
  readonly name: string;
  readonly namespace: string;
}

/** The steps of applying one deployment. */
export interface ApplyPlan {
  /**
   * The objects of FIRST_KINDS, in that order, for a first `kubectl apply -f -` through standard input (`streamInput`) (Secrets
   * never touch the disk again); empty when the files hold none.
   */
  readonly first: ManifestObject[];
  /** kubectl's arguments for the apply of every file (after `kubectl`): with `--prune` and its allowlist when pruning. */
  readonly applyArgs: string[];
  /** The files and what is left out, as `npm run prune-command` derives them. */
  readonly command: PruneCommand;
  /** The objects of the applied files, in file order. */
  readonly objects: ManifestObject[];
  /** Every Deployment, DaemonSet and StatefulSet the applied files hold, in file order, but those in `notWaited`. */
  readonly workloads: Workload[];
  /**
   * The DaemonSets and StatefulSets with the OnDelete update strategy: their pods change only when deleted, and
   * `kubectl rollout status` refuses them (it follows RollingUpdate only), so the apply cannot wait for them.
   */
  readonly notWaited: Workload[];
}

/**
 * The apply of a deployment's files. The second apply takes every file again (Namespaces and Secrets too), so that
 * with `prune` the prune sees the whole deployment, exactly as the command `npm run prune-command` prints.
 */
export function applyPlan(files: DeploymentFiles, prune: boolean): ApplyPlan {
  const command = pruneCommand(files);
  const applied = [files.manifests, files.secrets].filter(f => f !== undefined && command.files.includes(f.file));
  const objects = applied.flatMap(f => f!.objects);
  const first = FIRST_KINDS.flatMap(kind => objects.filter(o => o.kind === kind));
  const workloads = objects.filter(o => ROLLOUT_KINDS.includes(o.kind) && o.apiVersion === 'apps/v1');
  const workload = (o: ManifestObject): Workload => {
    // kubectl would apply it to the kubeconfig context's namespace, which the wait cannot know: only a hand edit does this.
    if (!o.metadata.namespace) {
      throw new ConfigError(`${o.kind} ${o.metadata.name} in ${command.files.join(' and ')} has no metadata.namespace: `
        + 'run `npm run synth` again instead of editing the files by hand');
    }
    return { resource: o.kind.toLowerCase(), name: o.metadata.name, namespace: o.metadata.namespace };
  };
  return {
    first,
    applyArgs: prune ? command.argv.slice(1) : ['apply', ...command.files.flatMap(file => ['-f', file])],
    command,
    objects,
    workloads: workloads.filter(o => !isOnDelete(o)).map(workload),
    notWaited: workloads.filter(isOnDelete).map(workload),
  };
}

/** Whether a DaemonSet or StatefulSet updates its pods only when they are deleted (a Deployment has no such strategy). */
function isOnDelete(object: ManifestObject): boolean {
  return object.kind !== 'Deployment' && object.spec?.updateStrategy?.type === 'OnDelete';
}

/**
 * The BinderHub objects (`BINDERHUB_CORE_OBJECTS`) that neither the applied files hold nor a SealedSecret or
 * ExternalSecret of theirs makes, as `Kind name`: with Secrets kept in dist-secrets/, which is git-ignored, a
 * machine that did not synthesize has no Secrets file, and applying dist/ alone would start pods without them.
 */
export function missingFromApply(plan: ApplyPlan): string[] {
  const made = plan.objects.flatMap(o => {
    const secret = providedSecret(o);
    return secret ? [{ kind: 'Secret', metadata: { name: secret.slice(secret.lastIndexOf('/') + 1) } }] : [];
  });
  return missingCoreObjects([...plan.objects, ...made]);
}

/**
 * Refuses a plan that lacks BinderHub objects (`missingFromApply`), saying where they should be: in `secretsFile`
 * when that is missing (a machine that did not synthesize), else in a file written by hand or by an old version.
 */
export function checkApplyComplete(plan: ApplyPlan, secretsFile: string): void {
  const missing = missingFromApply(plan);
  if (missing.length === 0) return;
  const where = plan.command.files.join(' and ');
  throw new ConfigError(plan.command.files.includes(secretsFile)
    ? `${where} hold no ${missing.join(', ')}, which every BinderHub has: run \`npm run synth\` to write them again`
    : `${where} hold no ${missing.join(', ')} and ${secretsFile} is missing: dist-secrets/ is git-ignored, so each machine `
      + 'writes its own: run `npm run synth` here first (with the secrets/ files), or pass --dist-secrets');
}

/**
 * The objects as one kubectl input: a YAML stream of JSON documents (JSON is YAML), each validated and applied as the
 * object it is (a `v1` List would be validated as a List first).
 */
export function streamInput(objects: ManifestObject[]): string {
  return objects.map(object => `---\n${JSON.stringify(object)}\n`).join('');
}
