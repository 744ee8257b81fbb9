import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { toolPath } from '../lib/internal';
import { defineAdopted, expectNoFixtureSecret, guideFiles, LEGACY, TODAY } from './adopt-fixtures';
import { exampleWorkspace, find, runCommand, secretValue } from './helpers';
import { describeWithRealChart } from './real-chart';

/** The objects that differ on purpose: ours alone (the namespace, the hub URL ConfigMap, the pull Secret). */
const OURS_ONLY = ['Namespace/today', 'ConfigMap/binder-hub-url', 'Secret/binder-image-pull-secret'];

const key = (o: any) => `${o.kind}/${o.metadata.name}`;
const images = (objects: any[]) => Object.fromEntries(objects.filter(o => o.spec?.template?.spec).map(o =>
  [key(o), [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers].map((c: any) => c.image)]));

describeWithRealChart('an adopted module against helm template of the same files', chart => {
  const dir = exampleWorkspace('adopt-real-');

  test('today\'s layout: the same objects, images and tokens, but for the differences on purpose', () => {
    const out = path.join(dir, 'today.ts');
    expect(runCommand('adopt', dir, {}, ['--name', 'today', '--out', out, '--secret', TODAY[0], '--config', TODAY[1]]).status).toBe(0);
    const { objects, secrets } = defineAdopted(out, dir, chart);
    const ours = [...objects, ...secrets];
    const helm = (yaml.loadAll(execFileSync(toolPath('helm'), [
      'template', 'today', chart, '--namespace', 'today', '--kube-version', '1.35.0', '-f', TODAY[0], '-f', TODAY[1],
    ], { encoding: 'utf8', cwd: os.tmpdir() })) as any[]).filter(Boolean);

    expect(ours.map(key).filter(k => !helm.some(o => key(o) === k)).sort()).toEqual([...OURS_ONLY].sort());
    expect(helm.map(key).filter(k => !ours.some(o => key(o) === k)).sort()).toEqual([]);
    expect(images(ours)).toEqual(images(helm));
    for (const token of ['hub.config.ConfigurableHTTPProxy.auth_token', 'hub.services.binder.apiToken', 'hub.config.JupyterHub.cookie_secret', 'hub.config.CryptKeeper.keys']) {
      expect(secretValue(find(ours, 'Secret', 'hub'), token)).toBe(secretValue(find(helm, 'Secret', 'hub'), token));
    }
  }, 120000);

  test('npm run adopt then shows what switching changes, object by object, the differences on purpose marked, no Secret value', () => {
    const [secret, config] = guideFiles('dockerhub', dir);
    const out = path.join(dir, 'shown.ts');
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart }, ['--name', 'shown', '--out', out, '--secret', secret, '--config', config]);
    expectNoFixtureSecret(result.output);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const start = lines.indexOf(`what switching changes: a synth of ${out} against helm template of ${secret}, ${config} `
      + `(local chart ${chart}, release shown, namespace shown, Kubernetes 1.35.0):`);
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1)).toEqual([
      '  on purpose: the label binderhub-cdk8s.io/deployment=shown on every object: kubectl apply --prune selects the deployment\'s objects by it',
      '    changed: metadata.labels["binderhub-cdk8s.io/deployment"], on 30 objects (--all names them)',
      '    changed: DaemonSet/shown/shown-image-cleaner: metadata.labels',
      '    changed: Deployment/shown/binder: metadata.labels',
      '    changed: Secret/shown/binder-secret: metadata.labels',
      '    changed: Secret/shown/binder-build-docker-config: metadata.labels',
      '  on purpose: the file creates its namespace first (createNamespace), so one kubectl apply works on a fresh cluster',
      '    ours alone: Namespace/shown',
      '  on purpose: the hub URL lives in ConfigMap binder-hub-url, which the binder pod reads and npm run patch-hub-url fills (docs/hub-url.md)',
      '    ours alone: ConfigMap/shown/binder-hub-url',
      '    changed: Deployment/shown/binder: spec.template.spec.containers[name=binder].env[name=BINDERHUB_CDK8S_HUB_URL]',
      '    changed: Secret/shown/binder-secret: key values.yaml settings config.BinderHub.hub_url removed, extraConfig.binderhub-cdk8s-hub-url added',
      '  on purpose: user pods pull the built images with Secret binder-image-pull-secret (Registry.dockerHub\'s pullSecret)',
      '    ours alone: Secret/shown/binder-image-pull-secret',
      '    changed: Secret/shown/hub: key values.yaml settings singleuser.image.pullSecrets[0] added',
      '  on purpose: our DinD DaemonSet shown-dind (Builder.dind) replaces the chart\'s: the chart runs with imageBuilderType host, and builds and the '
        + 'image cleaner use our dockerd\'s socket (container images and resources are compared apart)',
      '    changed: DaemonSet/shown/shown-dind: metadata.labels, spec.updateStrategy, spec.selector.matchLabels.name, spec.selector.matchLabels["cdk8s.io/metadata.addr"], '
        + 'spec.template.metadata.labels.heritage, spec.template.metadata.labels["cdk8s.io/metadata.addr"] and 24 more (--all lists them)',
      '    changed: DaemonSet/shown/shown-image-cleaner: spec.template.spec.containers[name=image-cleaner-dind], spec.template.spec.containers[name=image-cleaner-host], '
        + 'spec.template.spec.volumes[name=storage-dind], spec.template.spec.volumes[name=socketdir-dind], spec.template.spec.volumes[name=storage-host], '
        + 'spec.template.spec.volumes[name=socketdir-host]',
      '    changed: Secret/shown/binder-secret: key values.yaml settings config.KubernetesBuildExecutor.docker_host added, dind.daemonset.image.tag changed, '
        + 'dind.hostLibDir changed, dind.hostSocketDir changed, imageBuilderType changed',
      '  on purpose: Registry.dockerHub sets the registry\'s API, login and token URLs that the values files left to BinderHub\'s defaults (docs/deployments.md#registries)',
      '    changed: Secret/shown/binder-secret: key values.yaml settings config.DockerRegistry.auth_config_url added, config.DockerRegistry.token_url added, '
        + 'config.DockerRegistry.url added',
      '  on purpose: a checksum the chart keeps of other settings: it follows the differences above',
      '    changed: ConfigMap/shown/hub: data.checksum_hook-image-puller',
      '  on purpose: the Secrets go to dist-secrets/shown-secrets.k8s.yaml, not dist/ (SecretsMode.separate(), the default; docs/secrets.md#secrets-in-gitops)',
      '    Secret/shown/binder-image-pull-secret, Secret/shown/hub, Secret/shown/binder-secret, Secret/shown/binder-build-docker-config',
      '  new tokens: the values files lack them, so helm\'s render shows tokens of its own (a live release keeps the ones its install made, and BinderHub '
        + 'makes a build token secret at each start); adopt generated cookieSecret, cryptKeeperKey, buildTokenSecret: a new cookieSecret signs users out '
        + 'once, a new CryptKeeper key makes stored auth state unreadable (--from-cluster reads the live ones)',
      '    changed: Secret/shown/hub: key hub.config.CryptKeeper.keys changed, key hub.config.JupyterHub.cookie_secret changed, key values.yaml settings '
        + 'hub.config.CryptKeeper.keys added, hub.cookieSecret added',
      '    changed: Secret/shown/binder-secret: key values.yaml settings config.BinderHub.build_token_secret added',
      '  to review: nothing',
      '  restarts on the first apply: Deployment/shown/hub (checksum/config-map, checksum/secret differ)',
      '  restarts on the first apply: Deployment/shown/binder (checksum/config, checksum/binder-api-token, checksum/hub-url differ)',
      '  delete before the first apply: DaemonSet/shown/shown-dind: its selector differs, which Kubernetes never changes in place (kubectl apply would '
        + 'fail on it); the apply creates it anew',
      '  86 difference(s) on purpose, 5 new token(s), 0 to review; 2 workload(s) restart',
      '',
    ]);
  }, 120000);

  test('--all lists every difference: no objects counted, no paths cut short, and the same count', () => {
    const [secret, config] = guideFiles('dockerhub', dir);
    const out = path.join(dir, 'everything.ts');
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart }, ['--name', 'every', '--out', out, '--all', '--secret', secret, '--config', config]);
    expect(result.stderr).toBe('');
    expectNoFixtureSecret(result.output);
    expect(result.stdout).not.toMatch(/--all (lists|names) them/);
    expect(result.stdout).toContain('    changed: Deployment/every/hub: metadata.labels["binderhub-cdk8s.io/deployment"]\n');
    expect(result.stdout).toContain('  86 difference(s) on purpose, 5 new token(s), 0 to review; 2 workload(s) restart\n');
  }, 120000);

  test('--no-compare writes the same files and shows no comparison', () => {
    const [secret, config] = guideFiles('dockerhub', dir);
    const out = path.join(dir, 'quiet.ts');
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart }, ['--name', 'quiet', '--out', out, '--no-compare', '--secret', secret, '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/switching|comparison|on purpose/);
    expect(fs.existsSync(out)).toBe(true);
  }, 60000);

  test('2019 files: the files are written, and one line says why there is no comparison', () => {
    const out = path.join(dir, 'old.ts');
    const result = runCommand('adopt', dir, { BINDERHUB_CHART: chart }, ['--name', 'old', '--out', out, '--secret', LEGACY[0], '--config', LEGACY[1]]);
    expect(result.status).toBe(0);
    const last = result.stdout.trimEnd().split('\n').pop();
    expect(last).toBe(`no comparison with helm: helm template of ${LEGACY[0]}, ${LEGACY[1]} (local chart ${chart}, release old, namespace old, `
      + 'Kubernetes 1.35.0) failed: the chart\'s values schema refused the values of release old: binderhub: at \'/registry\': additional properties '
      + '\'prefix\' not allowed; at \'\': additional properties \'github\' not allowed');
    expect(fs.existsSync(out)).toBe(true);
  }, 60000);

  test('the 2019 files cannot be compared: today\'s chart refuses them, which is what adopt maps away', () => {
    expect(() => execFileSync(toolPath('helm'), ['template', 'legacy', chart, '--kube-version', '1.35.0', '-f', LEGACY[0], '-f', LEGACY[1]],
      { encoding: 'utf8', cwd: os.tmpdir(), stdio: 'pipe' })).toThrow(/dind\.enabled|registry|additional properties|github/i);
  });
});
