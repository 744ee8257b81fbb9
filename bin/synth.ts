/**
 * `npm run synth` (and `cdk8s synth`): synthesizes the deployments that main.ts describes and publishes them into
 * dist/ and dist-secrets/, each file replaced atomically.
 */
import { placeholderWarnings, synthesizeExample } from '../main';
import { DEFAULT_TARGETS, foreignCiphertextProblem, helpOnly, publishManifests, runMain, SecretStore } from '../lib';

runMain(() => {
  if (helpOnly('usage: npm run synth (or cdk8s synth): synthesizes the deployments of main.ts into dist/ and dist-secrets/')) return;
  // cdk8s synth passes its own staging folder in CDK8S_OUTDIR; the app publishes from there to dist/.
  synthesizeExample((staging, deployments, inputs) => {
    for (const file of inputs.unreadablePrevious ?? []) {
      console.warn(`warning: ${file}: ignored, so its sealed values are sealed anew; this synth writes the file again`);
    }
    const result = publishManifests(staging, DEFAULT_TARGETS);
    for (const file of result.written) console.log(`wrote ${file}`);
    for (const file of result.unchanged) console.log(`unchanged ${file}`);
    for (const file of result.removed) console.log(`removed ${file}`);
    for (const deployment of deployments) {
      for (const entry of deployment.foreignCiphertexts) console.warn(`warning: ${foreignCiphertextProblem(entry)}; sealed anew`);
      for (const hook of deployment.helmChart.droppedHooks) {
        console.log(`left out ${hook.kind}/${hook.name} of ${deployment.node.id} (helm.sh/hook: ${hook.hook}): ${hook.reason}`);
      }
    }
  }, process.env.CDK8S_OUTDIR);
  for (const warning of placeholderWarnings(new SecretStore('secrets'))) console.warn(warning);
});
