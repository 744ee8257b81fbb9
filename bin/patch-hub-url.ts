/**
 * `npm run patch-hub-url -- --deployment <name> [options]`: discovers the address of Service proxy-public,
 * patches it into dist/<name>.k8s.yaml as the hub URL, and records it for the next synth. See --help.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  checkDnsLabel, checkKubectlTarget, checkProxyAddress, completeInterruptedPublish, ConfigError, DEFAULT_TARGETS, discoverProxyAddress, parseCliArgs, HubUrlRecords, hubUrlForAddress, hubUrlState, intervalSeconds, kubectlError, patchHubUrl, replaceFilesTogether, runKubectl, runMain, timeoutSeconds, toolPath, waitForRollouts,
} from '../lib';

const USAGE = `usage: npm run patch-hub-url -- --deployment <name> [options]

Finds the external address of Service proxy-public of the deployment's namespace, sets it as the hub URL in
dist/<name>.k8s.yaml (ConfigMap binder-hub-url and the binder pod's checksum/hub-url annotation; nothing
else changes), and records it in hub-urls/<name>.url, which the next synth reads: commit that file.

  --deployment <name>    the deployment (its manifest is <dist>/<name>.k8s.yaml)
  --dist <dir>           the synthesized manifests (default: dist)
  --address <ip|host>    use this address instead of asking the cluster (a DNS name known up front)
  --scheme http|https    the hub URL's scheme (default: http)
  --timeout <seconds>    how long to wait for the address, and for the rollout with --apply, at most 86400 (default: 600)
  --interval <seconds>   first wait between polls; it doubles up to 15 (default: 2)
  --kubeconfig <file>    kubeconfig for kubectl (default: kubectl's own: KUBECONFIG, ~/.kube/config)
  --context <name>       kubeconfig context (default: the current one)
  --records <dir>        where discovered URLs are recorded (default: hub-urls)
  --apply                kubectl apply the patched file and wait for the binder rollout
  --help                 this text`;

runMain(async () => {
  const { values: args } = parseCliArgs({
    options: {
      deployment: { type: 'string' }, dist: { type: 'string', default: 'dist' }, address: { type: 'string' },
      scheme: { type: 'string', default: 'http' }, timeout: { type: 'string', default: '600' }, interval: { type: 'string', default: '2' }, kubeconfig: { type: 'string' },
      context: { type: 'string' }, records: { type: 'string', default: 'hub-urls' }, apply: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!args.deployment) throw new ConfigError('--deployment is required; see --help');
  checkDnsLabel('--deployment', args.deployment);
  if (args.address !== undefined) checkProxyAddress(args.address);
  if (args.scheme !== 'http' && args.scheme !== 'https') throw new ConfigError(`--scheme must be http or https, got "${args.scheme}"`);
  const timeoutSec = timeoutSeconds(args.timeout!);
  const intervalSec = intervalSeconds(args.interval!);

  completeInterruptedPublish({ ...DEFAULT_TARGETS, manifests: args.dist! });
  const file = path.join(args.dist!, `${args.deployment}.k8s.yaml`);
  if (!fs.existsSync(file)) {
    throw new ConfigError(`${file} does not exist: run \`npm run synth\` first (or pass --dist)`);
  }
  const manifest = fs.readFileSync(file, 'utf8');
  const state = hubUrlState(manifest);
  if (state.source === 'fixed') {
    console.log(`deployment ${args.deployment} has a fixed hub URL, ${state.url}, set in code: nothing to patch`);
    return;
  }

  const records = new HubUrlRecords(args.records);
  records.checkWritable();

  const kubectl = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context };
  if (args.address === undefined || args.apply) await checkKubectlTarget(kubectl);
  const address = args.address ?? await discoverProxyAddress({
    ...kubectl, namespace: state.namespace, timeoutSec, firstDelayMs: intervalSec * 1000, onProgress: line => process.stderr.write(`${line}\n`),
  });
  if (args.address === undefined) checkProxyAddress(address, 'the address of Service proxy-public');
  const url = hubUrlForAddress(address, args.scheme);

  // The record and the manifest change together or not at all: a manifest patched without its record would be
  // reverted silently by the next synth.
  const patch = patchHubUrl(manifest, url);
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
