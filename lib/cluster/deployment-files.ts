import * as fs from 'fs';
import { ConfigError } from '../core/errors';
import { ApplyPlan, applyPlan, checkApplyComplete } from './apply-plan';
import { publishedDeployments } from '../review/dist-diff';
import { isSecretKind } from '../core/kinds';
import { readManifestFile } from '../output/manifest-files';
import { DeploymentFiles } from './prune';
import { deploymentFiles, PublishTargets } from '../output/publish';
import { registerSecretValues } from '../core/redact';

/**
 * A deployment's synthesized files, read: `<manifests>/<deployment>.k8s.yaml`, which must exist, and its Secrets file
 * when there is one.
 */
export function readDeploymentFiles(targets: PublishTargets, deployment: string): DeploymentFiles {
  const files = deploymentFiles(targets, deployment);
  if (!fs.existsSync(files.manifests)) throw missingDeploymentError(targets, deployment);
  const read = (file: string) => ({ file, objects: readManifestFile(file) });
  return { manifests: read(files.manifests), secrets: fs.existsSync(files.secrets) ? read(files.secrets) : undefined };
}

/**
 * The refusal of a `--deployment` whose manifest `targets` lacks: it says which deployments there are, since a
 * misspelled name is likelier than a deployment never synthesized.
 */
export function missingDeploymentError(targets: PublishTargets, deployment: string): ConfigError {
  const known = publishedDeployments(targets);
  const holds = known.length > 0 ? `${targets.manifests}/ holds ${known.join(', ')}` : `${targets.manifests}/ holds no deployment`;
  return new ConfigError(`${deploymentFiles(targets, deployment).manifests} does not exist: ${holds}; run \`npm run synth\` first if ${deployment} is new (or pass --dist)`);
}

/**
 * The checked plan of applying a deployment's files (`npm run apply`, `npm run diff -- --live`): refused when they
 * lack BinderHub's Secrets (`checkApplyComplete`). Their Secret values are registered for redaction, since kubectl's
 * errors may quote what it was given.
 */
export function readApplyPlan(targets: PublishTargets, deployment: string, prune: boolean): ApplyPlan {
  const plan = applyPlan(readDeploymentFiles(targets, deployment), prune);
  checkApplyComplete(plan, deploymentFiles(targets, deployment).secrets);
  for (const secret of plan.objects.filter(o => isSecretKind(o.kind))) registerSecretValues(secret);
  return plan;
}
