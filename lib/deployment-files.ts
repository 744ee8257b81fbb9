import * as fs from 'fs';
import { ConfigError } from './errors';
import { readManifestFile } from './manifest-files';
import { DeploymentFiles } from './prune';
import { deploymentFiles, PublishTargets } from './publish';

/**
 * A deployment's synthesized files, read: `<manifests>/<deployment>.k8s.yaml`, which must exist, and its Secrets file
 * when there is one.
 */
export function readDeploymentFiles(targets: PublishTargets, deployment: string): DeploymentFiles {
  const files = deploymentFiles(targets, deployment);
  if (!fs.existsSync(files.manifests)) throw new ConfigError(`${files.manifests} does not exist: run \`npm run synth\` first (or pass --dist)`);
  const read = (file: string) => ({ file, objects: readManifestFile(file) });
  return { manifests: read(files.manifests), secrets: fs.existsSync(files.secrets) ? read(files.secrets) : undefined };
}
