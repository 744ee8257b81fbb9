import { ConfigError } from '../core/errors';
import * as net from 'net';
import { getPath, leafPaths, setPath, Values } from '../core/values';

/** What one user server may use (the jupyterhub chart's `singleuser.cpu` and `singleuser.memory`). */
export interface UserServerLimits {
  /**
   * Memory reserved for each user server: the scheduler places it only where this much is free. K, M, G or T
   * (powers of 1024), as KubeSpawner reads it.
   * @default '1G' (the jupyterhub chart's default)
   */
  readonly memoryGuarantee?: string;
  /**
   * Memory a user server may use before it is killed.
   * @default '2G' in a public service (mybinder.org: 2G); none in a private one
   */
  readonly memoryLimit?: string;
  /**
   * CPU cores reserved for each user server.
   * @default - none (the chart's)
   */
  readonly cpuGuarantee?: number;
  /**
   * CPU cores a user server may use (it is throttled above): a public service runs anyone's code.
   * @default 1 in a public service; none in a private one
   */
  readonly cpuLimit?: number;
}

/** What one build may use (BinderHub's `KubernetesBuildExecutor`). */
export interface BuildLimits {
  /**
   * Memory a build may use (repo2docker's build memory limit), K, M, G or T.
   * @default '2G' in a public service (mybinder.org: 2G); none in a private one
   */
  readonly memoryLimit?: string;
  /**
   * Memory reserved for each build pod.
   * @default - none (BinderHub's)
   */
  readonly memoryRequest?: string;
}

/** When idle user servers stop (the jupyterhub chart's `cull`, run by jupyterhub-idle-culler). */
export interface CullingOptions {
  /**
   * Seconds without activity after which a user server stops.
   * @default 600 in a public service (mybinder.org's); the chart's 3600 in a private one
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds between checks.
   * @default 660 in a public service (mybinder.org's: out of phase with the proxy's five-minute route check); the chart's 600 in a private one
   */
  readonly everySeconds?: number;
  /**
   * Seconds after which a user server stops even if active; 0 for never.
   * @default 21600 (six hours, mybinder.org's) in a public service; the chart's 0 in a private one
   */
  readonly maxAgeSeconds?: number;
}

/** How many user servers may run (BinderHub's launch quotas). */
export interface QuotaOptions {
  /**
   * User servers of all repositories at once (`LaunchQuota.total_quota`): launches beyond it are refused.
   * @default - none: the cluster's size is the limit
   */
  readonly total?: number;
  /**
   * User servers of one repository at once (`BinderHub.per_repo_quota`).
   * @default 100 in a public service (mybinder.org's); none in a private one
   */
  readonly perRepository?: number;
  /**
   * User servers at once of a repository that `highQuotaRepositories` matches (`BinderHub.per_repo_quota_higher`).
   * @default - none
   */
  readonly perRepositoryHigher?: number;
  /**
   * Python regular expressions of repository specs (`<org>/<repo>/<ref>` for GitHub) that get `perRepositoryHigher`
   * (`RepoProvider.high_quota_specs`).
   * @default - none
   */
  readonly highQuotaRepositories?: readonly string[];
  /**
   * Python regular expressions of repository specs that may not launch at all (`RepoProvider.banned_specs`), such
   * as `^someorg/somerepo.*`.
   * @default - none
   */
  readonly bannedRepositories?: readonly string[];
}

/** Where user servers may connect (the jupyterhub chart's `singleuser.networkPolicy`). */
export interface NetworkOptions {
  /**
   * Whether user code may reach the cloud's metadata address (169.254.169.254), which hands out the node's
   * credentials on most clouds.
   * @default false
   */
  readonly cloudMetadata?: boolean;
  /**
   * Whether user code may reach private addresses (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): the cluster's pods
   * and the operator's own network.
   * @default false
   */
  readonly privateAddresses?: boolean;
  /**
   * Whether user code may reach the public internet (to install packages, download data).
   * @default true
   */
  readonly publicInternet?: boolean;
  /**
   * More address ranges user code may reach, as CIDRs (such as a data server at 10.20.0.0/16).
   * @default - none
   */
  readonly allowedRanges?: readonly string[];
}

/** The settings of a `ServicePolicy`. */
export interface ServicePolicyOptions {
  /** @default - see UserServerLimits */
  readonly users?: UserServerLimits;
  /** @default - see BuildLimits */
  readonly builds?: BuildLimits;
  /** Idle culling, or false to keep idle user servers running. @default - see CullingOptions */
  readonly culling?: CullingOptions | false;
  /** @default - see QuotaOptions */
  readonly quotas?: QuotaOptions;
  /** @default - see NetworkOptions */
  readonly network?: NetworkOptions;
}

/** What a policy contributes to a deployment's chart values. */
export interface ServicePolicySetup {
  /** Its defaults, under `chartValues` (which may change them). */
  readonly defaults: Values;
  /** What the operator gave, over `chartValues` (which may not set the same settings). */
  readonly values: Values;
  /** The settings given explicitly: `chartValues` must leave them alone. */
  readonly ownedPaths: readonly string[];
}

const PUBLIC_DEFAULTS: ServicePolicyOptions = {
  users: { memoryGuarantee: '1G', memoryLimit: '2G', cpuLimit: 1 },
  builds: { memoryLimit: '2G' },
  culling: { timeoutSeconds: 600, everySeconds: 660, maxAgeSeconds: 21600 },
  quotas: { perRepository: 100 },
  network: { cloudMetadata: false, privateAddresses: false, publicInternet: true },
};

/**
 * What a BinderHub lets its users do: resources, culling, quotas and network. A public BinderHub runs anyone's code
 * for anyone with its URL: `ServicePolicy.public()` (the default) sets safe values for everything not given, and the
 * synth refuses a deployment that would still serve without a quota, a memory limit for user servers and builds,
 * culling, or with the cloud metadata address open. `ServicePolicy.private()` (a BinderHub behind login or on a
 * private network) sets only what is given and warns, once per deployment, about what a public one would need.
 */
export class ServicePolicy {
  /** A BinderHub open to the internet: safe defaults, and the synth refuses what a public service must not lack. */
  public static public(options: ServicePolicyOptions = {}): ServicePolicy {
    return new ServicePolicy(true, options);
  }

  /** A private or test BinderHub: only the given settings; the synth warns about what a public service would need. */
  public static private(options: ServicePolicyOptions = {}): ServicePolicy {
    return new ServicePolicy(false, options);
  }

  private constructor(
    /** Whether what a public service lacks is refused (true) or warned about. */
    public readonly publicService: boolean,
    private readonly options: ServicePolicyOptions,
  ) {
    checkPolicy(options);
  }

  /** The chart values of the policy. */
  public setup(): ServicePolicySetup {
    const values = policyValues(this.options);
    const defaults = this.publicService ? policyValues(withoutGiven(PUBLIC_DEFAULTS, this.options)) : {};
    return { defaults, values, ownedPaths: leafPaths(values) };
  }

  /**
   * What the final chart values lack that a public service needs, one phrase each: refused in a public service
   * (naming them), a warning in a private one.
   */
  public gaps(values: Values): string[] {
    const binderHub = (setting: string) => getPath(values, `config.${setting}`);
    const positive = (value: unknown) => typeof value === 'number' && value > 0;
    const gaps: string[] = [];
    if (!positive(binderHub('LaunchQuota.total_quota')) && !positive(binderHub('BinderHub.pod_quota')) && !positive(binderHub('BinderHub.per_repo_quota'))) {
      gaps.push('no launch quota (quotas.total or quotas.perRepository)');
    }
    if (!getPath(values, 'jupyterhub.singleuser.memory.limit')) gaps.push('no memory limit for user servers (users.memoryLimit)');
    if (!binderHub('KubernetesBuildExecutor.memory_limit')) gaps.push('no memory limit for builds (builds.memoryLimit)');
    if (getPath(values, 'jupyterhub.cull.enabled') === false) gaps.push('no culling of idle user servers (culling)');
    const policyOn = getPath(values, 'jupyterhub.singleuser.networkPolicy.enabled') !== false;
    const metadataOpen = policyOn
      ? getPath(values, 'jupyterhub.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer') === true
      : getPath(values, 'jupyterhub.singleuser.cloudMetadata.blockWithIptables') === false;
    if (metadataOpen) gaps.push('the cloud metadata address open to user code (network.cloudMetadata)');
    return gaps;
  }
}

/** The policy options to chart values: only what is given. */
function policyValues(options: ServicePolicyOptions): Values {
  const { users = {}, builds = {}, culling, quotas = {}, network = {} } = options;
  const settings: Array<[string, unknown]> = [
    ['jupyterhub.singleuser.memory.guarantee', users.memoryGuarantee],
    ['jupyterhub.singleuser.memory.limit', users.memoryLimit],
    ['jupyterhub.singleuser.cpu.guarantee', users.cpuGuarantee],
    ['jupyterhub.singleuser.cpu.limit', users.cpuLimit],
    ['config.KubernetesBuildExecutor.memory_limit', builds.memoryLimit],
    ['config.KubernetesBuildExecutor.memory_request', builds.memoryRequest],
    ['jupyterhub.cull.enabled', culling === undefined ? undefined : culling !== false],
    ['jupyterhub.cull.timeout', culling ? culling.timeoutSeconds : undefined],
    ['jupyterhub.cull.every', culling ? culling.everySeconds : undefined],
    ['jupyterhub.cull.maxAge', culling ? culling.maxAgeSeconds : undefined],
    ['config.LaunchQuota.total_quota', quotas.total],
    ['config.BinderHub.per_repo_quota', quotas.perRepository],
    ['config.BinderHub.per_repo_quota_higher', quotas.perRepositoryHigher],
    ['config.RepoProvider.high_quota_specs', quotas.highQuotaRepositories && [...quotas.highQuotaRepositories]],
    ['config.RepoProvider.banned_specs', quotas.bannedRepositories && [...quotas.bannedRepositories]],
    ['jupyterhub.singleuser.networkPolicy.egressAllowRules.cloudMetadataServer', network.cloudMetadata],
    ['jupyterhub.singleuser.networkPolicy.egressAllowRules.privateIPs', network.privateAddresses],
    ['jupyterhub.singleuser.networkPolicy.egressAllowRules.nonPrivateIPs', network.publicInternet],
    ['jupyterhub.singleuser.networkPolicy.egress', network.allowedRanges && network.allowedRanges.map(cidr => ({ to: [{ ipBlock: { cidr } }] }))],
  ];
  const values: Values = {};
  for (const [path, value] of settings) if (value !== undefined) setPath(values, path, value);
  return values;
}

/** The defaults for what `given` leaves out, field by field (culling: false leaves no culling default). */
function withoutGiven(defaults: ServicePolicyOptions, given: ServicePolicyOptions): ServicePolicyOptions {
  const rest = <T extends object>(base: T | undefined, set: T | false | undefined): T | undefined => {
    if (set === false || base === undefined) return undefined;
    return Object.fromEntries(Object.entries(base).filter(([key]) => set === undefined || (set as Record<string, unknown>)[key] === undefined)) as T;
  };
  return {
    users: rest(defaults.users, given.users), builds: rest(defaults.builds, given.builds), culling: rest(defaults.culling || undefined, given.culling),
    quotas: rest(defaults.quotas, given.quotas), network: rest(defaults.network, given.network),
  };
}

/** K, M, G or T (powers of 1024) after a number, or a whole number of bytes: what KubeSpawner and BinderHub read. */
const BYTE_SPECIFICATION = /^(\d+(\.\d+)?[KMGT]|\d+)$/;

function checkPolicy(options: ServicePolicyOptions): void {
  const { users = {}, builds = {}, culling, quotas = {}, network = {} } = options;
  checkBytes('users.memoryGuarantee', users.memoryGuarantee);
  checkBytes('users.memoryLimit', users.memoryLimit);
  checkBytes('builds.memoryLimit', builds.memoryLimit);
  checkBytes('builds.memoryRequest', builds.memoryRequest);
  checkBelow('users.memoryGuarantee', users.memoryGuarantee, 'users.memoryLimit', users.memoryLimit, bytes);
  checkBelow('builds.memoryRequest', builds.memoryRequest, 'builds.memoryLimit', builds.memoryLimit, bytes);
  checkCpu('users.cpuGuarantee', users.cpuGuarantee);
  checkCpu('users.cpuLimit', users.cpuLimit);
  checkBelow('users.cpuGuarantee', users.cpuGuarantee, 'users.cpuLimit', users.cpuLimit, cpu => cpu);
  if (culling) {
    checkWhole('culling.timeoutSeconds', culling.timeoutSeconds, 1);
    checkWhole('culling.everySeconds', culling.everySeconds, 1);
    checkWhole('culling.maxAgeSeconds', culling.maxAgeSeconds, 0);
  }
  checkWhole('quotas.total', quotas.total, 1);
  checkWhole('quotas.perRepository', quotas.perRepository, 1);
  checkWhole('quotas.perRepositoryHigher', quotas.perRepositoryHigher, 1);
  if (quotas.perRepositoryHigher !== undefined && (quotas.highQuotaRepositories ?? []).length === 0) {
    throw new ConfigError('policy quotas.perRepositoryHigher applies to no repository; give quotas.highQuotaRepositories too');
  }
  checkPatterns('quotas.highQuotaRepositories', quotas.highQuotaRepositories);
  checkPatterns('quotas.bannedRepositories', quotas.bannedRepositories);
  (network.allowedRanges ?? []).forEach((cidr, i) => checkCidr(`network.allowedRanges[${i}]`, cidr));
}

/** Bytes of a byte specification (powers of 1024). */
function bytes(value: string): number {
  const units: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
  const unit = units[value.slice(-1)];
  return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}

function checkBytes(setting: string, value: string | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !BYTE_SPECIFICATION.test(value) || bytes(value) <= 0) {
    throw new ConfigError(`policy ${setting} "${value}" is no memory size as BinderHub and JupyterHub read one; give a number with K, M, G or T (powers of 1024), such as 2G`);
  }
}

function checkCpu(setting: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new ConfigError(`policy ${setting} ${value} must be a number of CPU cores above 0, such as 0.5`);
  }
}

function checkBelow<T>(lowSetting: string, low: T | undefined, highSetting: string, high: T | undefined, size: (value: T) => number): void {
  if (low !== undefined && high !== undefined && size(low) > size(high)) {
    throw new ConfigError(`policy ${lowSetting} ${String(low)} is above ${highSetting} ${String(high)}; a guarantee or request cannot exceed its limit`);
  }
}

function checkWhole(setting: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new ConfigError(`policy ${setting} ${value} must be a whole number of at least ${min}`
      + (min === 1 && setting.startsWith('quotas.') ? ' (leave it out for no quota; 0 would refuse every launch)' : ''));
  }
}

/** Escapes of a letter that Python's `re` knows; any other letter after a backslash is an error there. */
const PYTHON_LETTER_ESCAPES = new Set('AbBdDsSwWZafnrtvxuUN'.split(''));

/**
 * Fails on a pattern that Python's `re` (which BinderHub matches specs with) would refuse, as far as JavaScript's
 * reading of it can tell: the two agree on what specs use (anchors, classes, groups, repetition); Python's named
 * groups are read as JavaScript's, and an escape of a letter Python does not know is refused.
 */
function checkPatterns(setting: string, patterns: readonly string[] | undefined): void {
  (patterns ?? []).forEach((pattern, i) => {
    const refuse = () => new ConfigError(`policy ${setting}[${i}] is no Python regular expression (such as ^someorg/somerepo.*); check its brackets and escapes`);
    if (typeof pattern !== 'string' || pattern === '') throw refuse();
    const unknownEscape = [...pattern.matchAll(/\\(.)/g)].some(([, next]) => /[A-Za-z]/.test(next) && !PYTHON_LETTER_ESCAPES.has(next));
    if (unknownEscape) throw refuse();
    try {
      // Python's global flags at the start, such as (?i), are no JavaScript syntax.
      new RegExp(pattern.replace(/^\(\?[aiLmsux]+\)/, '').replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
    } catch {
      throw refuse();
    }
  });
}

function checkCidr(setting: string, cidr: string): void {
  const [address, prefix, ...rest] = typeof cidr === 'string' ? cidr.split('/') : [];
  const bits = net.isIPv4(address ?? '') ? 32 : net.isIPv6(address ?? '') ? 128 : 0;
  if (bits === 0 || rest.length > 0 || !/^\d{1,3}$/.test(prefix ?? '') || Number(prefix) > bits) {
    throw new ConfigError(`policy ${setting} "${cidr}" is no CIDR; give an address range such as 10.20.0.0/16`);
  }
}
