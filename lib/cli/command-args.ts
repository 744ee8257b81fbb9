/**
 * The options of the commands, parsed and checked apart from them, so that their defaults are tested without running
 * (or waiting for) the commands; bin/ keeps only the wiring. Here: what several commands share, `npm run apply`,
 * `npm run patch-hub-url`, and the usage of the commands without options. The others: command-args-*.ts.
 */
import { checkProxyAddress } from '../cluster/address';
import { HELP_OPTION, intervalSeconds, parseCliArgs, timeoutSeconds } from './cli';
import { ConfigError } from '../core/errors';
import { DEFAULT_REQUEST_TIMEOUT_SEC, requestTimeoutSeconds } from '../cluster/kubectl';
import { checkDnsLabel } from '../core/names';
import { DEFAULT_TARGETS, PublishTargets } from '../output/publish';

/** How long the rollouts (and patch-hub-url's wait for the address) may take, in seconds, unless --timeout says. */
export const DEFAULT_TIMEOUT_SEC = 600;

/** patch-hub-url's first wait between polls of the address, in seconds, unless --interval says. */
export const DEFAULT_POLL_INTERVAL_SEC = 2;

/** Where patch-hub-url records discovered hub URLs unless --records says. */
export const DEFAULT_RECORDS = 'hub-urls';

/** What a command's arguments ask for: `'help'` for --help (print the usage, do nothing else). */
export type ParsedArgs<T> = T | 'help';

/** The kubectl target options (apply, patch-hub-url, diff --live); undefined means kubectl's own default. */
export interface KubectlTargetOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** How long the API server may take to answer one request (--request-timeout). */
  readonly requestTimeoutSec: number;
}

/** The kubectl target options; --request-timeout has no parser default, so that a command can tell it was given. */
export const KUBECTL_TARGET_OPTIONS = { kubeconfig: { type: 'string' }, context: { type: 'string' }, 'request-timeout': { type: 'string' } } as const;

export const KUBECTL_TARGET_USAGE = `  --kubeconfig <file>    kubeconfig for kubectl (default: kubectl's own: KUBECONFIG, ~/.kube/config)
  --context <name>       kubeconfig context (default: the current one)
  --request-timeout <seconds>  how long the API server may take to answer one request, at most 3600 (default: ${DEFAULT_REQUEST_TIMEOUT_SEC})`;

/** The kubectl target of parsed options, checked. */
export function kubectlTarget(args: { kubeconfig?: string; context?: string; 'request-timeout'?: string }): KubectlTargetOptions {
  return { kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec: requestTimeoutSeconds(args['request-timeout']) };
}

/** The folders a command reads (apply, prune-command): --dist and --dist-secrets. */
export const TARGET_OPTIONS = {
  dist: { type: 'string', default: DEFAULT_TARGETS.manifests }, 'dist-secrets': { type: 'string', default: DEFAULT_TARGETS.secrets },
} as const;

export const DIST_USAGE = `  --dist <dir>           the synthesized manifests (default: ${DEFAULT_TARGETS.manifests})`;
export const DIST_SECRETS_USAGE = `  --dist-secrets <dir>   Secrets kept out of dist/ (default: ${DEFAULT_TARGETS.secrets})`;
export const HELP_USAGE = '  --help                 this text';

/** The folders that TARGET_OPTIONS' values name. */
export function publishTargets(args: { dist: string; 'dist-secrets': string }): PublishTargets {
  return { manifests: args.dist, secrets: args['dist-secrets'] };
}

export const APPLY_USAGE = `usage: npm run apply -- --deployment <name> [--prune] [--timeout <seconds>] [--context <ctx>] [--kubeconfig <file>]

Refuses files that are not what a fresh synth of main.ts writes, and a deployment that still has the example's
placeholder credential or stand-in sealing certificate. Then applies the files with kubectl: first its Namespace and
Secrets (through standard input), then dist/<name>.k8s.yaml and dist-secrets/<name>-secrets.k8s.yaml together, then
waits for each of its Deployments, DaemonSets and StatefulSets to roll out (not those with the OnDelete update
strategy: they are named). A workload that is not ready in time is named with its last event.

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
  --prune                also delete the deployment's objects the files no longer hold: the command
                         \`npm run prune-command\` prints (Namespaces and PersistentVolumeClaims are never pruned)
  --timeout <seconds>    how long the rollouts may take together, at most 86400 (default: ${DEFAULT_TIMEOUT_SEC})
${DIST_USAGE}
${DIST_SECRETS_USAGE}
${KUBECTL_TARGET_USAGE}
${HELP_USAGE}`;

/** `npm run apply`'s options. */
export interface ApplyOptions extends KubectlTargetOptions {
  readonly deployment: string;
  readonly prune: boolean;
  readonly timeoutSec: number;
  readonly targets: PublishTargets;
}

/** `npm run apply`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseApplyArgs(argv: string[]): ParsedArgs<ApplyOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      deployment: { type: 'string' }, prune: { type: 'boolean', default: false }, timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SEC) },
      ...TARGET_OPTIONS, ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  return {
    deployment: requiredDeployment(args.deployment),
    prune: args.prune,
    timeoutSec: timeoutSeconds(args.timeout),
    targets: publishTargets(args),
    ...kubectlTarget(args),
  };
}

export const PATCH_HUB_URL_USAGE = `usage: npm run patch-hub-url -- --deployment <name> [options]

Finds the external address of Service proxy-public of the deployment's namespace, sets it as the hub URL in
dist/<name>.k8s.yaml (ConfigMap binder-hub-url and the binder pod's checksum/hub-url annotation; nothing
else changes), and records it in hub-urls/<name>.url, which the next synth reads: commit that file.

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
${DIST_USAGE}
  --address <ip|host>    use this address instead of asking the cluster (a DNS name known up front)
  --scheme http|https    the hub URL's scheme (default: http)
  --timeout <seconds>    how long to wait for the address, and for the rollout with --apply, at most 86400 (default: ${DEFAULT_TIMEOUT_SEC})
  --interval <seconds>   first wait between polls, 1 to 15; it doubles up to 15 (default: ${DEFAULT_POLL_INTERVAL_SEC})
${KUBECTL_TARGET_USAGE}
  --records <dir>        where discovered URLs are recorded (default: ${DEFAULT_RECORDS})
  --apply                kubectl apply the patched file and wait for the binder rollout (after checking the
                         file against a fresh synth of main.ts, as npm run apply does)
${HELP_USAGE}`;

/** `npm run patch-hub-url`'s options. */
export interface PatchHubUrlOptions extends KubectlTargetOptions {
  readonly deployment: string;
  readonly dist: string;
  /** The address given with --address; undefined: ask the cluster. */
  readonly address?: string;
  readonly scheme: 'http' | 'https';
  readonly timeoutSec: number;
  readonly intervalSec: number;
  readonly records: string;
  readonly apply: boolean;
}

/** `npm run patch-hub-url`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parsePatchHubUrlArgs(argv: string[]): ParsedArgs<PatchHubUrlOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      deployment: { type: 'string' }, dist: { type: 'string', default: DEFAULT_TARGETS.manifests }, address: { type: 'string' },
      scheme: { type: 'string', default: 'http' }, timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SEC) },
      interval: { type: 'string', default: String(DEFAULT_POLL_INTERVAL_SEC) }, records: { type: 'string', default: DEFAULT_RECORDS },
      apply: { type: 'boolean', default: false }, ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  const deployment = requiredDeployment(args.deployment);
  if (args.address !== undefined) checkProxyAddress(args.address);
  const scheme = args.scheme;
  if (scheme !== 'http' && scheme !== 'https') throw new ConfigError(`--scheme must be http or https, got "${scheme}"`);
  const timeoutSec = timeoutSeconds(args.timeout);
  const intervalSec = intervalSeconds(args.interval!);
  return {
    deployment, dist: args.dist, address: args.address, scheme, timeoutSec, intervalSec,
    records: args.records, apply: args.apply, ...kubectlTarget(args),
  };
}

/** The --deployment that apply and patch-hub-url require: a DNS label, as it names files and a label value. */
export function requiredDeployment(deployment: string | undefined): string {
  if (!deployment) throw new ConfigError('--deployment is required; see --help');
  checkDnsLabel('--deployment', deployment);
  return deployment;
}

export const SYNTH_USAGE = 'usage: npm run synth (or cdk8s synth): synthesizes the deployments of main.ts into dist/ and dist-secrets/';

export const CHECK_DIST_USAGE = 'usage: npm run check-dist: fails when dist/ or dist-secrets/ differ from a fresh synth, hold Secret data they should not, '
  + 'or are not apply-ready';
