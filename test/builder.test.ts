import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BinderHub, Builder, ChartSource, ConfigError, DEFAULT_DIND_IMAGE, DindDaemonSet, Registry } from '../lib/internal';
import { defineExample, exampleInputs, fakeTokens, find, FIXTURE_CHART, secretValue, synthBinderHub, TEST_REGISTRY } from './helpers';

const binderValues = (objects: any[]) => yaml.load(secretValue(find(objects, 'Secret', 'binder-secret'), 'values.yaml')) as any;
const hostPaths = (workload: any) => workload.spec.template.spec.volumes.map((v: any) => v.hostPath).filter(Boolean);
const daemonSets = (objects: any[]) => objects.filter(o => o.kind === 'DaemonSet');

describe('Builder.dind (default)', () => {
  const objects = synthBinderHub({}, 'prod');
  const dind = find(objects, 'DaemonSet', 'prod-dind');
  const pod = dind.spec.template.spec;

  test('one dockerd per node, with host folders of this deployment', () => {
    expect(hostPaths(dind)).toEqual([
      { path: '/var/lib/dind/prod', type: 'DirectoryOrCreate' },
      { path: '/var/run/dind/prod', type: 'DirectoryOrCreate' },
    ]);
    expect(pod.containers[0].args).toEqual(['dockerd', '--storage-driver=overlay2', '--host=unix:///var/run/dind/prod/docker.sock']);
    expect(pod.containers[0].image).toBe(DEFAULT_DIND_IMAGE);
    expect(DEFAULT_DIND_IMAGE).not.toMatch(/18\.09/);
  });

  test('privileged with settings the API server accepts', () => {
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false });
    expect(pod.securityContext.runAsNonRoot).toBe(false);
  });

  test('an init container removes a directory left where the socket belongs; the path is an argument, not shell text', () => {
    expect(pod.initContainers[0].command).toEqual(['/bin/sh', '-c', 'if [ -d "$1" ]; then rmdir "$1"; fi', 'sh', '/var/run/dind/prod/docker.sock']);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ mountPath: '/var/run/dind/prod', name: 'run-dind' }]);
  });

  test('the init container\'s script removes a directory at its argument, and leaves a socket file alone', () => {
    const [shell, flag, script, name] = pod.initContainers[0].command;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dind-init-'));
    const socket = path.join(dir, 'docker.sock');
    fs.mkdirSync(socket);
    execFileSync(shell, [flag, script, name, socket]);
    expect(fs.existsSync(socket)).toBe(false);
    fs.writeFileSync(socket, '');
    execFileSync(shell, [flag, script, name, socket]);
    expect(fs.statSync(socket).isFile()).toBe(true);
  });

  test('tolerates the user-node taints', () => {
    expect(pod.tolerations.map((t: any) => `${t.key}=${t.value}:${t.effect}`)).toEqual([
      'hub.jupyter.org/dedicated=user:NoSchedule', 'hub.jupyter.org_dedicated=user:NoSchedule',
    ]);
  });

  test('the chart runs no dockerd of its own; builds and the image cleaner use this socket and store', () => {
    const values = binderValues(objects);
    expect(values.imageBuilderType).toBe('host');
    expect(values.config.KubernetesBuildExecutor.docker_host).toBe('unix:///var/run/dind/prod/docker.sock');
    expect(daemonSets(objects).map(d => d.metadata.name).sort()).toEqual(['prod-dind', 'prod-image-cleaner']);
    const cleaner = find(objects, 'DaemonSet', 'prod-image-cleaner');
    expect(hostPaths(cleaner).map((h: any) => h.path).sort()).toEqual(['/var/lib/dind/prod', '/var/run/dind/prod']);
    const env = cleaner.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'DOCKER_HOST').value).toBe('unix:///var/run/docker.sock'); // the socket folder is mounted at /var/run
  });

  test('snapshot', () => {
    expect(daemonSets(objects)).toMatchSnapshot();
  });
});

describe('Builder.dind options', () => {
  const objects = synthBinderHub({
    builder: Builder.dind({
      hostSocketDir: '/run/binder/sock', hostLibDir: '/mnt/ssd/dind', image: 'docker.io/library/docker:27.5.1-dind',
      extraArgs: ['--mtu=1450', '--max-concurrent-uploads=32'], nodeSelector: { 'hub.jupyter.org/node-purpose': 'user' },
      resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } },
    }),
  }, 'x');
  const dind = find(objects, 'DaemonSet', 'x-dind');

  test('no prop text inside the init container\'s script', () => {
    const command: string[] = dind.spec.template.spec.initContainers[0].command;
    expect(command[2]).toBe('if [ -d "$1" ]; then rmdir "$1"; fi');
    expect(command.slice(3)).toEqual(['sh', '/run/binder/sock/docker.sock']);
  });

  test('folders, image, dockerd arguments and resources', () => {
    const container = dind.spec.template.spec.containers[0];
    expect(hostPaths(dind).map((h: any) => h.path)).toEqual(['/mnt/ssd/dind', '/run/binder/sock']);
    expect(container.image).toBe('docker.io/library/docker:27.5.1-dind');
    expect(container.args).toEqual(['dockerd', '--storage-driver=overlay2', '--host=unix:///run/binder/sock/docker.sock', '--mtu=1450', '--max-concurrent-uploads=32']);
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '1024Mi' } });
    expect(binderValues(objects).config.KubernetesBuildExecutor.docker_host).toBe('unix:///run/binder/sock/docker.sock');
  });

  test('the node selector places the builder, build pods and the cleaner on the same nodes', () => {
    const terms = dind.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toEqual([{ matchExpressions: [{ key: 'hub.jupyter.org/node-purpose', operator: 'In', values: ['user'] }] }]);
    expect(binderValues(objects).config.BinderHub.build_node_selector).toEqual({ 'hub.jupyter.org/node-purpose': 'user' });
    expect(find(objects, 'DaemonSet', 'x-image-cleaner').spec.template.spec.nodeSelector).toEqual({ 'hub.jupyter.org/node-purpose': 'user' });
  });

  test('storageDriver is dockerd\'s --storage-driver', () => {
    const chart = Testing.chart();
    Builder.dind({ storageDriver: 'fuse-overlayfs' }).bind(chart, 'sd');
    const container = find(Testing.synth(chart), 'DaemonSet', 'sd-dind').spec.template.spec.containers[0];
    expect(container.args).toEqual(['dockerd', '--storage-driver=fuse-overlayfs', '--host=unix:///var/run/dind/sd/docker.sock']);
  });

  test('imageCleaner: false turns the cleaner and its cluster-wide RBAC off', () => {
    const off = synthBinderHub({ builder: Builder.dind({ imageCleaner: false }) }, 'y');
    expect(daemonSets(off).map(d => d.metadata.name)).toEqual(['y-dind']);
    expect(off.find(o => o.kind === 'ClusterRole')).toBeUndefined();
  });
});

describe('dockerd listens only on its unix socket', () => {
  const refusal = (setting: string, written: string, address: string) => new ConfigError(`${setting} "${written}" makes dockerd listen on ${address}, `
    + 'not on a unix socket: a privileged Docker daemon with no authentication, open to every pod; builds reach it through its socket in '
    + 'hostSocketDir, so remove that argument');

  test.each([
    [['--host=tcp://0.0.0.0:2375'], '--host=tcp://0.0.0.0:2375', 'tcp://0.0.0.0:2375'],
    [['--mtu=1450', '--host', 'tcp://0.0.0.0:2375'], '--host tcp://0.0.0.0:2375', 'tcp://0.0.0.0:2375'],
    [['-H', 'tcp://10.0.0.5:2375'], '-H tcp://10.0.0.5:2375', 'tcp://10.0.0.5:2375'],
    [['-Htcp://127.0.0.1:2375'], '-Htcp://127.0.0.1:2375', 'tcp://127.0.0.1:2375'],
    [['-H=tcp://[::]:2375'], '-H=tcp://[::]:2375', 'tcp://[::]:2375'],
    [['-DH', 'tcp://0.0.0.0:2376'], '-DH tcp://0.0.0.0:2376', 'tcp://0.0.0.0:2376'],
    [['--host=0.0.0.0:2375'], '--host=0.0.0.0:2375', '0.0.0.0:2375'], // no scheme: dockerd reads TCP
    [['--host=unix:///var/run/docker.sock', '--host=fd://'], '--host=fd://', 'fd://'],
  ])('Builder.dind refuses extraArgs %j, naming the prop and why', (extraArgs, written, address) => {
    expect(() => Builder.dind({ extraArgs })).toThrow(refusal('Builder.dind extraArgs', written, address));
  });

  test('DindDaemonSet refuses a TCP --host in its own extraArgs', () => {
    const define = () => new DindDaemonSet(Testing.chart(), 'dind', {
      releaseName: 'x', hostSocketDir: '/var/run/dind/x', hostLibDir: '/var/lib/dind/x', extraArgs: ['--host', 'tcp://0.0.0.0:2375'],
    });
    expect(define).toThrow(refusal('DindDaemonSet extraArgs', '--host tcp://0.0.0.0:2375', 'tcp://0.0.0.0:2375'));
  });

  test.each([
    [['--mtu=1450', '--max-concurrent-uploads=32']],
    [['--host=unix:///run/dind/extra.sock']],
    [['-D', '--log-level=debug']],
    [['--storage-opt', 'dm.basesize=20G']],
  ])('other arguments, and another unix socket, are taken: %j', extraArgs => {
    expect(() => Builder.dind({ extraArgs })).not.toThrow();
  });
});

describe('Builder.pink and Builder.host', () => {
  test('pink: the chart\'s podman DaemonSet, with folders of this deployment, and the cleaner on them', () => {
    const objects = synthBinderHub({ builder: Builder.pink() }, 'p');
    expect(binderValues(objects).imageBuilderType).toBe('pink');
    expect(hostPaths(find(objects, 'DaemonSet', 'p-pink')).map((h: any) => h.path)).toEqual(['/var/lib/pink/p', '/var/run/pink/p']);
    expect(hostPaths(find(objects, 'DaemonSet', 'p-image-cleaner')).map((h: any) => h.path)).toEqual(['/var/lib/pink/p', '/var/run/pink/p']);
    expect(daemonSets(objects)).toMatchSnapshot();
  });

  test('pink: hostSocketDir and hostStorageDir are the podman DaemonSet\'s and the cleaner\'s node folders', () => {
    const objects = synthBinderHub({ builder: Builder.pink({ hostSocketDir: '/run/pink-p', hostStorageDir: '/mnt/ssd/pink-p' }) }, 'p');
    expect(binderValues(objects).pink).toMatchObject({ hostSocketDir: '/run/pink-p', hostStorageDir: '/mnt/ssd/pink-p' });
    expect(hostPaths(find(objects, 'DaemonSet', 'p-pink')).map((h: any) => h.path)).toEqual(['/mnt/ssd/pink-p', '/run/pink-p']);
    expect(hostPaths(find(objects, 'DaemonSet', 'p-image-cleaner')).map((h: any) => h.path)).toEqual(['/mnt/ssd/pink-p', '/run/pink-p']);
  });

  test('host: no builder DaemonSet; builds and the cleaner use the node\'s Docker', () => {
    const objects = synthBinderHub({ builder: Builder.host() }, 'h');
    expect(daemonSets(objects).map(d => d.metadata.name)).toEqual(['h-image-cleaner']);
    expect(hostPaths(find(objects, 'DaemonSet', 'h-image-cleaner')).map((h: any) => h.path)).toEqual(['/var/lib/docker', '/var/run']);
    expect(binderValues(objects).config.KubernetesBuildExecutor).not.toHaveProperty('docker_host');
    expect(daemonSets(objects)).toMatchSnapshot();
  });

  test('no registry with the host builder renders: the node runtime starts what its Docker built', () => {
    const objects = synthBinderHub({ registry: Registry.none(), builder: Builder.host() }, 'h');
    expect(binderValues(objects).config.BinderHub.use_registry).toBe(false);
  });

  test('without a builder, Registry.none() builds on the host (the one builder it can launch from) and a registry in dind', () => {
    const alone = synthBinderHub({ registry: Registry.none() }, 'h');
    expect(daemonSets(alone).map(d => d.metadata.name)).toEqual(['h-image-cleaner']);
    expect(binderValues(alone).config.BinderHub.use_registry).toBe(false);
    expect(daemonSets(synthBinderHub({ registry: TEST_REGISTRY }, 'd')).map(d => d.metadata.name).sort()).toEqual(['d-dind', 'd-image-cleaner']);
  });
});

describe('isolation across an app', () => {
  const chart = ChartSource.local(FIXTURE_CHART);
  const define = (app: any, id: string, props: object = {}) => new BinderHub(app, id, { chart, tokens: fakeTokens(id), registry: TEST_REGISTRY, ...props });

  test('deployments in different apps may reuse names', () => {
    define(Testing.app(), 'a');
    expect(() => define(Testing.app(), 'a')).not.toThrow();
  });

  test('host and dind builders side by side do not collide', () => {
    const app = Testing.app();
    define(app, 'a', { builder: Builder.host() });
    expect(() => define(app, 'b')).not.toThrow();
  });

  test('folders side by side do not collide, even when one name starts with the other', () => {
    const app = Testing.app();
    define(app, 'a', { builder: Builder.dind({ hostSocketDir: '/run/dind/a', hostLibDir: '/data/dind/a' }) });
    define(app, 'b', { builder: Builder.dind({ hostSocketDir: '/run/dind/ab', hostLibDir: '/data/dind/ab' }) });
    expect(() => define(app, 'c', { builder: Builder.pink({ hostSocketDir: '/run/dind-c', hostStorageDir: '/data/dind-c' }) })).not.toThrow();
  });
});

describe('the example', () => {
  const { deployments } = defineExample(exampleInputs());
  const objects = deployments.map(d => Testing.synth(d));
  // prod's Secrets are sealed and staging's kept apart: read what the chart was given.
  const dockerHost = (i: number) => (deployments[i].helmChart.values as any).config.KubernetesBuildExecutor.docker_host;

  test('staging builds on the node\'s Docker without a registry; prod in its own dind, pushing to a registry', () => {
    const [staging, prod] = objects;
    expect(daemonSets(staging).map(d => d.metadata.name)).toEqual(['staging-image-cleaner']);
    expect((deployments[0].helmChart.values as any).config.BinderHub.use_registry).toBe(false);
    expect(hostPaths(find(prod, 'DaemonSet', 'prod-dind')).map((h: any) => h.path)).toEqual(['/var/lib/dind/prod', '/var/run/dind/prod']);
    expect((deployments[1].helmChart.values as any).config.BinderHub.use_registry).toBe(true);
    expect(dockerHost(1)).toBe('unix:///var/run/dind/prod/docker.sock');
    expect(hostPaths(find(prod, 'DaemonSet', 'prod-image-cleaner')).map((h: any) => h.path)).toEqual(['/var/lib/dind/prod', '/var/run/dind/prod']);
  });

  test('no workload selects another deployment\'s pods', () => {
    const workloads = objects.map(o => o.filter(x => x.spec?.selector?.matchLabels && x.spec?.template));
    for (const [i, mine] of workloads.entries()) {
      for (const theirs of workloads.filter((_, j) => j !== i).flat()) {
        for (const workload of mine) {
          const selects = Object.entries(workload.spec.selector.matchLabels).every(([k, v]) => theirs.spec.template.metadata.labels?.[k] === v);
          expect(selects).toBe(false);
        }
      }
    }
  });
});

describe('builders without a synth: chart values, node folders, descriptions', () => {
  test('the image cleaner is on unless imageCleaner: false', () => {
    expect(Builder.host().bind(Testing.chart(), 'h')).toEqual({ imageCleaner: { enabled: true }, imageBuilderType: 'host' });
    expect(Builder.host({ imageCleaner: false }).bind(Testing.chart(), 'h')).toEqual({ imageCleaner: { enabled: false }, imageBuilderType: 'host' });
    expect((Builder.dind({ imageCleaner: true }).bind(Testing.chart(), 'd') as any).imageCleaner.enabled).toBe(true);
  });

  test('pink: the chart\'s pink builder on this deployment\'s folders', () => {
    expect(Builder.pink().bind(Testing.chart(), 'p')).toEqual({
      imageCleaner: { enabled: true }, imageBuilderType: 'pink', pink: { hostSocketDir: '/var/run/pink/p', hostStorageDir: '/var/lib/pink/p' },
    });
  });

  test('dind: its socket and store in folders of the release, or the folders given', () => {
    expect(Builder.dind().hostPaths('prod')).toEqual({
      socket: '/var/run/dind/prod/docker.sock', socketDir: '/var/run/dind/prod', libDir: '/var/lib/dind/prod',
      regions: [{ setting: 'Builder.dind hostSocketDir', path: '/var/run/dind/prod' }, { setting: 'Builder.dind hostLibDir', path: '/var/lib/dind/prod' }],
    });
    expect(Builder.dind({ hostSocketDir: '/run/d', hostLibDir: '/mnt/d' }).hostPaths('prod')).toEqual({
      socket: '/run/d/docker.sock', socketDir: '/run/d', libDir: '/mnt/d',
      regions: [{ setting: 'Builder.dind hostSocketDir', path: '/run/d' }, { setting: 'Builder.dind hostLibDir', path: '/mnt/d' }],
    });
  });

  test('pink: podman\'s socket and store in folders of the release', () => {
    expect(Builder.pink().hostPaths('p')).toEqual({
      socket: '/var/run/pink/p/podman.sock', socketDir: '/var/run/pink/p', libDir: '/var/lib/pink/p',
      regions: [{ setting: 'Builder.pink hostSocketDir', path: '/var/run/pink/p' }, { setting: 'Builder.pink hostStorageDir', path: '/var/lib/pink/p' }],
    });
  });

  test('host: the node\'s Docker socket and store, whatever the release', () => {
    expect(Builder.host().hostPaths('h')).toEqual({
      socket: '/var/run/docker.sock', socketDir: '/var/run', libDir: '/var/lib/docker',
      regions: [{ setting: 'Builder.host socket', path: '/var/run/docker.sock' }, { setting: 'Builder.host image store', path: '/var/lib/docker' }],
    });
  });

  test('each builder names its factory, for messages', () => {
    expect([Builder.dind(), Builder.pink(), Builder.host()].map(b => b.description)).toEqual(['Builder.dind()', 'Builder.pink()', 'Builder.host()']);
  });

  test('only the node\'s Docker keeps images where the kubelet runs them', () => {
    expect([Builder.dind(), Builder.pink(), Builder.host()].map(b => b.keepsImagesPrivate)).toEqual([true, true, false]);
  });
});
