/**
 * What `npm run apply` and `npm run patch-hub-url -- --apply` check before anything reaches the cluster: that the
 * files they apply are what a fresh synth of main.ts writes (as `npm run check-dist` checks), and that the deployment
 * is no longer the example's stand-in (a placeholder credential, the stand-in sealing certificate). Pure: the
 * callers synthesize and read the files.
 */
import * as path from 'path';
import type { BinderHub } from '../deployment/binderhub';
import { foreignCiphertextProblem, secretDataProblems } from './dist-check';
import { ConfigError } from '../core/errors';
import { diffManifests } from './manifest-diff';
import { parseManifest } from '../output/manifest-files';
import { PlannedFile, PublishTargets } from '../output/publish';
import type { DeploymentSecrets } from '../secrets/secret-store';

/**
 * The SHA-256 fingerprint of sealed-secrets/prod.pem as the example ships it: a certificate made for the example
 * (commit b712514, "O=binderhub-cdk8s example, CN=sealed-secret") whose private key was thrown away, so no
 * controller can unseal what is sealed for it. Recognised by fingerprint, not by file name, so a copy under
 * another name is caught and a real certificate fetched into sealed-secrets/prod.pem is not.
 */
export const STAND_IN_CERTIFICATE_FINGERPRINT = '25:94:0C:1F:32:81:7C:8C:F6:17:C7:55:C0:5C:06:59:A1:CE:C9:CC:7B:44:0C:17:55:83:DB:3E:DC:3E:99:B2';

/** One line for each credential of `secrets` that still holds the placeholder `npm run init-secrets` wrote. */
export function placeholderLines(secrets: DeploymentSecrets, deployment: string): string[] {
  return secrets.placeholders.map(credential => `${secrets.file} credentials.${credential} is still the placeholder that `
    + `npm run init-secrets wrote: put the real value there before you apply ${deployment}'s manifests`);
}

/**
 * What keeps `deployment` from working once applied, one line each, naming the file and the fix: credentials that
 * still hold the placeholder, and Secrets sealed for the example's stand-in certificate.
 */
export function unfinishedInputs(deployment: BinderHub, secrets: ReadonlyArray<DeploymentSecrets>): string[] {
  const name = deployment.node.id;
  const certificate = deployment.secretsMode.sealingCertificate;
  const standIn = certificate?.fingerprint === STAND_IN_CERTIFICATE_FINGERPRINT
    ? [`deployment ${name} is sealed for ${certificate.source}, the example's stand-in certificate, whose private key is gone (no controller `
      + `can unseal its Secrets): fetch your controller's with \`kubeseal --fetch-cert > ${certificate.source}\` and run \`npm run synth\``]
    : [];
  return [...secrets.flatMap(file => placeholderLines(file, name)), ...standIn];
}

/** What a fresh synth of main.ts says about the deployment that is about to be applied. */
export interface FreshSynth {
  /** Its files, where they belong (`plannedFiles`). */
  readonly planned: PlannedFile[];
  /** The deployment as main.ts defines it; undefined when main.ts defines no deployment of that name. */
  readonly deployment?: BinderHub;
  /** The secrets files of the deployment (`secretsFilesOf`). */
  readonly secrets: ReadonlyArray<DeploymentSecrets>;
}

/** How a file about to be applied differs from the synth, as a verb of the file: what `diffManifests` calls the object's change. */
const CHANGE_VERBS = { added: 'adds', removed: 'lacks', changed: 'changes' } as const;

/**
 * Refuses, in one line naming the file and the object, files about to be applied (`applied`: path and content)
 * that differ from a fresh synth of `name`: an object the synth does not render (a ClusterRoleBinding to
 * cluster-admin, a ConfigMap in kube-system), a changed one, plaintext Secret data its secrets mode keeps out of
 * dist/, a ciphertext that is not its value's; then a deployment with unfinished inputs (`unfinishedInputs`).
 */
export function checkAgainstFreshSynth(name: string, applied: ReadonlyMap<string, Buffer>, targets: PublishTargets, fresh: FreshSynth): void {
  const problem = freshSynthProblems(name, applied, targets, fresh)[0];
  if (problem !== undefined) throw new ConfigError(problem);
}

function freshSynthProblems(name: string, applied: ReadonlyMap<string, Buffer>, targets: PublishTargets, fresh: FreshSynth): string[] {
  const files = [...applied.keys()];
  if (!fresh.deployment) {
    return [`main.ts defines no deployment ${name}, so ${files.join(' and ')} cannot be checked against a fresh synth: apply only what \`npm run synth\` writes`];
  }
  const objects = new Map(files.map(file => [file, parseManifest(applied.get(file)!.toString('utf8'), file)]));
  const manifests = new Map([...objects].filter(([file]) => path.resolve(path.dirname(file)) === path.resolve(targets.manifests)));
  const synthAgain = 'run `npm run diff` to see what differs and `npm run synth` to write the files again, and find out who changed them';
  return [
    ...secretDataProblems(manifests, new Map([[name, fresh.deployment.secretsMode]])),
    ...fresh.deployment.foreignCiphertexts.map(entry => `${foreignCiphertextProblem(entry)}: ${synthAgain}`),
    ...files.flatMap(file => {
      const planned = fresh.planned.find(p => path.resolve(p.target) === path.resolve(file));
      if (!planned) return [`${file} is not written by a fresh synth of main.ts: ${synthAgain}`];
      if (planned.content.equals(applied.get(file)!)) return [];
      const diff = diffManifests(parseManifest(planned.content.toString('utf8'), planned.target), objects.get(file)!).objects;
      const more = diff.length > 1 ? ` (and ${diff.length - 1} more object(s))` : '';
      const first = diff.length > 0 ? `: it ${CHANGE_VERBS[diff[0].change]} ${diff[0].id}${more}` : ' (in its text, not its objects)';
      return [`${file} is not what a fresh synth of main.ts writes${first}: ${synthAgain}`];
    }),
    ...unfinishedInputs(fresh.deployment, fresh.secrets),
  ];
}
