/**
 * `npm run status -- --deployment <name> [--json] [--context <ctx>] [--kubeconfig <file>]`: reads the cluster and
 * says, one check a line, whether the deployment works and why not. Exit 0 all ok, 1 a check fails, 2 the cluster
 * (or the deployment's files) cannot be read. See --help.
 */
import { promises as dns } from 'dns';
import * as fs from 'fs';
import {
  applyPlan, checkKubectlTarget, completeInterruptedPublish, deploymentFiles, formatStatus, HubUrlRecords, hubUrlState, kindsOf, KubectlOptions,
  namesToResolve, parseStatusArgs, podLogTail, readDeploymentFiles, readLiveState, recentBuilds, runMain, statusChecks, statusExitCode, STATUS_USAGE, toolPath,
} from '../lib/internal';

/** How long a DNS lookup may take: a resolver that has not answered by then counts as no answer. */
const DNS_TIMEOUT_MS = 5000;

/** The lines of a failed build's log read. */
const BUILD_LOG_LINES = 40;

runMain(async () => {
  const args = parseStatusArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(STATUS_USAGE);
    return;
  }
  const { deployment, targets } = args;
  completeInterruptedPublish(targets);
  const plan = applyPlan(readDeploymentFiles(targets, deployment), false);
  const manifest = deploymentFiles(targets, deployment).manifests;
  const hubUrl = hubUrlState(fs.readFileSync(manifest, 'utf8'), manifest);
  const records = new HubUrlRecords(args.records);
  const record = { file: records.fileFor(deployment), url: records.load(deployment) };

  const kubectl: KubectlOptions = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec: args.requestTimeoutSec };
  await checkKubectlTarget(kubectl);
  const live = await readLiveState(kubectl, plan.command.release, hubUrl.namespace, kindsOf(plan.objects));
  const now = Date.now();
  const buildLogs: Record<string, string> = {};
  for (const pod of recentBuilds(live.pods, now).failed) {
    const log = await podLogTail(kubectl, hubUrl.namespace, pod.metadata.name, BUILD_LOG_LINES);
    if (log !== undefined) buildLogs[pod.metadata.name] = log;
  }
  const names = namesToResolve(live, hubUrl.url);
  const resolved = Object.fromEntries(await Promise.all(names.map(async name => [name, await lookup(name)] as const)));

  const checks = statusChecks({ deployment, namespace: hubUrl.namespace, files: plan.command.files, expected: plan.objects, workloads: plan.workloads, live, hubUrl, record, resolved, buildLogs, now });
  process.stdout.write(args.json ? `${JSON.stringify({ deployment, namespace: hubUrl.namespace, checks }, null, 2)}\n` : formatStatus(checks));
  process.exitCode = statusExitCode(checks);
}, 2);

/** The addresses `name` resolves to; none when it does not resolve in DNS_TIMEOUT_MS. */
async function lookup(name: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), DNS_TIMEOUT_MS); });
  try {
    return (await Promise.race([dns.lookup(name, { all: true }), timeout])).map(a => a.address);
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}
