/**
 * `npm run check-dist`: fails when dist/ (or dist-secrets/) differs from a fresh synth of the example, when dist/
 * holds plaintext Secret data that no deployment chose (SecretsMode.inline()), or when the output is not
 * apply-ready. The fresh synth goes to a temporary folder; nothing under dist/ is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CHECK_DIST_USAGE, checkManifests, DEFAULT_TARGETS, diffDeployments, foreignCiphertextProblem, formatDeploymentDiffs, helpOnly, knownKindChecker, ManifestFileError,
  ManifestObject, parseManifest, PlannedFile, plannedFiles, publishedFiles, publishedFolderProblems, redact, runMain, secretDataProblems, styleFor,
  secretsFilesOf, synthesizeApp, loadProjectApp, unfinishedInputs,
} from '../lib/internal';

runMain(async () => {
  if (helpOnly(CHECK_DIST_USAGE)) return;
  const problems = await synthesizeApp(loadProjectApp()).then(synthesized => {
    const { files, deployments } = synthesized;
    const found = publishedFolderProblems(DEFAULT_TARGETS);
    // The example's stand-ins are expected where it runs in CI: warned about, not failed on (npm run apply refuses them).
    const unfinished = new Set(deployments.flatMap(d => unfinishedInputs(d, secretsFilesOf(synthesized, d.node.id))));
    for (const line of unfinished) console.error(`warning: ${line}`);
    // Each published file is read once, then compared, parsed and checked.
    const published = new Map(publishedFiles(DEFAULT_TARGETS).map(file => [file, fs.readFileSync(file)]));
    const planned = plannedFiles(files, DEFAULT_TARGETS);
    for (const { target, content } of planned) {
      const current = published.get(target);
      if (!current) {
        found.push(`${target} is missing: run \`npm run synth\``);
      } else if (!current.equals(content)) {
        found.push(`${target} differs from a fresh synth: run \`npm run synth\` and commit the result`);
      }
    }
    const plannedTargets = new Set(planned.map(file => file.target));
    for (const file of [...published.keys()].filter(f => !plannedTargets.has(f))) {
      found.push(`${file} is not produced by the synth any more: run \`npm run synth\` (it removes it)`);
    }
    if (found.length > 0) printDiff(published, planned);
    const objects = new Map<string, ManifestObject[]>();
    for (const [file, content] of published) {
      try {
        objects.set(file, parseManifest(content.toString('utf8'), file));
      } catch (error) {
        if (!(error instanceof ManifestFileError)) throw error;
        found.push(error.message); // the file's other checks need its objects: a fresh synth is the fix
      }
    }
    const manifests = new Map([...objects].filter(([file]) => path.dirname(file) === DEFAULT_TARGETS.manifests));
    found.push(...secretDataProblems(manifests, new Map(deployments.map(d => [d.node.id, d.secretsMode]))));
    for (const deployment of deployments) {
      found.push(...deployment.foreignCiphertexts.map(entry => `${foreignCiphertextProblem(entry)}: run \`npm run synth\` to seal it anew, and find out who changed it`));
    }
    found.push(...checkManifests([...objects.values()].flat(), { isKnownKind: knownKindChecker() }));
    return found;
  });
  for (const problem of problems) console.error(`problem: ${problem}`);
  if (problems.length > 0) {
    process.exitCode = 1;
    console.error(`check-dist: ${problems.length} problem(s)`);
  } else {
    console.log(`check-dist: ${DEFAULT_TARGETS.manifests}/ and ${DEFAULT_TARGETS.secrets}/ match a fresh synth, hold no Secret data they should not, and are apply-ready`);
  }
});

/**
 * Prints, on stderr, what a fresh synth changes, as `npm run diff` shows it (Secret values masked). A file that does
 * not parse leaves the diff out: check-dist names that file as a problem of its own.
 */
function printDiff(published: ReadonlyMap<string, Buffer>, planned: PlannedFile[]): void {
  const texts = (files: Iterable<[string, Buffer]>) => new Map([...files].map(([file, content]) => [file, content.toString('utf8')]));
  try {
    const diffs = diffDeployments(texts(published), texts(planned.map(file => [file.target, file.content])), DEFAULT_TARGETS);
    const lines = formatDeploymentDiffs(diffs, styleFor(process.stderr));
    if (lines.length > 0) console.error(['what a fresh synth changes (npm run diff):', ...lines].map(redact).join('\n'));
  } catch (error) {
    if (!(error instanceof ManifestFileError)) throw error;
  }
}
