import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { AdoptedDeploymentModule, BinderHub, ChartSource, DeploymentsScope, HubUrlRecords, SecretStore } from '../lib/internal';
import { fakeServiceAccountKey } from './registry-inputs';

/** The adopt fixtures: the guide's files in the 2019 layout and today's, and layers of values. */
export const ADOPT_FIXTURES = path.join(__dirname, 'fixtures', 'adopt');
export const fixture = (name: string) => path.join(ADOPT_FIXTURES, name);

/** Every fake secret value of the fixtures: none may appear in any output, error or module. */
export const FIXTURE_SECRETS = [
  ...['01', '02'].map(n => `ad0b7e${n}`.repeat(8)),
  ...['01', '02', '03', '04', '05'].map(n => `7da700${n}bd`.repeat(6) + '7da700'.slice(0, 4)),
  'adopt-fake-dockerhub-pw-7351', 'ghp_ADOPTFAKEgithubtoken0123456789', 'glpat-ADOPTFAKEgitlab98765', 'adopt-fake-harbor-pw-9142',
  // The guide's examples, one per registry section (gcr's key is made by the test, see guideGcrSecret).
  ...['9c9002', 'd0c4e2', 'ac4e02', '0e4a02', 'c05702'].flatMap(t => [`${t}01`.repeat(8), `${t}02`.repeat(8)]),
  'fake-dockerhub-access-token-5521', 'fake-acr-principal-secret-8830', 'fake-ovh-harbor-secret-4417', 'fake-custom-registry-secret-2290',
  ...['gcrguide00000000000000000002', 'dockerhubguide000000000000001', 'acrguide00000000000000000003', 'ovhguide00000000000000000004', 'customguide000000000000000005'].map(t => `ghp_FAKE${t}`),
];

/** Fails if `text` holds any fixture secret, plain or base64. */
export function expectNoFixtureSecret(text: string): void {
  expect(text).not.toContain('PRIVATE KEY');
  for (const secret of [...FIXTURE_SECRETS, GCR_GUIDE_KEY]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}

/** The guide's two files, 2019 layout (Docker Hub, dind, GitHub, hand-set hub URL). */
export const LEGACY = [fixture('guide-2019/secret.yaml'), fixture('guide-2019/config.yaml')];
/** Today's layout (OVH Harbor, pink, ingress, GitLab, every token). */
export const TODAY = [fixture('today/secret.yaml'), fixture('today/config.yaml')];

/** The guide's examples with a GitHub token and DinD, one per registry section of "Set up BinderHub". */
export const GUIDES = ['gcr', 'dockerhub', 'acr', 'ovh', 'custom'] as const;
export type Guide = typeof GUIDES[number];
/** The service-account key file of the gcr example, as downloaded (made here: no key material in the repository). */
export const GCR_GUIDE_KEY = `${JSON.stringify(JSON.parse(fakeServiceAccountKey('binder-adopt-417')), null, 2)}\n`;

/**
 * The guide's secret.yaml and config.yaml of one registry section. gcr's secret.yaml holds a key file, so it is
 * written into `dir` in the guide's shape: the key's JSON pasted under `password: |`.
 */
export function guideFiles(guide: Guide, dir: string): [string, string] {
  const config = fixture(`guide-${guide}/config.yaml`);
  if (guide !== 'gcr') return [fixture(`guide-${guide}/secret.yaml`), config];
  const secret = path.join(dir, 'gcr-secret.yaml');
  const key = GCR_GUIDE_KEY.trimEnd().split('\n').map(line => `    ${line}`).join('\n');
  fs.writeFileSync(secret, [
    '# The guide\'s secret.yaml, gcr.io section: the two tokens, the service account\'s key file, a GitHub token. Fakes.',
    'jupyterhub:',
    '  hub:',
    '    services:',
    '      binder:',
    `        apiToken: "${'9c900202'.repeat(8)}"`,
    '  proxy:',
    `    secretToken: "${'9c900201'.repeat(8)}"`,
    'registry:',
    '  url: https://gcr.io',
    '  password: |',
    key,
    'config:',
    '  GitHubRepoProvider:',
    '    access_token: "ghp_FAKEgcrguide00000000000000000002"',
    '',
  ].join('\n'));
  return [secret, config];
}

/** What `npm run adopt -- --name legacy` says of the files it wrote from LEGACY (before the comparison). */
export const LEGACY_REPORT = [
  'wrote secrets/legacy.json (mode 0600): tokens proxySecretToken, binderApiToken from the values files; generated cookieSecret, '
    + 'cryptKeeperKey, buildTokenSecret (as init-secrets does); credentials registryPassword, githubAccessToken',
  '  a new cookieSecret signs users out once, when the adopted deployment is first applied',
  'wrote deployments/legacy.ts: Registry.dockerHub, Builder.dind(), 1 top-level chartValues',
  'recorded the hub URL http://35.190.10.20/ in hub-urls/legacy.url: commit it, so the next synth keeps it',
  'settings replaced or not carried over (also listed in the module):',
  '  - registry.prefix: a 2019 setting today\'s chart refuses; replaced by Registry.dockerHub({ imagePrefix })',
  '  - github: a 2019 setting; its token is now githubAccessToken, from the secrets file',
  '  - dind.enabled: a 2019 setting today\'s chart refuses; replaced by Builder.dind()',
  'add it to the app: `import * as legacy from \'./deployments/legacy\';` at the top of main.ts, and `legacy.defineDeployment(app);` inside its BinderHubApp',
];

/**
 * The deployment of the module that adopt wrote at `out`, defined as main.ts would define it: in an app of the project
 * folder `dir` (its secrets/ and hub-urls/), whose chart is `chart`. Its objects and those of its Secrets' chart.
 */
export function defineAdopted(out: string, dir: string, chart: string): { deployment: BinderHub; objects: any[]; secrets: any[] } {
  // jest maps 'binderhub-cdk8s', which the module imports, to lib/index.ts (jest.config.js).
  const module = require(out) as AdoptedDeploymentModule;
  const app = new DeploymentsScope({ secrets: new SecretStore(path.join(dir, 'secrets')), hubUrls: new HubUrlRecords(path.join(dir, 'hub-urls')), chart: ChartSource.local(chart) });
  const deployment = module.defineDeployment(app);
  return { deployment, objects: Testing.synth(deployment), secrets: Testing.synth(app.node.findChild(`${deployment.node.id}-secrets`) as Chart) };
}
