/**
 * `npm run adopt -- --name <deployment> --secret secret.yaml --config config.yaml [-f more.yaml ...] [--out <file>.ts] [--force]`
 *
 * Turns the guide's values files (either layout) into secrets/<name>.json and a TypeScript module that defines the
 * deployment with the typed props. See --help and README "Adopting an existing BinderHub".
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ADOPT_USAGE, AdoptedFile, AdoptionComparisonResult, AdoptionRenderInputs, adoptedModuleText, adoptedSecrets, AdoptionPlan, BinderHubTokenValues,
  chartSourceFromEnvironment, checkAdoptTarget, checkKubectlTarget, checkModuleTarget, ConfigError, DEFAULT_TARGETS, deploymentFiles,
  formatAdoptionComparison, HubUrlRecords, parseAdoptArgs, planAdoption, readClusterTokens, readValuesLayers, redact, renderAdoptionComparison, runMain,
  SecretStore, toolPath, withClusterTokens, writeAdoptedFiles,
} from '../lib';
import { EXAMPLE_DEPLOYMENTS, EXAMPLE_NAMESPACES } from '../main';

runMain(async () => {
  const args = parseAdoptArgs(process.argv.slice(2), { names: EXAMPLE_DEPLOYMENTS, namespaces: EXAMPLE_NAMESPACES });
  if (args === 'help') {
    console.log(ADOPT_USAGE);
    return;
  }
  const store = new SecretStore('secrets');
  const secretsFile = store.fileFor(args.name);
  checkAdoptTarget(secretsFile, args.force);
  // The working directory is the project's folder (npm run runs there): modules go nowhere else.
  const moduleFile = checkModuleTarget(args.out, '.', args.force);
  let plan = planAdoption(args.name, readValuesLayers(args.files), { releaseName: args.release, namespace: args.namespace });
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
  const moduleText = adoptedModuleText(plan, args.files, libImportFor(moduleFile));
  const comparison = args.compare ? compare({
    plan, secrets: { tokens: secrets.tokens, credentials: plan.credentials }, generatedTokens: secrets.generated,
    clusterTokens: Object.fromEntries(fromCluster.map(token => [token, cluster[token]])), files: args.files,
  }) : undefined;
  const written: AdoptedFile[] = [{ target: secretsFile, content: secrets.content, secret: true }, { target: moduleFile, content: moduleText }];
  if (record) written.push({ target: record, content: records.content(plan.hubUrl!.url) });
  writeAdoptedFiles(written, args.force);
  report(plan, { secretsFile, out: args.out, record, generated: secrets.generated, fromCluster });
  if (comparison) showComparison(comparison, args.out, plan.name);
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

/** What switching changes, or why helm's side could not be rendered; Secret values are never among it. */
function showComparison(result: AdoptionComparisonResult, out: string, name: string): void {
  if ('unavailable' in result) {
    console.log(`no comparison with helm: ${result.rendered} failed: ${result.unavailable}`);
    return;
  }
  console.log(`what switching changes: a synth of ${out} against ${result.rendered}:`);
  // Values of Secrets are left out by construction; redact() is a second guard for the tokens this process knows.
  for (const line of formatAdoptionComparison(result.comparison, deploymentFiles(DEFAULT_TARGETS, name).secrets)) console.log(redact(`  ${line}`));
}

/** Says what was written, which tokens were generated and what was replaced; never a value of the secrets file. */
function report(plan: AdoptionPlan, written: { secretsFile: string; out: string; record?: string; generated: string[]; fromCluster: string[] }): void {
  const found = Object.keys(plan.tokens).filter(token => !written.fromCluster.includes(token));
  const credentials = Object.keys(plan.credentials);
  console.log(`wrote ${written.secretsFile} (mode 0600): tokens ${found.length ? `${found.join(', ')} from the values files` : 'none from the values files'}`
    + `${written.fromCluster.length ? `; ${written.fromCluster.join(', ')} from Secret hub of the live release` : ''}`
    + `${written.generated.length ? `; generated ${written.generated.join(', ')} (as init-secrets does)` : ''}`
    + `; credentials ${credentials.length ? credentials.join(', ') : 'none'}`);
  if (written.generated.includes('cookieSecret')) console.log('  a new cookieSecret signs users out once, when the adopted deployment is first applied');
  const location = [plan.releaseName && `release ${plan.releaseName}`, plan.namespace && `namespace ${plan.namespace}`].filter(Boolean).map(l => `${l}, `).join('');
  console.log(`wrote ${written.out}: ${location}Registry.${plan.registry.factory}, Builder.${plan.builder.factory}()${plan.ingress ? ', ingress' : ''}`
    + `${plan.hubUrl ? `, ${plan.hubUrl.kind === 'fixed' ? 'hubUrl' : 'discoveredHubUrl'}` : ''}, ${Object.keys(plan.chartValues).length} top-level chartValues`);
  if (written.record) console.log(`recorded the hub URL ${plan.hubUrl!.url} in ${written.record}: commit it, so the next synth keeps it`);
  if (plan.notes.length > 0) {
    console.log('settings replaced or not carried over (also listed in the module):');
    for (const note of plan.notes) console.log(`  - ${note.setting}: ${note.outcome}`);
  }
  console.log(`add it to the app: see defineAdopted in main.ts`);
}

/** The module specifier of this project's lib/ as seen from the module `out`. */
function libImportFor(out: string): string {
  let dir = __dirname;
  while (!isProjectRoot(dir)) {
    if (path.dirname(dir) === dir) throw new ConfigError('cannot find the binderhub-cdk8s project folder above the adopt command');
    dir = path.dirname(dir);
  }
  const relative = path.relative(path.dirname(path.resolve(out)), path.join(dir, 'lib')).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function isProjectRoot(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === 'binderhub-cdk8s';
}
