/** How adopt maps the builder settings (lib/adopt/adopt-builder.ts): the node folders, the image. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Testing } from 'cdk8s';
import {
  AdoptionNote, adoptedProps, adoptedSecrets, BinderHub, CHART_BUILDER_FOLDERS, ChartSource, planAdoption, planBuilder, readValuesLayers, toolPath, Values,
} from '../lib/internal';
import { guideFiles } from './adopt-fixtures';
import { find } from './helpers';
import { describeWithRealChart } from './real-chart';

/** The builder plan of `values` for release `release`, and its notes. */
function plan(values: Values, release = 'prod'): { builder: ReturnType<typeof planBuilder>; notes: AdoptionNote[] } {
  const notes: AdoptionNote[] = [];
  return { builder: planBuilder(values, notes, release), notes };
}

describe('node folders', () => {
  test('dind with the folders left at the chart\'s defaults keeps them, and the note offers the per-release move with its costs', () => {
    const { builder, notes } = plan({ imageBuilderType: 'dind' });
    expect(builder).toEqual({ factory: 'dind', props: { hostSocketDir: '/var/run/dind', hostLibDir: '/var/lib/dind' } });
    expect(notes).toEqual([{
      setting: 'dind.hostSocketDir, dind.hostLibDir',
      outcome: 'left at the chart\'s defaults, kept as Builder.dind({ hostSocketDir: "/var/run/dind", hostLibDir: "/var/lib/dind" }), where the running '
        + 'builder has them. Deleting these props from the module would move the builder to /var/run/dind/prod, /var/lib/dind/prod, folders of this release alone; then '
        + 'tools that use the old socket lose it, every node builds with an empty cache, and the old one stays on the nodes until removed by hand',
    }]);
  });

  test('the 2019 dind.enabled with no folders keeps the chart\'s folders too', () => {
    expect(plan({ dind: { enabled: true } }).builder.props).toEqual({ hostSocketDir: '/var/run/dind', hostLibDir: '/var/lib/dind' });
  });

  test('pink keeps the chart\'s /var/run/pink and /var/lib/pink/storage', () => {
    const { builder, notes } = plan({ imageBuilderType: 'pink' }, 'p');
    expect(builder.props).toEqual({ hostSocketDir: '/var/run/pink', hostStorageDir: '/var/lib/pink/storage' });
    expect(notes.map(n => n.setting)).toEqual(['pink.hostSocketDir, pink.hostStorageDir']);
    expect(notes[0].outcome).toContain('would move the builder to /var/run/pink/p, /var/lib/pink/p, folders of this release alone');
  });

  test('a folder given is taken as given; the note names only the one left at the chart\'s default, and its own cost', () => {
    const { builder, notes } = plan({ imageBuilderType: 'dind', dind: { hostLibDir: '/mnt/disks/dind' } });
    expect(builder.props).toEqual({ hostSocketDir: '/var/run/dind', hostLibDir: '/mnt/disks/dind' });
    expect(notes).toEqual([{
      setting: 'dind.hostSocketDir',
      outcome: 'left at the chart\'s defaults, kept as Builder.dind({ hostSocketDir: "/var/run/dind" }), where the running builder has them. '
        + 'Deleting this prop from the module would move the builder to /var/run/dind/prod, folders of this release alone; then tools that use the old socket lose it',
    }]);
  });

  test('folders given for this release: no note', () => {
    expect(plan({ imageBuilderType: 'dind', dind: { hostSocketDir: '/var/run/dind/prod', hostLibDir: '/var/lib/dind/prod' } }).notes).toEqual([]);
  });

  test('the host builder has no folders to keep', () => {
    expect(plan({}).builder).toEqual({ factory: 'host', props: {} });
  });
});

describe('the dind image', () => {
  /** The 2019 guide's DinD section: the image it printed, folders of this deployment's own. */
  const guide2019 = (tag: string | number) => ({
    dind: { enabled: true, hostSocketDir: '/var/run/dind/prod', hostLibDir: '/var/lib/dind/prod', daemonset: { image: { name: 'docker', tag } } },
  });

  test('the 2019 guide\'s docker:18.09.2-dind is kept, with a note on its age and the way to today\'s image', () => {
    const { builder, notes } = plan(guide2019('18.09.2-dind'));
    expect(builder.props.image).toBe('docker:18.09.2-dind');
    expect(notes).toEqual([
      { setting: 'dind.enabled', outcome: 'a 2019 setting today\'s chart refuses; replaced by Builder.dind()' },
      {
        setting: 'dind.daemonset.image',
        outcome: 'kept as Builder.dind({ image: "docker:18.09.2-dind" }), but Docker 18.09 dates from 2018 and has had no security fixes for years; '
          + 'deleting image from the module takes docker.io/library/docker:28.3.3-dind, Builder.dind()\'s default',
      },
    ]);
  });

  test.each([['19.03-dind', '19.03', '2019'], ['20.10.24-dind', '20.10', '2020'], ['18-dind', '18', '2018'], [18.09, '18.09', '2018']])(
    'a tag of Docker\'s year.month versions (%s) is dated', (tag, version, year) => {
      expect(plan(guide2019(tag)).notes[1].outcome).toContain(`Docker ${version} dates from ${year}`);
    });

  test.each(['27.5.1-dind', '28.3.3-dind', 'dind', '1.18-dind', '180.9-dind'])('today\'s version tags (%s) get no note', tag => {
    expect(plan(guide2019(tag)).notes.map(n => n.setting)).toEqual(['dind.enabled']);
  });
});

describeWithRealChart('the builder\'s folders against the real chart', chart => {
  const showValues = () => yaml.load(execFileSync(toolPath('helm'), ['show', 'values', chart], { encoding: 'utf8', cwd: os.tmpdir() })) as any;

  test('CHART_BUILDER_FOLDERS are the chart\'s defaults', () => {
    const values = showValues();
    for (const factory of ['dind', 'pink'] as const) {
      expect(Object.fromEntries(CHART_BUILDER_FOLDERS[factory])).toEqual(Object.fromEntries(CHART_BUILDER_FOLDERS[factory].map(([prop]) => [prop, values[factory][prop]])));
    }
  });

  test('DinD adopted from values that leave the folders unset runs on the node folders of helm\'s render', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-builder-'));
    const [secret] = guideFiles('dockerhub', dir);
    const config = path.join(dir, 'config.yaml');
    fs.writeFileSync(config, 'config:\n  BinderHub:\n    use_registry: true\n    image_prefix: binderorg/binder-hub-\nimageBuilderType: dind\n');
    const adopted = planAdoption('hub', readValuesLayers([secret, config]));
    const secrets = adoptedSecrets(adopted);
    const ours = Testing.synth(new BinderHub(Testing.app(), 'hub', adoptedProps(adopted, { tokens: secrets.tokens, credentials: adopted.credentials }, ChartSource.local(chart))));
    const helm = (yaml.loadAll(execFileSync(toolPath('helm'), ['template', 'hub', chart, '--namespace', 'hub', '--kube-version', '1.35.0', '-f', secret, '-f', config],
      { encoding: 'utf8', cwd: os.tmpdir() })) as any[]).filter(Boolean);
    const hostPaths = (objects: any[], name: string) => find(objects, 'DaemonSet', name).spec.template.spec.volumes.flatMap((v: any) => v.hostPath ? [v.hostPath.path] : []).sort();
    expect(hostPaths(ours, 'hub-dind')).toEqual(['/var/lib/dind', '/var/run/dind']);
    expect(hostPaths(ours, 'hub-dind')).toEqual(hostPaths(helm, 'hub-dind'));
    expect(hostPaths(ours, 'hub-image-cleaner')).toEqual(hostPaths(helm, 'hub-image-cleaner'));
  }, 60000);
});
