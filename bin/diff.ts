/**
 * `npm run diff [-- --deployment <name>...] [--against <git-ref>]`: what a fresh synth of main.ts would change, object
 * by object, against the committed dist/ and dist-secrets/, or against dist/ at a git ref (what a pull request
 * changes). The synth stays in memory; nothing under dist/ or dist-secrets/ is written. Secret values are never shown.
 * Exits 0 when nothing changes, 1 when something does, 2 on an error.
 */
import { synthesizeExample } from '../main';
import {
  DEFAULT_TARGETS, diffDeployments, diffSummary, formatDeploymentDiffs, isEmptyDiff, manifestTextsAtRef, parseCliArgs, plannedFiles,
  readPublishedTexts, redact, runMain, styleFor,
} from '../lib';

const USAGE = 'usage: npm run diff [-- --deployment <name>...] [--against <git-ref>]: shows what a fresh synth changes against '
  + 'dist/ and dist-secrets/ (or against dist/ at <git-ref>), object by object, Secret values masked; exits 0 when nothing '
  + 'changes, 1 when something does, 2 on an error';

runMain(async () => {
  const { values } = parseCliArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      deployment: { type: 'string', multiple: true, default: [] },
      against: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const against = values.against;
  // Read first, so a ref that is not there fails before the synth.
  const before = against === undefined ? undefined : manifestTextsAtRef(against, DEFAULT_TARGETS.manifests);
  const diffs = await synthesizeExample(files => {
    // dist-secrets/ is git-ignored: against a ref, only dist/ is compared.
    const after = new Map(plannedFiles(files, DEFAULT_TARGETS).filter(file => before === undefined || !file.secret)
      .map(file => [file.target, file.content.toString('utf8')]));
    return diffDeployments(before ?? readPublishedTexts(DEFAULT_TARGETS), after, DEFAULT_TARGETS, values.deployment);
  });
  const what = against === undefined ? `${DEFAULT_TARGETS.manifests}/ and ${DEFAULT_TARGETS.secrets}/` : `${DEFAULT_TARGETS.manifests}/ at ${against}`;
  const which = values.deployment.length > 0 ? values.deployment.join(', ') : 'every deployment';
  if (diffs.every(d => isEmptyDiff(d.diff))) {
    console.log(`no changes: a fresh synth of ${which} matches ${what}`);
    return;
  }
  // Values are masked by construction; redact() is a second guard for the tokens this process knows.
  for (const line of formatDeploymentDiffs(diffs, styleFor(process.stdout))) console.log(redact(line));
  console.log(`a fresh synth of ${which} against ${what}: ${diffSummary(diffs)}`);
  process.exitCode = 1;
}, 2);
