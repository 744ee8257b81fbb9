import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { adoptedProps, adoptedSecrets, ChartSource, planAdoption, readValuesLayers, toolPath, Values } from '../lib/internal';
import { TODAY } from './adopt-fixtures';
import { find, synthBinderHub, configErrorMessage } from './helpers';
import { describeWithRealChart } from './real-chart';

/** Writes the layers `files` (name to text) in a new temporary folder; returns their paths in order. */
function layerFiles(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extra-env-'));
  return Object.entries(files).map(([name, text]) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  });
}

/** mybinder.org-deploy's way, reduced: extraEnv maps of binder, hub and singleuser, and a cluster layer over them. */
const MYBINDER_LAYERS = {
  'values.yaml': [
    'extraEnv:',
    '  GOOGLE_APPLICATION_CREDENTIALS: /secrets/service-account.json',
    '  EVENTS_BUCKET:',
    '    valueFrom:',
    '      configMapKeyRef: {name: events-archiver, key: bucket}',
    'jupyterhub:',
    '  hub:',
    '    extraEnv:',
    '      HUB_LOG_FORMAT: json',
    '  singleuser:',
    '    extraEnv:',
    '      BINDER_LAUNCH_HOST: https://mybinder.org/',
    '',
  ].join('\n'),
  // A null drops what the file before set (and the chart's default): the hub's extraEnv here.
  'cluster.yaml': 'extraEnv:\n  CLUSTER_NAME: hetzner\njupyterhub:\n  hub:\n    extraEnv: null\n',
};

/** The env of the first container of Deployment `name`, without the hub URL variable the deployment adds. */
const envOf = (objects: any[], name: string) =>
  (find(objects, 'Deployment', name).spec.template.spec.containers[0].env as any[]).filter(e => e.name !== 'BINDERHUB_CDK8S_HUB_URL');

describeWithRealChart('extraEnv as a map (mybinder\'s form) and a null in a later file, adopted as helm renders them', chart => {
  const files = [...TODAY, ...layerFiles(MYBINDER_LAYERS)];
  const plan = planAdoption('layers', readValuesLayers(files));
  const { tokens } = adoptedSecrets(plan);
  const ours = synthBinderHub(adoptedProps(plan, { tokens, credentials: plan.credentials }, ChartSource.local(chart)), 'layers');
  const helm = (yaml.loadAll(execFileSync(toolPath('helm'), [
    'template', 'layers', chart, '--namespace', 'layers', '--kube-version', '1.35.0', ...files.flatMap(f => ['-f', f]),
  ], { encoding: 'utf8', cwd: os.tmpdir() })) as any[]).filter(Boolean);

  test('the module keeps the maps, and the null that drops the hub\'s extraEnv, as the files merge in helm', () => {
    expect(plan.chartValues.extraEnv).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: '/secrets/service-account.json',
      EVENTS_BUCKET: { valueFrom: { configMapKeyRef: { name: 'events-archiver', key: 'bucket' } } },
      CLUSTER_NAME: 'hetzner',
    });
    expect((plan.chartValues.jupyterhub as Values).hub).toEqual({ extraEnv: null });
    expect((plan.chartValues.jupyterhub as any).singleuser.extraEnv).toEqual({ BINDER_LAUNCH_HOST: 'https://mybinder.org/' });
  });

  test('the binder and hub pods get the env helm gives them, and binder also the hub URL variable', () => {
    expect(envOf(ours, 'binder')).toEqual(envOf(helm, 'binder'));
    expect(envOf(ours, 'binder').map((e: any) => e.name)).toEqual(expect.arrayContaining(['CLUSTER_NAME', 'EVENTS_BUCKET', 'GOOGLE_APPLICATION_CREDENTIALS']));
    expect(find(ours, 'Deployment', 'binder').spec.template.spec.containers[0].env.map((e: any) => e.name)).toContain('BINDERHUB_CDK8S_HUB_URL');
    expect(envOf(ours, 'hub')).toEqual(envOf(helm, 'hub'));
    expect(envOf(helm, 'hub').map((e: any) => e.name)).not.toContain('HUB_LOG_FORMAT');
  });
});

describe('an extraEnv the chart cannot render is refused naming the setting', () => {
  const HOST_ONLY: Values = { imageBuilderType: 'host', config: { BinderHub: { use_registry: false } } };

  test.each([
    [{ extraEnv: { PORT: 8080 } }, 'extraEnv.PORT must be text or a map such as {valueFrom: ...}, as the chart reads it; quote a number or yes/no, or remove a null'],
    [{ jupyterhub: { hub: { extraEnv: { DEBUG: true } } } }, 'jupyterhub.hub.extraEnv.DEBUG must be text'],
    [{ jupyterhub: { proxy: { chp: { extraEnv: { OLD: null } } } } }, 'jupyterhub.proxy.chp.extraEnv.OLD must be text'],
    [{ imageCleaner: { extraEnv: 'A=1' } }, 'imageCleaner.extraEnv must be a list of {name, value | valueFrom} entries, or a map of names to a value or {valueFrom}'],
  ])('adopt: %j', (values, message) => {
    expect(configErrorMessage(() => planAdoption('x', { ...HOST_ONLY, ...values }))).toMatch(new RegExp(`^${message.replace(/[{}.|]/g, '\\$&')}`));
  });

  test('chartValues: named as chartValues, a map and null accepted', () => {
    expect(configErrorMessage(() => synthBinderHub({ chartValues: { jupyterhub: { hub: { extraEnv: { N: 1 } } } } }))).toMatch(/^chartValues\.jupyterhub\.hub\.extraEnv\.N must be text/);
    expect(configErrorMessage(() => synthBinderHub({ chartValues: { extraEnv: 'A=1' } }))).toMatch(/^chartValues\.extraEnv must be a list/);
    const env = find(synthBinderHub({ chartValues: { extraEnv: { MY_VAR: 'x' } } }), 'Deployment', 'binder').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['MY_VAR', 'BINDERHUB_CDK8S_HUB_URL']));
    expect(() => synthBinderHub({ chartValues: { extraEnv: null } })).not.toThrow();
  });
});
