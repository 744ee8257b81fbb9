/**
 * `npm run apply -- --deployment <name> [--prune] [--timeout 600] [--context <ctx>] [--kubeconfig <file>]`: applies
 * a deployment's synthesized files in order (Namespace and Secrets first), optionally pruning what they no longer
 * hold, then waits for its workloads to roll out. See --help.
 */
import * as fs from 'fs';
import {
  APPLY_USAGE, checkAgainstApp, checkKubectlTarget, completeInterruptedPublish, deploymentFiles, hubUrlState, kubectlError, KubectlOptions,
  loadProjectApp, parseApplyArgs, readApplyPlan, redact, runKubectl, runMain, streamInput, toolPath, waitForRollouts,
} from '../lib/internal';

runMain(async () => {
  const args = parseApplyArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(APPLY_USAGE);
    return;
  }
  const { deployment, targets } = args;
  completeInterruptedPublish(targets);
  const plan = readApplyPlan(targets, deployment, args.prune);
  await checkAgainstApp(loadProjectApp(), deployment, plan.command.files, targets);
  const kubectl: KubectlOptions = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec: args.requestTimeoutSec };
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
  await waitForRollouts({ ...kubectl, timeoutSec: args.timeoutSec, onProgress: line => process.stderr.write(`${line}\n`) }, plan.workloads);

  const manifest = deploymentFiles(targets, deployment).manifests;
  const state = hubUrlState(fs.readFileSync(manifest, 'utf8'), manifest);
  if (state.source === 'pending') {
    console.log(`the hub URL is pending: once Service proxy-public has its address, run \`npm run patch-hub-url -- --deployment ${deployment} --apply\``);
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
