/**
 * `npm run prune-command -- <deployment> [--dist dist] [--dist-secrets dist-secrets]`: prints the pruning
 * `kubectl apply` of a deployment, its allowlist derived from the kinds its current files hold, and one line per
 * kind that is never pruned, saying why. See --help.
 */
import { completeInterruptedPublish, formatPruneCommand, parsePruneCommandArgs, PRUNE_COMMAND_USAGE, pruneCommand, readDeploymentFiles, runMain } from '../lib/internal';

runMain(() => {
  const args = parsePruneCommandArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(PRUNE_COMMAND_USAGE);
    return;
  }
  completeInterruptedPublish(args.targets); // the files it reads must be all old or all new
  process.stdout.write(formatPruneCommand(pruneCommand(readDeploymentFiles(args.targets, args.deployment))));
});
