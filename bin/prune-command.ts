/**
 * `npm run prune-command -- <deployment> [--dist dist] [--dist-secrets dist-secrets]`: prints the pruning
 * `kubectl apply` of a deployment, its allowlist derived from the kinds its current files hold, and one line per
 * kind that is never pruned, saying why. See --help.
 */
import { completeInterruptedPublish, ConfigError, formatPruneCommand, parseCliArgs, pruneCommand, readDeploymentFiles, runMain } from '../lib';

const USAGE = `usage: npm run prune-command -- <deployment> [--dist <dir>] [--dist-secrets <dir>]

Prints the kubectl apply that applies the deployment's synthesized files and prunes the objects of this
deployment that they no longer hold: --prune -l binderhub-cdk8s.io/deployment=<release>, with a
--prune-allowlist entry for every kind the files hold except those never pruned (Namespace,
PersistentVolumeClaim), each named below the command with the reason. Run it again after every synth.

  <deployment>           the deployment (its manifest is <dist>/<deployment>.k8s.yaml)
  --dist <dir>           the synthesized manifests (default: dist)
  --dist-secrets <dir>   Secrets kept out of dist/ (default: dist-secrets); <deployment>-secrets.k8s.yaml is
                         applied too when it exists
  --help                 this text`;

runMain(() => {
  const { values: args, positionals } = parseCliArgs({
    allowPositionals: true,
    options: {
      dist: { type: 'string', default: 'dist' }, 'dist-secrets': { type: 'string', default: 'dist-secrets' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) {
    throw new ConfigError(`name exactly one deployment, such as \`npm run prune-command -- prod\` (got ${positionals.length}); see --help`);
  }
  const targets = { manifests: args.dist!, secrets: args['dist-secrets']! };
  completeInterruptedPublish(targets); // the files it reads must be all old or all new
  process.stdout.write(formatPruneCommand(pruneCommand(readDeploymentFiles(targets, positionals[0]))));
});
