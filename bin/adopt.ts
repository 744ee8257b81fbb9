/**
 * `npm run adopt -- --name <deployment> --secret secret.yaml --config config.yaml [-f more.yaml ...] [--out <file>.ts] [--force]`
 *
 * Turns the guide's values files (either layout) into secrets/<name>.json and a TypeScript module that defines the
 * deployment with the typed props. See --help and README "Adopting an existing BinderHub".
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AdoptedFile, AdoptionComparisonResult, AdoptionRenderInputs, adoptedModuleText, adoptedSecrets, AdoptionPlan, BinderHubTokenValues, chartSourceFromEnvironment, checkAdoptTarget,
  checkDnsLabel, checkKubectlTarget, checkModuleTarget, ConfigError, DEFAULT_TARGETS, deploymentFiles, formatAdoptionComparison, HubUrlRecords, parseCliArgs, planAdoption,
  readClusterTokens, readValuesLayers, redact, renderAdoptionComparison, requestTimeoutSeconds, runMain, SecretStore, toolPath, withClusterTokens, writeAdoptedFiles,
} from '../lib';
import { EXAMPLE_DEPLOYMENTS, EXAMPLE_NAMESPACES } from '../main';

const USAGE = `usage: npm run adopt -- --name <deployment> --secret secret.yaml --config config.yaml [-f more.yaml ...] [--out <file>.ts] [--force]
                        [--namespace <ns>] [--release <name>] [--from-cluster [--context <ctx>] [--kubeconfig <file>] [--request-timeout <s>]] [--no-compare]

Reads the guide's values files (today's layout or the 2019 one), merged as helm merges -f files: in the order
given, later wins, maps merge, lists are replaced. Writes:
  secrets/<name>.json     the tokens found (the missing ones generated) and the registry, GitHub, GitLab credentials (mode 0600)
  deployments/<name>.ts   defineDeployment(scope, inputs): the typed props (or --out <file>.ts)
  hub-urls/<name>.url     a hand-set hub URL that is no https DNS name, for the next synth
Settings replaced or not carried over are listed, here and in the module. Nothing is overwritten without --force,
and the files are written all or none.
Then it shows what switching changes: a synth of the module against helm template of the same files with the same
chart (BINDERHUB_CHART, else the pinned public chart), object by object, the differences on purpose marked as such.

  --name <deployment>   the deployment's name (construct id, release name, namespace)
  --secret <file>       the guide's secret.yaml   } any number of each, merged in the order given
  --config <file>       the guide's config.yaml   }
  -f, --values <file>   more values files         }
  --out <file>.ts       where the module goes, inside the project folder (default: deployments/<name>.ts)
  --force               replace existing files of that name (of modules, only those adopt wrote)
  --no-compare          skip the comparison with helm template (it needs the chart: BINDERHUB_CHART or the network)
  --namespace <ns>      the live release's namespace (default: --name); the module keeps it
  --release <name>      the live release's name (default: --name); the module keeps it
  --from-cluster        also read the live release's Secret hub (kubectl, read only): the tokens the values files
                        lack, such as the chart-minted cookieSecret and CryptKeeper key, so users stay signed in
  --context <ctx>, --kubeconfig <file>   which cluster kubectl reads (default: kubectl's own)
  --request-timeout <seconds>   how long the API server may take to answer one request, at most 3600 (default: 30)
  --help                this text`;

runMain(async () => {
  const { values: args, tokens } = parseCliArgs({
    tokens: true,
    options: {
      name: { type: 'string' }, secret: { type: 'string', multiple: true }, config: { type: 'string', multiple: true },
      values: { type: 'string', short: 'f', multiple: true }, out: { type: 'string' }, force: { type: 'boolean', default: false },
      'no-compare': { type: 'boolean', default: false },
      'from-cluster': { type: 'boolean', default: false }, namespace: { type: 'string' }, release: { type: 'string' },
      context: { type: 'string' }, kubeconfig: { type: 'string' }, 'request-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!args.name) throw new ConfigError('--name is required: the deployment\'s name, such as binderhub; see --help');
  checkDnsLabel('--name', args.name);
  const files = tokens.flatMap(t => t.kind === 'option' && ['secret', 'config', 'values'].includes(t.name) && t.value !== undefined ? [t.value] : []);
  if (files.length === 0) throw new ConfigError('give the values files: --secret secret.yaml --config config.yaml (and -f for more); see --help');
  const out = args.out ?? path.join('deployments', `${args.name}.ts`);

  const clusterOptions = [args.context, args.kubeconfig, args['request-timeout']].some(v => v !== undefined);
  if (clusterOptions && !args['from-cluster']) throw new ConfigError('--context, --kubeconfig and --request-timeout go with --from-cluster; see --help');
  const requestTimeoutSec = requestTimeoutSeconds(args['request-timeout']);
  if (args.namespace !== undefined) checkDnsLabel('--namespace', args.namespace);
  if (args.release !== undefined) checkDnsLabel('--release', args.release, 53);
  checkExampleCollision(args.name, args.release ?? args.name, args.namespace ?? args.name);
  const store = new SecretStore('secrets');
  const secretsFile = store.fileFor(args.name);
  checkAdoptTarget(secretsFile, args.force);
  // The working directory is the project's folder (npm run runs there): modules go nowhere else.
  const moduleFile = checkModuleTarget(out, '.', args.force);
  let plan = planAdoption(args.name, readValuesLayers(files), { releaseName: args.release, namespace: args.namespace });
  let fromCluster: Array<keyof BinderHubTokenValues> = [];
  let cluster: Partial<BinderHubTokenValues> = {};
  if (args['from-cluster']) {
    const kubectl = { kubectl: toolPath('kubectl'), kubeconfig: args.kubeconfig, context: args.context, requestTimeoutSec };
    await checkKubectlTarget(kubectl);
    cluster = await readClusterTokens({ ...kubectl, namespace: args.namespace ?? args.name, release: args.release ?? args.name });
    ({ plan, fromCluster } = withClusterTokens(plan, cluster));
  }
  const records = new HubUrlRecords('hub-urls');
  const record = plan.hubUrl?.kind === 'discovered' ? records.fileFor(args.name) : undefined;
  if (record) checkAdoptTarget(record, args.force);

  const secrets = adoptedSecrets(plan);
  const moduleText = adoptedModuleText(plan, files, libImportFor(moduleFile));
  const comparison = args['no-compare'] ? undefined : compare({
    plan, secrets: { tokens: secrets.tokens, credentials: plan.credentials }, generatedTokens: secrets.generated,
    clusterTokens: Object.fromEntries(fromCluster.map(token => [token, cluster[token]])), files,
  });
  const written: AdoptedFile[] = [{ target: secretsFile, content: secrets.content, secret: true }, { target: moduleFile, content: moduleText }];
  if (record) written.push({ target: record, content: records.content(plan.hubUrl!.url) });
  writeAdoptedFiles(written, args.force);
  report(plan, { secretsFile, out, record, generated: secrets.generated, fromCluster });
  if (comparison) showComparison(comparison, out, plan.name);
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

/**
 * Fails if the adopted deployment would collide with one that main.ts defines: its name (the construct id and secrets
 * file), its release name (cluster-wide objects carry it) or its namespace (the jupyterhub chart's objects carry no
 * prefix).
 */
function checkExampleCollision(name: string, release: string, namespace: string): void {
  for (const other of EXAMPLE_DEPLOYMENTS) {
    const theirs = `of main.ts's deployment "${other}"; pick another, or take "${other}" out of main.ts first`;
    if (name === other) throw new ConfigError(`--name ${name} is the name ${theirs}`);
    if (release === other) throw new ConfigError(`release ${release} (--release, default --name) is the release name ${theirs}: cluster-wide objects such as ClusterRole ${release}-image-cleaner would collide`);
    if (namespace === EXAMPLE_NAMESPACES[other]) {
      throw new ConfigError(`namespace ${namespace} (--namespace, default --name) is the namespace ${theirs}: the jupyterhub chart's objects carry no release prefix`);
    }
  }
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
