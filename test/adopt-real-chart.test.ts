import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AdoptedDeploymentModule, ChartSource, HubUrlRecords, SecretStore, toolPath } from '../lib';
import { LEGACY, TODAY } from './adopt-fixtures';
import { find, runCommand, secretValue } from './helpers';
import { describeWithRealChart } from './real-chart';

const ROOT = path.join(__dirname, '..');

/** The objects that differ on purpose: ours alone (the namespace, the hub URL ConfigMap, the pull Secret). */
const OURS_ONLY = ['Namespace/today', 'ConfigMap/binder-hub-url', 'Secret/binder-image-pull-secret'];

const key = (o: any) => `${o.kind}/${o.metadata.name}`;
const images = (objects: any[]) => Object.fromEntries(objects.filter(o => o.spec?.template?.spec).map(o =>
  [key(o), [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers].map((c: any) => c.image)]));

describeWithRealChart('an adopted module against helm template of the same files', chart => {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'build', 'adopt-real-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('today\'s layout: the same objects, images and tokens, but for the differences on purpose', () => {
    const out = path.join(dir, 'today.ts');
    expect(runCommand('adopt', dir, {}, ['--name', 'today', '--out', out, '--secret', TODAY[0], '--config', TODAY[1]]).status).toBe(0);
    const module = require(out) as AdoptedDeploymentModule;
    const app = Testing.app();
    const deployment = module.defineDeployment(app, {
      secrets: new SecretStore(path.join(dir, 'secrets')), hubUrls: new HubUrlRecords(path.join(dir, 'hub-urls')), chart: ChartSource.local(chart),
    });
    const ours = [...Testing.synth(deployment), ...Testing.synth(app.node.findChild('today-secrets') as Chart)];
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

  test('the 2019 files cannot be compared: today\'s chart refuses them, which is what adopt maps away', () => {
    expect(() => execFileSync(toolPath('helm'), ['template', 'legacy', chart, '--kube-version', '1.35.0', '-f', LEGACY[0], '-f', LEGACY[1]],
      { encoding: 'utf8', cwd: os.tmpdir(), stdio: 'pipe' })).toThrow(/dind\.enabled|registry|additional properties|github/i);
  });
});
