/**
 * `npm run diff [-- --deployment <name>...] [--against <git-ref>]`: what a fresh synth of main.ts would change, object
 * by object, against the committed dist/ and dist-secrets/, or against dist/ at a git ref (what a pull request
 * changes). The synth stays in memory; no file is written or changed (an interrupted publish is named, not completed).
 * Secret values are never shown.
 * `--live`: what applying dist/ and dist-secrets/ would change in the cluster (`kubectl diff`, as `npm run apply` would apply them).
 * Exits 0 when nothing changes, 1 when something does, 2 on an error.
 */
import {
  checkKubectlTarget, checkPrivateFolder, ConfigError, DEFAULT_TARGETS, DeploymentDiff, DiffOptions, DIFF_USAGE,
  diffDeployments, diffSummary, formatDeploymentDiffs, isEmptyDiff, kubectlLiveDiff, KubectlOptions,
  manifestTextsAtRef, parseDiffArgs, plannedFiles, publishedDeployments, publishedFolderProblems, readApplyPlan, readPublishedTexts, redact, runMain,
  styleFor, synthesizeApp, loadProjectApp, toolPath,
} from '../lib/internal';

runMain(async () => {
  const values = parseDiffArgs(process.argv.slice(2));
  if (values === 'help') {
    console.log(DIFF_USAGE);
    return;
  }
  // --live has kubectl write its copies of the live objects (a Secret's last-applied annotation holds its values) into
  // dist-secrets/: refused where git may commit them, as the commands that write there refuse it.
  if (values.live) checkPrivateFolder(DEFAULT_TARGETS.secrets, { manifests: DEFAULT_TARGETS.manifests });
  // A review changes no file: an interrupted publish is named, not completed, and the folders are shown as they stand.
  for (const problem of publishedFolderProblems(DEFAULT_TARGETS)) console.error(`warning: ${problem}`);
  if (values.live) {
    const which = values.deployment.length > 0 ? values.deployment.join(', ') : 'every deployment';
    report(await liveDiffs(values), `the cluster matches dist/ and dist-secrets/ of ${which}`, `applying ${which} to the cluster`);
    return;
  }
  const against = values.against;
  // Read first, so a ref that is not there fails before the synth.
  const before = against === undefined ? undefined : manifestTextsAtRef(against, DEFAULT_TARGETS.manifests);
  const diffs = await synthesizeApp(loadProjectApp()).then(({ files }) => {
    // dist-secrets/ is git-ignored: against a ref, only dist/ is compared.
    const after = new Map(plannedFiles(files, DEFAULT_TARGETS).filter(file => before === undefined || !file.secret)
      .map(file => [file.target, file.content.toString('utf8')]));
    return diffDeployments(before ?? readPublishedTexts(DEFAULT_TARGETS), after, DEFAULT_TARGETS, values.deployment);
  });
  const what = against === undefined ? `${DEFAULT_TARGETS.manifests}/ and ${DEFAULT_TARGETS.secrets}/` : `${DEFAULT_TARGETS.manifests}/ at ${against}`;
  const which = values.deployment.length > 0 ? values.deployment.join(', ') : 'every deployment';
  report(diffs, `a fresh synth of ${which} matches ${what}`, `a fresh synth of ${which} against ${what}`);
}, 2);

/**
 * Prints the diffs and sets the exit status: `no changes: <unchanged>` and 0 when nothing changes, else the diff,
 * `<changed>: <counts>` and 1.
 */
function report(diffs: DeploymentDiff[], unchanged: string, changed: string): void {
  if (diffs.every(d => isEmptyDiff(d.diff))) {
    console.log(`no changes: ${unchanged}`);
    return;
  }
  // Values are masked by construction; redact() is a second guard for the tokens this process knows.
  for (const line of formatDeploymentDiffs(diffs, styleFor(process.stdout))) console.log(redact(line));
  console.log(`${changed}: ${diffSummary(diffs)}`);
  process.exitCode = 1;
}

/** `kubectl diff` of each deployment's files in dist/ (all of them, or those named) against the cluster. */
async function liveDiffs(values: DiffOptions): Promise<DeploymentDiff[]> {
  const known = publishedDeployments(DEFAULT_TARGETS);
  const unknown = values.deployment.filter(name => !known.includes(name));
  if (unknown.length > 0 || known.length === 0) {
    throw new ConfigError(`${unknown.length > 0 ? `--deployment ${unknown[0]}: no such deployment in ${DEFAULT_TARGETS.manifests}/` : `${DEFAULT_TARGETS.manifests}/ holds no deployment`}; `
      + `run \`npm run synth\` first${known.length > 0 ? ` or name one of ${known.join(', ')}` : ''}`);
  }
  const kubectl: KubectlOptions = { kubectl: toolPath('kubectl'), context: values.context, kubeconfig: values.kubeconfig, requestTimeoutSec: values.requestTimeoutSec };
  // Every deployment's files are read and checked before kubectl is asked anything.
  const plans = (values.deployment.length > 0 ? values.deployment : known)
    .map(deployment => ({ deployment, plan: readApplyPlan(DEFAULT_TARGETS, deployment, values.prune === true) }));
  await checkKubectlTarget(kubectl);
  const diffs: DeploymentDiff[] = [];
  for (const { deployment, plan } of plans) {
    diffs.push({ deployment, diff: await kubectlLiveDiff({ ...kubectl, secretsFolder: DEFAULT_TARGETS.secrets, prune: values.prune }, plan.command, plan.objects) });
  }
  return diffs;
}
