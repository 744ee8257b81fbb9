import * as path from 'path';
import { expandLists, ManifestObject } from '../output/manifest-check';
import { MANIFEST_FILE } from '../output/manifest-files';
import { DEFAULT_TARGETS } from '../output/publish';
import { SecretsMode } from '../secrets/secrets-mode';

/**
 * Names each Secret with plaintext data (`data` or `stringData`) in dist/ that was not chosen: only the file of a
 * deployment in SecretsMode.inline() may hold such Secrets; any other file (a deployment in another mode, or a file
 * of no deployment) is about to commit plaintext. `manifests` maps each dist/ file to its objects; `modes` maps each
 * deployment (its id) to its secrets mode.
 */
export function secretDataProblems(manifests: ReadonlyMap<string, ManifestObject[]>, modes: ReadonlyMap<string, SecretsMode>): string[] {
  const problems: string[] = [];
  for (const [file, objects] of manifests) {
    // Stryker disable next-line StringLiteral: equivalent, any fallback that is no deployment id (ids are DNS labels) finds no mode, as '' does
    const deployment = MANIFEST_FILE.exec(path.basename(file))?.[1] ?? '';
    const mode = modes.get(deployment);
    if (mode?.allowsSecretsInDist) continue;
    const why = mode
      ? `deployment ${deployment} keeps its Secrets out of dist/ (${mode.name} mode)`
      : 'no deployment chose SecretsMode.inline() for this file';
    for (const secret of expandLists(objects).filter(holdsData)) {
      const namespace = secret.metadata?.namespace;
      problems.push(`${file}: Secret ${namespace ? `${namespace}/` : ''}${secret.metadata?.name} holds plaintext data, but ${why}: `
        + 'remove it and run `npm run synth`');
    }
  }
  return problems;
}

function holdsData(object: ManifestObject): boolean {
  const count = (values: unknown) => typeof values === 'object' && values !== null ? Object.keys(values).length : 0;
  return object.kind === 'Secret' && count(object.data) + count(object.stringData) > 0;
}

/** What is wrong with a value `BinderHub.foreignCiphertexts` names, in a line that never holds the value. */
export function foreignCiphertextProblem(entry: string): string {
  return `${entry} in ${DEFAULT_TARGETS.manifests}/ holds a ciphertext not sealed for its value by this deployment (swapped with `
    + 'another, sealed by someone with the public certificate, or sealed before binderhub-cdk8s bound ciphertexts to values)';
}
