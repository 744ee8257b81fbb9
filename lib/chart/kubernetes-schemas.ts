import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { projectRoot } from './tools';

/**
 * Offline Kubernetes schemas, from the kubernetes-models package (check-dist, apply and the tests use it; synth does
 * not). Required by name at run time, so no bundle holds its thousands of modules.
 */

/** The kubernetes-models packages of the controllers' kinds (GitOps for `Delivery`, prometheus-operator for `Monitoring`), by API group. */
const CONTROLLER_MODELS: Readonly<Record<string, string>> = {
  'argoproj.io': '@kubernetes-models/argo-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** The kubernetes-models class for a kind (of Kubernetes or a controller), or undefined when no package knows it. */
export function kubernetesModel(apiVersion: string, kind: string): (new (data: object) => { validate(): void }) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modelPackage = Object.hasOwn(CONTROLLER_MODELS, group) ? CONTROLLER_MODELS[group] : 'kubernetes-models';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(group ? `${modelPackage}/${group}/${version}/${kind}` : `${modelPackage}/${version}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

/** Whether the Kubernetes schemas know `apiVersion` `kind`. */
export function isKubernetesKind(apiVersion: string, kind: string): boolean {
  return kubernetesModel(apiVersion, kind) !== undefined;
}

/** The kinds of the CRD files kept in `dir` (those `cdk8s import` generates types from), as `group/version Kind`. */
export function importedCrdKinds(dir: string = path.join(projectRoot(), 'crds')): Set<string> {
  const kinds = new Set<string>();
  for (const file of fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f))) {
    const crd = yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as any;
    for (const version of crd.spec.versions) kinds.add(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`);
  }
  return kinds;
}

/** Whether a kind is known to the Kubernetes schemas or to an imported CRD. */
export function knownKindChecker(crdKinds: Set<string> = importedCrdKinds()): (apiVersion: string, kind: string) => boolean {
  return (apiVersion, kind) => crdKinds.has(`${apiVersion} ${kind}`) || isKubernetesKind(apiVersion, kind);
}
