import * as path from 'path';
import { ManifestObject } from './manifest-check';
import { MANIFEST_FILE } from './manifest-files';
import { SecretsMode } from './secrets-mode';

/**
 * Finds Secret objects with data in a deployment's dist/ file when its secrets mode keeps them out (separate,
 * sealed, external): a sign that plaintext is about to be committed.
 */
export function secretDataProblems(file: string, objects: ManifestObject[], mode: SecretsMode): string[] {
  if (mode.allowsSecretsInDist) return [];
  return objects
    .filter(o => o.kind === 'Secret' && (Object.keys(o.data ?? {}).length > 0 || Object.keys(o.stringData ?? {}).length > 0))
    .map(o => `${file}: Secret ${o.metadata.namespace}/${o.metadata.name} holds data, but deployment ${path.basename(file).replace(MANIFEST_FILE, '$1')} `
      + `keeps its Secrets out of dist/ (${mode.name} mode): remove it and run \`npm run synth\``);
}
