/** The arguments of `npm run status`, parsed and checked apart from the command (see command-args.ts). */
import { HELP_OPTION, parseCliArgs } from './cli';
import {
  DEFAULT_RECORDS, DIST_SECRETS_USAGE, DIST_USAGE, HELP_USAGE, KUBECTL_TARGET_OPTIONS, KUBECTL_TARGET_USAGE, kubectlTarget, KubectlTargetOptions,
  ParsedArgs, publishTargets, requiredDeployment, TARGET_OPTIONS,
} from './command-args';
import { PublishTargets } from '../output/publish';

export const STATUS_USAGE = `usage: npm run status -- --deployment <name> [--json] [--context <ctx>] [--kubeconfig <file>]

Reads the cluster (nothing is changed) and says whether the deployment works, one check a line, ok / warning /
failing, with the evidence and the fix: every object of its files exists and every workload is rolled out; Service
proxy-public's address, the hub URL the binder pod is configured with, hub-urls/ and the DNS names of the hosts;
cert-manager Certificates Ready; build pods of the last hour that failed, user servers pending, image pull errors;
the registry login Secret and the Secrets of SealedSecrets. Secret values are never read out.
Exit status: 0 when every check is ok (or a warning), 1 when one fails, 2 when the cluster cannot be read.

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
  --json                 the report as JSON, for scripts and CI
${DIST_USAGE}
${DIST_SECRETS_USAGE}
  --records <dir>        the recorded hub URLs (default: ${DEFAULT_RECORDS})
${KUBECTL_TARGET_USAGE}
${HELP_USAGE}`;

/** `npm run status`'s options. */
export interface StatusOptions extends KubectlTargetOptions {
  readonly deployment: string;
  readonly json: boolean;
  readonly targets: PublishTargets;
  readonly records: string;
}

/** `npm run status`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseStatusArgs(argv: string[]): ParsedArgs<StatusOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      deployment: { type: 'string' }, json: { type: 'boolean', default: false }, records: { type: 'string', default: DEFAULT_RECORDS },
      ...TARGET_OPTIONS, ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  return { deployment: requiredDeployment(args.deployment), json: args.json, targets: publishTargets(args), records: args.records, ...kubectlTarget(args) };
}
