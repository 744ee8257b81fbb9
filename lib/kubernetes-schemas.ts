/**
 * Offline Kubernetes schemas, from the kubernetes-models package (a development dependency: checks and tests
 * use it; synth does not).
 */

/** The kubernetes-models class for a kind, or undefined when the package does not know it. */
export function kubernetesModel(apiVersion: string, kind: string): (new (data: object) => { validate(): void }) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

/** Whether the Kubernetes schemas know `apiVersion` `kind`. */
export function isKubernetesKind(apiVersion: string, kind: string): boolean {
  return kubernetesModel(apiVersion, kind) !== undefined;
}
