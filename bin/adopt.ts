/**
 * `npm run adopt -- --name <deployment> --secret secret.yaml --config config.yaml [-f more.yaml ...] [--out <file>.ts] [--force]`
 *
 * Turns the guide's values files (either layout) into secrets/<name>.json and a TypeScript module that defines the
 * deployment with the typed props. See --help and docs/adopt.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ADOPT_USAGE, AdoptedFile, AdoptionComparisonResult, AdoptionRenderInputs, adoptedModuleText, adoptedSecrets, adoptionReport, BinderHubTokenValues,
  chartSourceFromEnvironment, checkAdoptTarget, discoverApp, loadProjectApp, checkKubectlTarget, checkModuleTarget, ConfigError, DEFAULT_TARGETS, deploymentFiles,
  formatAdoptionComparison, HubUrlRecords, parseAdoptArgs, planAdoption, readAdoptedValues, readClusterTokens, redact, renderAdoptionComparison, runMain,
  SecretStore, toolPath, withClusterTokens, writeAdoptedFiles,
} from '../lib/internal';

runMain(async () => {
  const args = parseAdoptArgs(process.argv.slice(2), () => {
    const defined = discoverApp(loadProjectApp()).deployments;
    return { names: defined.map(d => d.name), namespaces: Object.fromEntries(defined.map(d => [d.name, d.namespace])) };
  });
  if (args === 'help') {
    console.log(ADOPT_USAGE);
    return;
  }
  const store = new SecretStore('secrets');
  store.checkFolder();
  const secretsFile = store.fileFor(args.name);
  checkAdoptTarget(secretsFile, args.force);
  // The working directory is the project's folder (npm run runs there): modules go nowhere else.
  const moduleFile = checkModuleTarget(args.out, '.', args.force);
  const modulePath = path.relative(fs.realpathSync('.'), moduleFile);
  const { values, fromSecretFiles } = readAdoptedValues(args.files, args.secretFiles);
  let plan = planAdoption(args.name, values, { releaseName: args.release, namespace: args.namespace }, fromSecretFiles);
  let fromCluster: Array<keyof BinderHubTokenValues> = [];
  let cluster: Partial<BinderHubTokenValues> = {};
  if (args.fromCluster) {
    const kubectl = { kubectl: toolPath('kubectl'), ...args.fromCluster };
    await checkKubectlTarget(kubectl);
    cluster = await readClusterTokens({ ...kubectl, namespace: args.namespace ?? args.name, release: args.release ?? args.name });
    ({ plan, fromCluster } = withClusterTokens(plan, cluster));
  }
  const records = new HubUrlRecords('hub-urls');
  const record = plan.hubUrl?.kind === 'discovered' ? records.fileFor(args.name) : undefined;
  if (record) checkAdoptTarget(record, args.force);

  const secrets = adoptedSecrets(plan);
  const moduleText = adoptedModuleText(plan, args.files, modulePath);
  const comparison = args.compare ? compare({
    plan, secrets: { tokens: secrets.tokens, credentials: plan.credentials }, generatedTokens: secrets.generated,
    clusterTokens: Object.fromEntries(fromCluster.map(token => [token, cluster[token]])), files: args.files,
  }) : undefined;
  const written: AdoptedFile[] = [{ target: secretsFile, content: secrets.content, secret: true }, { target: moduleFile, content: moduleText }];
  if (record) written.push({ target: record, content: records.content(plan.hubUrl!.url) });
  writeAdoptedFiles(written, args.force);
  for (const line of adoptionReport(plan, { secretsFile, out: args.out, modulePath, record, generated: secrets.generated, fromCluster })) console.log(line);
  if (comparison) showComparison(comparison, args.out, plan.name, args.all);
});

/**
 * Renders the comparison before anything is written: a deployment that cannot be synthesized (a chart that cannot be
 * reached, values it refuses) fails here, with the way to write the files anyway.
 */
function compare(inputs: Omit<AdoptionRenderInputs, 'chart'>): AdoptionComparisonResult {
  try {
    return renderAdoptionComparison({ ...inputs, chart: chartSourceFromEnvironment() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${error.message} (while synthesizing the adopted deployment to compare it with helm; --no-compare writes the files without comparing)`);
  }
}

/** What switching changes (every difference, with `all`), or why helm's side could not be rendered; Secret values are never among it. */
function showComparison(result: AdoptionComparisonResult, out: string, name: string, all: boolean): void {
  if ('unavailable' in result) {
    console.log(`no comparison with helm: ${result.rendered} failed: ${result.unavailable}`);
    return;
  }
  console.log(`what switching changes: a synth of ${out} against ${result.rendered}:`);
  // Values of Secrets are left out by construction; redact() is a second guard for the tokens this process knows.
  for (const line of formatAdoptionComparison(result.comparison, deploymentFiles(DEFAULT_TARGETS, name).secrets, all)) console.log(redact(`  ${line}`));
}
