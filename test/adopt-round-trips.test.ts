import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  adoptedProps, BinderHub, ChartSource, compareAdoption, ManifestObject, planAdoption, readValuesLayers, SecretStore, toolPath,
} from '../lib/internal';
import { defineAdopted, expectNoFixtureSecret, fixture, GCR_GUIDE_KEY, Guide, guideFiles, GUIDES } from './adopt-fixtures';
import { exampleWorkspace, runCommand } from './helpers';
import { describeWithRealChart } from './real-chart';

/** What each of the guide's examples holds: its tokens and credentials as the files have them, and its registry. */
const EXPECTED: Record<Guide, { hex: string; registryPassword: string; githubAccessToken: string; factory: string }> = {
  gcr: { hex: '9c9002', registryPassword: GCR_GUIDE_KEY, githubAccessToken: 'ghp_FAKEgcrguide00000000000000000002', factory: 'gcr' },
  dockerhub: { hex: 'd0c4e2', registryPassword: 'fake-dockerhub-access-token-5521', githubAccessToken: 'ghp_FAKEdockerhubguide000000000000001', factory: 'dockerHub' },
  acr: { hex: 'ac4e02', registryPassword: 'fake-acr-principal-secret-8830', githubAccessToken: 'ghp_FAKEacrguide00000000000000000003', factory: 'acr' },
  ovh: { hex: '0e4a02', registryPassword: 'fake-ovh-harbor-secret-4417', githubAccessToken: 'ghp_FAKEovhguide00000000000000000004', factory: 'harbor' },
  custom: { hex: 'c05702', registryPassword: 'fake-custom-registry-secret-2290', githubAccessToken: 'ghp_FAKEcustomguide000000000000000005', factory: 'custom' },
};

/** The reasons of the differences on purpose these examples show (a registry, DinD, a hand-set hub URL; the guide's Docker Hub section leaves config.DockerRegistry to BinderHub). */
const ON_PURPOSE = (release: string, factory: string) => [
  `the label binderhub-cdk8s.io/deployment=${release} on every object`,
  'the file creates its namespace first (createNamespace), so one kubectl apply works on a fresh cluster',
  'the hub URL lives in ConfigMap binder-hub-url, which the binder pod reads and npm run patch-hub-url fills (docs/hub-url.md)',
  `user pods pull the built images with Secret binder-image-pull-secret (Registry.${factory}'s pullSecret)`,
  `our DinD DaemonSet ${release}-dind (Builder.dind) replaces the chart's`,
  ...factory !== 'dockerHub' ? [] : [`Registry.${factory} sets the registry's API, login and token URLs that the values files left to BinderHub's defaults (docs/deployments.md#registries)`],
  'a checksum the chart keeps of other settings',
];

describeWithRealChart('the guide\'s examples, adopted and compared with helm template of the same files', chart => {
  // A project folder: adopt reads main.ts's deployments, which the adopted ones must not collide with.
  const dir = exampleWorkspace('adopt-guides-');

  /**
   * Adopts `files` as `release` with the command, checks the written secrets file, and compares a synth of the
   * written module with helm template of the same files; returns the comparison.
   */
  function roundTrip(release: string, files: string[], expected: typeof EXPECTED[Guide], ingress: boolean) {
    const out = path.join(dir, `${release}.ts`);
    const args = ['--name', release, '--out', out, '--secret', files[0], '--config', files[1], ...files.slice(2).flatMap(f => ['-f', f])];
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart }, args);
    expectNoFixtureSecret(result.output);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('\n  to review: nothing\n');

    const written = JSON.parse(fs.readFileSync(path.join(dir, 'secrets', `${release}.json`), 'utf8'));
    expect(written.tokens.proxySecretToken).toBe(`${expected.hex}01`.repeat(8));
    expect(written.tokens.binderApiToken).toBe(`${expected.hex}02`.repeat(8));
    expect(written.credentials).toEqual({ registryPassword: expected.registryPassword, githubAccessToken: expected.githubAccessToken });

    const ours = defineAdopted(out, dir, chart);
    const helm = (yaml.loadAll(execFileSync(toolPath('helm'), [
      'template', release, chart, '--namespace', release, '--kube-version', '1.35.0', '--api-versions', 'policy/v1/PodDisruptionBudget',
      ...files.flatMap(f => ['-f', f]),
    ], { encoding: 'utf8', cwd: os.tmpdir() })) as ManifestObject[]).filter(Boolean);
    const comparison = compareAdoption(helm, ours, {
      release, namespace: release, builder: 'dind', registry: expected.factory as never, ingress,
      generatedTokens: ['cookieSecret', 'cryptKeeperKey', 'buildTokenSecret'],
    });
    expect(comparison.review).toEqual([]);
    expect(comparison.newTokens.map(d => d.type === 'key' ? `${d.id} key ${d.key.key}` : d.type === 'setting' ? `${d.id} ${d.setting.path}` : d.type)).toEqual([
      `Secret/${release}/hub key hub.config.CryptKeeper.keys`,
      `Secret/${release}/hub key hub.config.JupyterHub.cookie_secret`,
      `Secret/${release}/hub hub.config.CryptKeeper.keys`,
      `Secret/${release}/hub hub.cookieSecret`,
      `Secret/${release}/binder-secret config.BinderHub.build_token_secret`,
    ]);

    // What the command compared (the props made in its process) is what the module synthesizes.
    const inProcess = new App();
    const secrets = new SecretStore(path.join(dir, 'secrets')).load(release);
    const same = new BinderHub(inProcess, release, adoptedProps(planAdoption(release, readValuesLayers(files)), secrets, ChartSource.local(chart)));
    expect([...same.toJson(), ...inProcess.charts.filter(c => c !== same).flatMap(c => c.toJson())]).toEqual([...ours.objects, ...ours.secrets]);
    return comparison;
  }

  test.each([...GUIDES])('%s: every token as the files have it; the synth is helm\'s render but for the differences on purpose', guide => {
    const comparison = roundTrip(guide, guideFiles(guide, dir), EXPECTED[guide], false);
    expect(comparison.onPurpose.map(group => group.reason.split(':')[0])).toEqual(ON_PURPOSE(guide, EXPECTED[guide].factory).map(reason => reason.split(':')[0]));
  }, 120000);

  test('the guide\'s HTTPS section and DinD resources over the Docker Hub example: the same TLS Secrets, annotations and quantities', () => {
    const files = [...guideFiles('dockerhub', dir), fixture('guide-https/config.yaml'), fixture('layers/dind-resources.yaml')];
    const comparison = roundTrip('https', files, EXPECTED.dockerhub, true);
    expect(comparison.onPurpose.map(group => group.reason.split(':')[0])).toEqual([
      ...ON_PURPOSE('https', 'dockerHub').slice(0, 5),
      'the ingress prop points BinderHub at its hub inside the cluster (config.BinderHub.hub_url_local)',
      ...ON_PURPOSE('https', 'dockerHub').slice(5),
    ].map(reason => reason.split(':')[0]));
  }, 120000);
});
