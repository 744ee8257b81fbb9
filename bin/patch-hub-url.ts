/**
 * `npm run patch-hub-url -- --deployment <name> [options]`: discovers the address of Service proxy-public,
 * patches it into dist/<name>.k8s.yaml as the hub URL, and records it for the next synth. See --help.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  checkAgainstApp, checkKubectlTarget, checkProxyAddress, completeInterruptedPublish, DEFAULT_TARGETS, discoverProxyAddress, HubUrlRecords, hubUrlForAddress,
  hubUrlState, kubectlError, loadProjectApp, missingDeploymentError, parsePatchHubUrlArgs, patchHubUrl, PATCH_HUB_URL_USAGE, replaceFilesTogether, runKubectl, runMain, toolPath, waitForRollouts,
} from '../lib/internal';

runMain(async () => {
  const args = parsePatchHubUrlArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(PATCH_HUB_URL_USAGE);
    return;
  }
  const { timeoutSec, intervalSec } = args;

  completeInterruptedPublish({ ...DEFAULT_TARGETS, manifests: args.dist });
  const file = path.join(args.dist, `${args.deployment}.k8s.yaml`);
  if (!fs.existsSync(file)) throw missingDeploymentError({ ...DEFAULT_TARGETS, manifests: args.dist }, args.deployment);
  const manifest = fs.readFileSync(file, 'utf8');
  const state = hubUrlState(manifest, file);
  if (state.source === 'fixed') {
    console.log(`deployment ${args.deployment} has a fixed hub URL, ${state.url}, set in code: nothing to patch`);
    return;
  }

  // What is about to reach the cluster is checked before anything is written or kubectl is asked anything.
  if (args.apply) await checkAgainstApp(loadProjectApp(), args.deployment, [file], { ...DEFAULT_TARGETS, manifests: args.dist });
  const records = new HubUrlRecords(args.records);
  records.checkWritable();

  const kubectl = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec: args.requestTimeoutSec };
  if (args.address === undefined || args.apply) await checkKubectlTarget(kubectl);
  const address = args.address ?? await discoverProxyAddress({
    ...kubectl, namespace: state.namespace, timeoutSec, firstDelayMs: intervalSec * 1000, onProgress: line => process.stderr.write(`${line}\n`),
  });
  if (args.address === undefined) checkProxyAddress(address, 'the address of Service proxy-public');
  const url = hubUrlForAddress(address, args.scheme);

  // The record and the manifest change together or not at all: a manifest patched without its record would be
  // reverted silently by the next synth.
  const patch = patchHubUrl(manifest, url, file);
  const recordFile = records.fileFor(args.deployment);
  const recordChanged = records.load(args.deployment) !== url;
  if (recordChanged) records.createFolder();
  replaceFilesTogether([
    ...(recordChanged ? [{ target: recordFile, content: records.content(url) }] : []),
    ...(patch.changed ? [{ target: file, content: patch.manifest }] : []),
  ]);
  console.log(patch.changed ? `${file}: hub URL ${url} (was ${state.url || 'pending'})` : `${file}: hub URL ${url} already`);
  if (recordChanged) console.log(`recorded ${url} in ${recordFile}: commit it, so the next synth keeps the URL`);

  if (args.apply) {
    const result = await runKubectl(kubectl, ['apply', '--filename', file]);
    process.stdout.write(result.stdout);
    if (result.status !== 0) throw kubectlError(`kubectl apply --filename ${file}`, result.stderr, kubectl);
    await waitForRollouts({ ...kubectl, timeoutSec, onProgress: line => process.stderr.write(`${line}\n`) }, [{ resource: 'deployment', name: 'binder', namespace: state.namespace }]);
  }
});
