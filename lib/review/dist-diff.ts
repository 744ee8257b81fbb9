import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../core/errors';
import { diffManifests, ManifestDiff } from './manifest-diff';
import { MANIFEST_FILE, parseManifest } from '../output/manifest-files';
import { PublishTargets, publishedFiles } from '../output/publish';
import { SECRETS_CHART_SUFFIX } from '../output/publish-journal';
import { DELIVERY_CHART_SUFFIX } from '../deployment/delivery';

/** Manifest files by path (such as `dist/staging.k8s.yaml`), with their text. */
export type ManifestTexts = ReadonlyMap<string, string>;

/** What changes for one deployment, over its file in dist/ and its file in dist-secrets/ together. */
export interface DeploymentDiff {
  readonly deployment: string;
  readonly diff: ManifestDiff;
}

/**
 * The diff of every deployment that has a file on either side (or of the deployments `only` names), in name order.
 * A deployment's objects are matched across its two files, so a Secret that moves between dist/ and dist-secrets/
 * (a change of secrets mode) shows as the change it is. A file that does not parse fails with its line.
 */
export function diffDeployments(before: ManifestTexts, after: ManifestTexts, targets: PublishTargets, only: ReadonlyArray<string> = []): DeploymentDiff[] {
  const known = [...new Set([...before.keys(), ...after.keys()].map(file => deploymentOfFile(file, targets)))].sort();
  const unknown = only.filter(name => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`--deployment ${unknown[0]}: no such deployment in main.ts or ${targets.manifests}/; name one of ${known.join(', ') || '(none)'}`);
  }
  // The dist/ file first, so a diff reads in apply order (its Namespace first), then the file of its Secrets.
  const inSecrets = (file: string) => path.resolve(path.dirname(file)) === path.resolve(targets.secrets);
  const objects = (texts: ManifestTexts, deployment: string) => [...texts]
    .filter(([file]) => deploymentOfFile(file, targets) === deployment)
    .sort(([a], [b]) => Number(inSecrets(a)) - Number(inSecrets(b)))
    .flatMap(([file, text]) => parseManifest(text, file));
  return known.filter(name => only.length === 0 || only.includes(name))
    .map(deployment => ({ deployment, diff: diffManifests(objects(before, deployment), objects(after, deployment)) }));
}

/**
 * The deployment a manifest file belongs to: its chart's name, without `-secrets` for a file in the secrets folder
 * and without `-delivery` for one in dist/ (its GitOps controller's object; no deployment's name ends so).
 */
export function deploymentOfFile(file: string, targets: PublishTargets): string {
  const chart = MANIFEST_FILE.exec(path.basename(file))?.[1] ?? path.basename(file);
  const inSecrets = path.resolve(path.dirname(file)) === path.resolve(targets.secrets);
  const suffix = inSecrets ? SECRETS_CHART_SUFFIX : DELIVERY_CHART_SUFFIX;
  return chart.endsWith(suffix) ? chart.slice(0, -suffix.length) : chart;
}

/** The deployments whose manifests stand in dist/ now, by name (a file in dist-secrets/ alone makes none). */
export function publishedDeployments(targets: PublishTargets): string[] {
  const manifests = publishedFiles(targets).filter(file => path.resolve(path.dirname(file)) === path.resolve(targets.manifests));
  return [...new Set(manifests.map(file => deploymentOfFile(file, targets)))].sort();
}

/** The manifests that stand in dist/ and dist-secrets/ now, with their text. */
export function readPublishedTexts(targets: PublishTargets): Map<string, string> {
  return new Map(publishedFiles(targets).map(file => [file, fs.readFileSync(file, 'utf8')]));
}
