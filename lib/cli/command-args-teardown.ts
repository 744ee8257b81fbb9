/** The arguments of `npm run teardown`, parsed and checked apart from the command (see command-args.ts). */
import { HELP_OPTION, parseCliArgs, timeoutSeconds } from './cli';
import {
  DEFAULT_RECORDS, DEFAULT_TIMEOUT_SEC, DIST_SECRETS_USAGE, DIST_USAGE, HELP_USAGE, KUBECTL_TARGET_OPTIONS, KUBECTL_TARGET_USAGE, kubectlTarget,
  KubectlTargetOptions, ParsedArgs, publishTargets, requiredDeployment, TARGET_OPTIONS,
} from './command-args';
import { PublishTargets } from '../output/publish';

export const TEARDOWN_USAGE = `usage: npm run teardown -- --deployment <name> [--delete-data] [--yes] [--context <ctx>] [--kubeconfig <file>]

Takes a deployment down. Without --yes it only lists what it would delete, grouped, in order, and what it keeps
and why: the deployment's objects (they carry its label), the user servers and build pods it spawned and their
Services and Secrets, its LoadBalancer Services and their addresses, cluster-scoped objects of the release, and
the namespace when its files create it and nothing kept is left in it. Objects of another deployment or release
are never touched; PersistentVolumeClaims (hub-db-dir: the hub's database) are kept unless --delete-data.
With --yes it deletes in that order, shows progress, waits until every LoadBalancer is gone, and ends with what is
left and why. It removes nothing of the repository: it says what to remove from main.ts, hub-urls/ and secrets/.
Exit status: 0 when done (or a dry run), 1 when something it deleted is still there, 2 when the cluster cannot be
read or refuses a delete (it stops there).

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
  --delete-data          also delete its PersistentVolumeClaims: the hub's database, users' home folders
  --yes                  delete; without it nothing is deleted
  --timeout <seconds>    how long each group may take to go (a LoadBalancer's the longest), at most 86400 (default: ${DEFAULT_TIMEOUT_SEC})
${DIST_USAGE}
${DIST_SECRETS_USAGE}
  --records <dir>        the recorded hub URLs (default: ${DEFAULT_RECORDS})
${KUBECTL_TARGET_USAGE}
${HELP_USAGE}`;

/** `npm run teardown`'s options. */
export interface TeardownOptions extends KubectlTargetOptions {
  readonly deployment: string;
  readonly deleteData: boolean;
  readonly yes: boolean;
  readonly timeoutSec: number;
  readonly targets: PublishTargets;
  readonly records: string;
}

/** `npm run teardown`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parseTeardownArgs(argv: string[]): ParsedArgs<TeardownOptions> {
  const { values: args } = parseCliArgs({
    args: argv,
    options: {
      deployment: { type: 'string' }, 'delete-data': { type: 'boolean', default: false }, yes: { type: 'boolean', default: false },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SEC) }, records: { type: 'string', default: DEFAULT_RECORDS },
      ...TARGET_OPTIONS, ...KUBECTL_TARGET_OPTIONS, ...HELP_OPTION,
    },
  });
  if (args.help) return 'help';
  return {
    deployment: requiredDeployment(args.deployment), deleteData: args['delete-data'], yes: args.yes, timeoutSec: timeoutSeconds(args.timeout),
    targets: publishTargets(args), records: args.records, ...kubectlTarget(args),
  };
}
