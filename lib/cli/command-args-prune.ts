/** The arguments of `npm run prune-command`, parsed and checked apart from the command (see command-args.ts). */
import { HELP_OPTION, parseCliArgs } from './cli';
import { DIST_SECRETS_USAGE, DIST_USAGE, HELP_USAGE, ParsedArgs, publishTargets, TARGET_OPTIONS } from './command-args';
import { ConfigError } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { PublishTargets } from '../output/publish';

export const PRUNE_COMMAND_USAGE = `usage: npm run prune-command -- <deployment> [--dist <dir>] [--dist-secrets <dir>]

Prints the kubectl apply that applies the deployment's synthesized files and prunes the objects of this
deployment that they no longer hold: --prune -l binderhub-cdk8s.io/deployment=<release>, with a
--prune-allowlist entry for every kind the files hold except those never pruned (Namespace,
PersistentVolumeClaim), each named below the command with the reason. Run it again after every synth.

  <deployment>           the deployment (its manifest is <dist>/<deployment>.k8s.yaml)
${DIST_USAGE}
${DIST_SECRETS_USAGE}; <deployment>-secrets.k8s.yaml is
                         applied too when it exists
${HELP_USAGE}`;

/** `npm run prune-command`'s arguments. */
export interface PruneCommandOptions {
  readonly deployment: string;
  readonly targets: PublishTargets;
}

/** `npm run prune-command`'s arguments (`argv` without node and the script), checked; bad ones are one-line ConfigErrors. */
export function parsePruneCommandArgs(argv: string[]): ParsedArgs<PruneCommandOptions> {
  const { values: args, positionals } = parseCliArgs({ args: argv, allowPositionals: true, options: { ...TARGET_OPTIONS, ...HELP_OPTION } });
  if (args.help) return 'help';
  if (positionals.length !== 1) {
    throw new ConfigError(`name exactly one deployment, such as \`npm run prune-command -- binder\` (got ${positionals.length}); see --help`);
  }
  // A deployment is a file name in dist/: `../x` would read a file outside it.
  checkDnsLabel('deployment', positionals[0]);
  return { deployment: positionals[0], targets: publishTargets(args) };
}
