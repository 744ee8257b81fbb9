/**
 * `npm run apply -- --deployment <name> [--prune] [--timeout 600] [--context <ctx>] [--kubeconfig <file>]`: applies
 * a deployment's synthesized files in order (Namespace and Secrets first), optionally pruning what they no longer
 * hold, then waits for its workloads to roll out. See --help.
 */
import * as fs from 'fs';
import {
  checkDnsLabel, checkKubectlTarget, completeInterruptedPublish, ConfigError, DEFAULT_TARGETS, deploymentFiles,
  hubUrlState, kubectlError, KubectlOptions, parseCliArgs, readApplyPlan, redact, requestTimeoutSeconds, runKubectl, runMain, streamInput,
  timeoutSeconds, toolPath, waitForRollouts,
} from '../lib';

const USAGE = `usage: npm run apply -- --deployment <name> [--prune] [--timeout <seconds>] [--context <ctx>] [--kubeconfig <file>] [--request-timeout <seconds>]

Applies the deployment's files with kubectl: first its Namespace and Secrets (through standard input), then
dist/<name>.k8s.yaml and dist-secrets/<name>-secrets.k8s.yaml together, then waits for each of its Deployments,
DaemonSets and StatefulSets to roll out (not those with the OnDelete update strategy: they are named). A workload
that is not ready in time is named with its last event.

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
  --prune                also delete the deployment's objects the files no longer hold: the command
                         \`npm run prune-command\` prints (Namespaces and PersistentVolumeClaims are never pruned)
  --timeout <seconds>    how long the rollouts may take together, at most 86400 (default: 600)
  --dist <dir>           the synthesized manifests (default: dist)
  --dist-secrets <dir>   Secrets kept out of dist/ (default: dist-secrets)
  --kubeconfig <file>    kubeconfig for kubectl (default: kubectl's own: KUBECONFIG, ~/.kube/config)
  --context <name>       kubeconfig context (default: the current one)
  --request-timeout <seconds>  how long the API server may take to answer one request, at most 3600 (default: 30)
  --help                 this text`;

runMain(async () => {
  const { values: args } = parseCliArgs({
    options: {
      deployment: { type: 'string' }, prune: { type: 'boolean', default: false }, timeout: { type: 'string', default: '600' },
      dist: { type: 'string', default: DEFAULT_TARGETS.manifests }, 'dist-secrets': { type: 'string', default: DEFAULT_TARGETS.secrets },
      kubeconfig: { type: 'string' }, context: { type: 'string' }, 'request-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!args.deployment) throw new ConfigError('--deployment is required; see --help');
  checkDnsLabel('--deployment', args.deployment);
  const timeoutSec = timeoutSeconds(args.timeout!);
  const requestTimeoutSec = requestTimeoutSeconds(args['request-timeout']);

  const targets = { manifests: args.dist!, secrets: args['dist-secrets']! };
  completeInterruptedPublish(targets);
  const plan = readApplyPlan(targets, args.deployment, args.prune);
  const kubectl: KubectlOptions = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec };
  await checkKubectlTarget(kubectl);
  for (const skipped of plan.command.skipped) console.log(`not applied: ${skipped.file}: ${skipped.reason}`);
  if (args.prune) for (const kept of plan.command.kept) console.log(`never pruned: ${kept.kind} ${kept.objects.join(', ')}`);

  if (plan.first.length > 0) {
    await kubectlStep(kubectl, 'the Namespace and Secrets', ['apply', '-f', '-'], streamInput(plan.first));
  }
  await kubectlStep(kubectl, plan.command.files.join(' and '), plan.applyArgs);
  for (const workload of plan.notWaited) {
    process.stderr.write(`rollout: not waiting for ${workload.resource}/${workload.name}: its updateStrategy is OnDelete, so its pods change only when you delete them\n`);
  }
  await waitForRollouts({ ...kubectl, timeoutSec, onProgress: line => process.stderr.write(`${line}\n`) }, plan.workloads);

  const state = hubUrlState(fs.readFileSync(deploymentFiles(targets, args.deployment).manifests, 'utf8'));
  if (state.source === 'pending') {
    console.log(`the hub URL is pending: once Service proxy-public has its address, run \`npm run patch-hub-url -- --deployment ${args.deployment} --apply\``);
  }
});

/** Runs one kubectl apply, passing its output on (object names only); a failure names what was being applied. */
async function kubectlStep(kubectl: KubectlOptions, what: string, args: string[], input?: string): Promise<void> {
  const result = await runKubectl(kubectl, args, { input });
  process.stdout.write(result.stdout);
  if (result.status !== 0) throw kubectlError(`kubectl apply of ${what}`, result.stderr, kubectl);
  // kubectl's warnings (a deprecated API, an object taken over from helm) are worth reading; values are redacted.
  process.stderr.write(redact(result.stderr));
}
