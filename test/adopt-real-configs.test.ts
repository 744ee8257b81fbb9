import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import {
  AdoptionComparison, adoptedModuleText, adoptedProps, adoptedSecrets, adoptionReport, BinderHub, ChartSource, formatAdoptionComparison, HubUrlRecords,
  planAdoption, readValuesLayers, renderAdoptionComparison, SecretStore, stringifyManifests,
} from '../lib/internal';
import { defineAdopted, fixture, guideFiles } from './adopt-fixtures';
import { configErrorMessage, exampleWorkspace } from './helpers';
import { describeWithRealChart } from './real-chart';
import { fakeServiceAccountKey } from './registry-inputs';

/**
 * Real configurations nobody here wrote, each adopted as one `npm run adopt` would adopt it (without edits), its module
 * type-checked and synthesized with the real chart, and compared with helm template of the same files: mybinder.org's
 * clusters (its values' `binderhub:` subtree, a cluster's, stand-ins for its encrypted secrets), binderhub's own CI
 * values, and the guide's HTTPS and authentication sections. The inputs are reduced excerpts in our own words
 * (test/fixtures/adopt/real/, each naming where its shape comes from).
 */
const real = (file: string) => fixture(`real/${file}`);
const ROOT = path.join(__dirname, '..');

/** The staging cluster's stand-in secrets: an Artifact Registry service-account key, made here (no key material in the repository). */
const STAGING_KEY = fakeServiceAccountKey('binder-staging-123');

/** Every secret value the inputs hold: none may be in a module, the report or the comparison's lines. */
const INPUT_SECRETS = [
  STAGING_KEY, ...['5f4201', '0f4201', '4e7201'].flatMap(hex => [`${hex}01`.repeat(8), `${hex}02`.repeat(8)]),
  'fake-ovh2-harbor-robot-secret-7305', 'fake-hetzner-registry-password-6618',
  'ghp_FAKEmybinderstaging00000000000006', 'ghp_FAKEmybinderovh200000000000000007', 'ghp_FAKEmybinderhetzner0000000000008',
  'ghp_FAKEbinderhubci000000000000000009', 'fake-adopt-oauth-client-secret-4409',
  'fake-dockerhub-access-token-5521', 'ghp_FAKEdockerhubguide000000000000001', ...['01', '02'].map(n => `d0c4e2${n}`.repeat(8)),
];

/** Writes the staging cluster's stand-in secrets file into `dir`, shaped like mybinder's secrets/config/staging.yaml. */
function stagingSecrets(dir: string): string {
  const file = path.join(dir, 'secrets-staging.yaml');
  fs.writeFileSync(file, [
    '# A stand-in for the binderhub: subtree of mybinder\'s encrypted secrets/config/staging.yaml: tokens, the registry\'s key, a GitHub token.',
    'jupyterhub:',
    `  hub: {services: {binder: {apiToken: "${'5f420102'.repeat(8)}"}}}`,
    `  proxy: {secretToken: "${'5f420101'.repeat(8)}"}`,
    'registry:',
    '  username: _json_key',
    `  password: ${JSON.stringify(STAGING_KEY)}`,
    'config: {GitHubRepoProvider: {access_token: ghp_FAKEmybinderstaging00000000000006}}',
    '',
  ].join('\n'));
  return file;
}

/** One real configuration: its values files in helm's order. */
interface RealConfig {
  readonly name: string;
  readonly files: (dir: string) => string[];
}

const mybinder = (cluster: string, secrets: (dir: string) => string) => (dir: string) =>
  [real('mybinder/values.yaml'), real(`mybinder/${cluster}.yaml`), secrets(dir)];

const CONFIGS: RealConfig[] = [
  { name: 'mybinder-staging', files: mybinder('staging', stagingSecrets) },
  { name: 'mybinder-ovh2', files: mybinder('ovh2', () => real('mybinder/secrets-ovh2.yaml')) },
  { name: 'mybinder-hetzner', files: mybinder('hetzner', () => real('mybinder/secrets-hetzner.yaml')) },
  { name: 'binderhub-ci', files: () => ['chart-config', 'dind', 'set'].map(f => real(`binderhub-ci/${f}.yaml`)) },
  {
    name: 'guide-auth',
    files: dir => [...guideFiles('dockerhub', dir), fixture('guide-https/config.yaml'), real('guide-auth/config.yaml')],
  },
  {
    // The same with who may log in filled in (ours): the settings become the auth prop.
    name: 'guide-auth-github',
    files: dir => [...guideFiles('dockerhub', dir), fixture('guide-https/config.yaml'), real('guide-auth/config.yaml'), fixture('guide-auth-organization.yaml')],
  },
];

/** A difference as the table names it. */
const named = (d: AdoptionComparison['review'][number]) =>
  d.type === 'setting' ? `${d.id} ${d.setting.path}` : d.type === 'key' ? `${d.id} key ${d.key.key}` : d.type === 'field' ? `${d.id} ${d.field.path}` : `${d.id} ${d.type}`;

/** Fails if `text` holds any input secret, plain or base64. */
function expectNoInputSecret(text: string): void {
  for (const secret of INPUT_SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
  expect(text).not.toContain('PRIVATE KEY');
}

describeWithRealChart('real configurations adopted on the first try', chart => {
  const dir = exampleWorkspace('adopt-real-configs-');
  const modules: string[] = [];

  test.each(CONFIGS.map(c => [c.name, c] as const))('%s: adopted without edits, its module synthesizes what was compared, and nothing to review', (name, config) => {
    const files = config.files(dir);
    const plan = planAdoption(name, readValuesLayers(files));
    const secrets = adoptedSecrets(plan);
    const out = path.join(dir, `${name}.ts`);
    const moduleText = adoptedModuleText(plan, files, `${name}.ts`);
    fs.mkdirSync(path.join(dir, 'secrets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'secrets', `${name}.json`), secrets.content, { mode: 0o600 });
    fs.writeFileSync(out, moduleText);
    modules.push(out);
    // As the command records a hub URL it found (binderhub's CI sets one on localhost).
    if (plan.hubUrl?.kind === 'discovered') new HubUrlRecords(path.join(dir, 'hub-urls')).save(name, plan.hubUrl.url);

    const result = renderAdoptionComparison({
      plan, secrets: { tokens: secrets.tokens, credentials: plan.credentials }, generatedTokens: secrets.generated, clusterTokens: {}, files,
      chart: ChartSource.local(chart),
    });
    if ('unavailable' in result) throw new Error(result.unavailable);
    const report = adoptionReport(plan, { secretsFile: `secrets/${name}.json`, out, modulePath: `${name}.ts`, generated: secrets.generated, fromCluster: [] });
    const shown = formatAdoptionComparison(result.comparison, `dist-secrets/${name}-secrets.k8s.yaml`, true);
    // Every difference is on purpose (with its reason) or a token adopt generated: none is left to review.
    expect(result.comparison.review.map(named)).toEqual([]);
    expectNoInputSecret(moduleText);
    expectNoInputSecret(report.join('\n'));
    expectNoInputSecret(shown.join('\n'));

    // The written module synthesizes what the command compared.
    const ours = defineAdopted(out, dir, chart);
    const app = new App();
    const same = new BinderHub(app, name, adoptedProps(plan, new SecretStore(path.join(dir, 'secrets')).load(name), ChartSource.local(chart)));
    expect([...same.toJson(), ...app.charts.filter(c => c !== same).flatMap(c => c.toJson())]).toEqual([...ours.objects, ...ours.secrets]);
    // The synth writes them exactly as cdk8s would.
    for (const chart of app.charts) expect(stringifyManifests(...chart.toJson())).toBe(Yaml.stringify(...chart.toJson()));
  }, 60_000);

  test('the guide\'s login with who may log in is Auth.github, its client secret the credential oauthClientSecret; without, it stays in chartValues', () => {
    const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    expect(text('guide-auth-github.ts')).toContain('auth: Auth.github({ clientId: "fake-adopt-oauth-client-id", allowedOrganizations: [');
    expect(text('guide-auth-github.ts')).not.toContain('chartValues');
    expect(JSON.parse(text('secrets/guide-auth-github.json')).credentials.oauthClientSecret).toBe('fake-adopt-oauth-client-secret-4409');
    expect(text('guide-auth.ts')).not.toContain('auth: Auth.');
    expect(text('guide-auth.ts')).toContain('jupyterhub.hub.config.Authenticator: no allowed_users, admin_users, allowed_organizations or allow_all');
  });

  test('the written modules type-check against the library\'s public API', () => {
    expect(modules).toHaveLength(CONFIGS.length);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        noEmit: true, strict: true, noUnusedLocals: true, esModuleInterop: true, skipLibCheck: true, target: 'ES2022', module: 'commonjs',
        types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')], paths: { 'binderhub-cdk8s': [path.join(ROOT, 'lib', 'index.ts')] },
      },
      files: modules,
    }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  test('gesis\' layout (binder and the hub on one host, the hub under a path) stays refused, naming the setting', () => {
    expect(configErrorMessage(() => planAdoption('gesis', readValuesLayers([real('gesis/secret.yaml'), real('gesis/config.yaml')])))).toBe('ingress.hosts[0] and jupyterhub.ingress.hosts[0] are both "notebooks.example.org"; the ingress prop routes each host to one of BinderHub and '
      + 'JupyterHub: list it once');
  });
});
