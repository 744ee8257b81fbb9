import { ConfigError } from '../core/errors';

/**
 * The Kubernetes version helm renders for unless a deployment sets its own `kubeVersion`. Chosen on 2026-11-25:
 * 1.35 is upstream-supported until 2027-02-28 and is the minor of the pinned kubectl (1.35.2). Revisit it before
 * that date; every synth warns once it has passed.
 */
export const DEFAULT_KUBE_VERSION = '1.35.0';

/**
 * The last day of upstream patch support of each Kubernetes minor the binderhub chart line accepts (>= 1.28), from
 * the Kubernetes release history; minors from 1.36 on follow the same 14-month cycle.
 */
const END_OF_SUPPORT: Readonly<Record<number, string>> = {
  28: '2024-10-28',
  29: '2025-02-28',
  30: '2025-06-28',
  31: '2025-10-28',
  32: '2026-02-28',
  33: '2026-06-28',
  34: '2026-10-27',
  35: '2027-02-28',
  36: '2027-06-28',
  37: '2027-10-28',
};

/** A Kubernetes version as helm's `--kube-version` takes it, with its minor for table look-ups. */
export interface KubeVersion {
  /** `1.<minor>.<patch>`. */
  readonly version: string;
  readonly minor: number;
}

/**
 * Reads a `kubeVersion` setting (`1.35`, `1.35.2`, `v1.35.2`, or a provider's `v1.35.2-gke.1200` as `kubectl version`
 * prints it); fails on anything else, naming the setting.
 */
export function parseKubeVersion(given: string, setting = 'kubeVersion'): KubeVersion {
  const match = /^v?1\.(\d+)(?:\.(\d+)(?:[-+][0-9A-Za-z.-]+)?)?$/.exec(given);
  if (!match) {
    throw new ConfigError(`${setting} "${given}" is not a Kubernetes version; give your cluster's, such as ${DEFAULT_KUBE_VERSION} (kubectl version)`);
  }
  const minor = Number(match[1]);
  return { version: `1.${minor}.${match[2] ?? 0}`, minor };
}

/**
 * A one-line warning when `kubeVersion` names a minor that upstream no longer patches on `today` (or one too new
 * for this table to know); undefined when it is supported.
 */
export function kubeVersionWarning(kube: KubeVersion, today: Date = new Date()): string | undefined {
  const end = END_OF_SUPPORT[kube.minor];
  if (end === undefined) {
    const known = Object.keys(END_OF_SUPPORT).map(Number);
    // Stryker disable next-line EqualityOperator,MethodExpression: the table's minors are contiguous, so a minor outside it is below the first exactly when it is below the last, and never equal to the first
    if (kube.minor < Math.min(...known)) return undefined; // the chart's own kubeVersion check refuses it
    return `warning: Kubernetes ${kube.version} is newer than this project knows (1.${Math.max(...known)}); the served-API check assumes it serves what 1.${Math.max(...known)} does`;
  }
  if (today.toISOString().slice(0, 10) > end) {
    return `warning: Kubernetes 1.${kube.minor} left upstream support on ${end}; upgrade the cluster and set kubeVersion to its new version`;
  }
  return undefined;
}
