/**
 * `npm run synth` (and `cdk8s synth`): synthesizes the deployments that main.ts describes and publishes them into
 * dist/ and dist-secrets/, all or nothing.
 *
 * Under `cdk8s synth`, the CLI's folder (CDK8S_OUTDIR, build/staging in cdk8s.yaml) gets copies of the dist/ files
 * only, for the CLI to list and validate: the Secrets kept out of dist/ never land in a folder the CLI made.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  completeInterruptedPublish, DEFAULT_TARGETS, foreignCiphertextProblem, helpOnly, loadProjectApp, synthWarnings, publishedFolderProblems, publishManifests,
  runMain, synthesizeApp, SYNTH_USAGE,
} from '../lib/internal';

runMain(async () => {
  if (helpOnly(SYNTH_USAGE)) return;
  const cliFolder = process.env.CDK8S_OUTDIR || undefined;
  if (cliFolder && path.resolve(cliFolder) === path.resolve(DEFAULT_TARGETS.manifests)) {
    console.warn(`warning: cdk8s synth --output ${cliFolder} deleted that folder before this synth ran (files there that are no manifests are gone, `
      + 'and sealed values are sealed anew); leave --output out: cdk8s.yaml gives the CLI a folder of its own');
  }
  // The previous synth's files must be whole before they are read (its sealed values are kept from them).
  completeInterruptedPublish(DEFAULT_TARGETS);
  const synthesized = await synthesizeApp(loadProjectApp());
  const { files, deployments, project } = synthesized;
  for (const file of project.unreadablePrevious) {
    console.warn(`warning: ${file}: ignored, so its sealed values are sealed anew; this synth writes the file again`);
  }
  const result = publishManifests(files, DEFAULT_TARGETS);
  for (const file of result.written) console.log(`wrote ${file}`);
  for (const file of result.unchanged) console.log(`unchanged ${file}`);
  for (const file of result.removed) console.log(`removed ${file}`);
  if (cliFolder) copyManifests([...result.written, ...result.unchanged], cliFolder);
  for (const deployment of deployments) {
    for (const entry of deployment.foreignCiphertexts) console.warn(`warning: ${foreignCiphertextProblem(entry)}; sealed anew`);
    for (const hook of deployment.helmChart.droppedHooks) {
      console.log(`left out ${hook.kind}/${hook.name} of ${deployment.node.id} (helm.sh/hook: ${hook.hook}): ${hook.reason}`);
    }
  }
  for (const warning of synthWarnings(synthesized)) console.warn(warning);
  // What the publish leaves to the operator: a journal planted where git carries it (never run).
  for (const problem of publishedFolderProblems(DEFAULT_TARGETS)) console.warn(`warning: ${problem}`);
});

/** Copies the published dist/ files (never the Secrets kept apart) into the cdk8s CLI's folder. */
function copyManifests(published: string[], folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  const dist = path.resolve(DEFAULT_TARGETS.manifests);
  for (const file of published.filter(f => path.dirname(path.resolve(f)) === dist)) {
    const copy = path.join(folder, path.basename(file));
    if (path.resolve(copy) !== path.resolve(file)) fs.copyFileSync(file, copy);
  }
}
