/**
 * `npm run teardown -- --deployment <name> [--delete-data] [--yes] [--context <ctx>] [--kubeconfig <file>]`: lists what
 * taking the deployment down deletes and keeps; with --yes deletes it in order and says what is left. See --help.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  applyPlan, checkKubectlTarget, completeInterruptedPublish, DELIVERY_CHART_SUFFIX, deleteCommands, deploymentFiles, formatKept, formatTeardownGroups, formatTeardownObject,
  HubUrlRecords, hubUrlState, kindsOf, kubectlError, KubectlOptions, parseTeardownArgs, readDeploymentFiles, readLiveState, repositoryAdvice, runKubectl,
  runMain, SecretStore, TeardownInputs, teardownPlan, TEARDOWN_USAGE, toolPath,
} from '../lib/internal';

runMain(async () => {
  const args = parseTeardownArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(TEARDOWN_USAGE);
    return;
  }
  const { deployment, targets } = args;
  completeInterruptedPublish(targets);
  const files = applyPlan(readDeploymentFiles(targets, deployment), false);
  const manifest = deploymentFiles(targets, deployment).manifests;
  const { namespace } = hubUrlState(fs.readFileSync(manifest, 'utf8'), manifest);
  const kubectl: KubectlOptions = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec: args.requestTimeoutSec };
  await checkKubectlTarget(kubectl);
  const delivery = path.join(targets.manifests, `${deployment}${DELIVERY_CHART_SUFFIX}.k8s.yaml`);
  if (fs.existsSync(delivery)) {
    // The controller's objects live in its own namespace and are not read here: left running, it applies again what this deletes.
    console.warn(`warning: ${deployment} is delivered by a GitOps controller (${delivery}): delete its objects first `
      + `(kubectl delete -f ${delivery}), or the controller applies again what teardown deletes`);
  }

  const read = async (): Promise<TeardownInputs> => ({
    deployment, release: files.command.release, namespace, expected: files.objects, deleteData: args.deleteData,
    live: await readLiveState(kubectl, files.command.release, namespace, kindsOf(files.objects)),
  });
  const plan = teardownPlan(await read());
  const repository = repositoryAdvice(deployment, [
    path.join('deployments', `${deployment}.ts`), new HubUrlRecords(args.records).fileFor(deployment), new SecretStore().fileFor(deployment),
  ].filter(file => fs.existsSync(file)));
  if (!args.yes) {
    process.stdout.write(`${plan.groups.length > 0 ? `teardown of ${deployment} would delete, in this order:\n${formatTeardownGroups(plan.groups)}` : `nothing of ${deployment} is in the cluster to delete\n`}`
      + `${plan.kept.length > 0 ? `it would keep:\n${formatKept(plan.kept)}` : ''}dry run: nothing was deleted; run again with --yes to delete\n${repository}`);
    return;
  }

  for (const [index, group] of plan.groups.entries()) {
    process.stdout.write(`${index + 1}/${plan.groups.length} deleting ${group.title} (${group.objects.length})\n`);
    for (const command of deleteCommands(group, args.timeoutSec)) {
      // The wait is bounded by --timeout: kubectl's request timeout must not cut it short.
      const result = await runKubectl({ ...kubectl, requestTimeoutSec: 0 }, command);
      process.stdout.write(result.stdout.split('\n').filter(Boolean).map(line => `     ${line}\n`).join(''));
      // An object not gone in time (a load balancer the cloud is still releasing) is not fatal: it is named below as left.
      if (result.status !== 0 && !/timed out waiting/.test(result.stderr)) throw kubectlError('kubectl delete', result.stderr, kubectl);
    }
  }

  const after = teardownPlan(await read());
  const left = after.groups.flatMap(g => g.objects);
  process.stdout.write(`${left.length > 0 ? `still there after --timeout, being deleted (a load balancer the cloud has not released yet?); run teardown again to check:\n${left.map(o => `  ${formatTeardownObject(o)}\n`).join('')}` : ''}`
    + `${after.kept.length > 0 ? `left, on purpose:\n${formatKept(after.kept)}` : `nothing of ${deployment} is left in the cluster\n`}${repository}`);
  process.exitCode = left.length > 0 ? 1 : 0;
}, 2);
