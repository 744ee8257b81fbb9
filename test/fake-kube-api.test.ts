/**
 * The fake Kubernetes API server (test/support/fake-kube-api.ts) against the real pinned kubectl: every kubectl
 * operation that `npm run apply` and `npm run diff -- --live` run works against it, with the outcome and the words
 * a real cluster gives. The expected kubectl output here is kubectl's own, as these tests found it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { toolPath } from '../lib/internal';
import { CommandResult, exampleWorkspace, runCommand, spawnAsync } from './helpers';
import { describeWithRealChart } from './real-chart';
import { fakeKubeApiPerTest, FakeKubeApiOptions, kubeEvent, RecordedRequest, writeKubeconfig } from './support/fake-kube-api';
import { mergePatch, strategicMergePatch } from './support/kube-patch';
import { KUBE_RESOURCES } from './support/kube-resources';

const LABEL = 'binderhub-cdk8s.io/deployment';
const NS = 'demo';
const PASSWORD_BEFORE = 'Pw-before-7Qx';
const PASSWORD_AFTER = 'Pw-after-9Kz';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const labels = { [LABEL]: 'demo' };

/** The objects of a deployment "demo", as a synth might write them, and one object that is not the deployment's. */
function manifest({ image = 'web:1', password = PASSWORD_BEFORE, sealed = 'AgBy1', withService = true, withUnmanaged = true } = {}): object[] {
  const selector = { matchLabels: { app: 'web' } };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS, labels, annotations: { note: 'kept' } }, data: { mode: 'demo' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'credentials', namespace: NS, labels }, type: 'Opaque', data: { password: b64(password) } },
    ...(withService ? [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS, labels }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }] : []),
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS, labels },
      spec: {
        selector,
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }, { name: 'sidecar', image: 'sidecar:1' }] } },
      },
    },
    { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'sealed', namespace: NS, labels }, spec: { encryptedData: { token: sealed } } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'demo-reader', labels }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    ...(withUnmanaged ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unmanaged', namespace: NS }, data: { owner: 'someone else' } }] : []),
  ];
}

const ALLOWLIST = ['core/v1/ConfigMap', 'core/v1/Secret', 'core/v1/Service', 'apps/v1/Deployment', 'bitnami.com/v1alpha1/SealedSecret', 'rbac.authorization.k8s.io/v1/ClusterRole'];

const PRUNE = ['--prune', '-l', `${LABEL}=demo`, ...ALLOWLIST.map(entry => `--prune-allowlist=${entry}`)];

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kube-api-'));
});

const start = fakeKubeApiPerTest();

/** Writes `objects` as one YAML file, as a synth does; returns its path. */
function file(name: string, objects: object[]): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, objects.map(o => yaml.dump(o)).join('---\n'));
  return target;
}

/** The pinned kubectl against `server`, not blocking this process (whose event loop serves the fake). */
function kubectl(server: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return spawnAsync(toolPath('kubectl'), ['--kubeconfig', writeKubeconfig(dir, server), ...args], {
    cwd: dir, env: { ...process.env, KUBECACHEDIR: path.join(dir, 'kube-cache'), ...env },
  });
}

/** `Kind/namespace/name` (`Kind/name` when cluster-scoped) of each object. */
const ids = (objects: any[]) => objects.map(o => [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join('/'));

/** `resource/name` of each request with `verb`. */
const calls = (requests: RecordedRequest[], verb: string) => requests.filter(r => r.verb === verb).map(r => `${r.resource}/${r.name}`);

const APPLIED = ['Namespace/demo', 'ConfigMap/demo/settings', 'Secret/demo/credentials', 'Service/demo/web', 'Deployment/demo/web',
  'SealedSecret/demo/sealed', 'ClusterRole/demo-reader', 'ConfigMap/demo/unmanaged'];

describe('kubectl apply', () => {
  test('creates every object of a fresh file, in file order, validated by the server', async () => {
    const cluster = await start();
    const result = await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest())]);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe([
      'namespace/demo created', 'configmap/settings created', 'secret/credentials created', 'service/web created', 'deployment.apps/web created',
      'sealedsecret.bitnami.com/sealed created', 'clusterrole.rbac.authorization.k8s.io/demo-reader created', 'configmap/unmanaged created', '',
    ].join('\n'));
    expect(ids(cluster.objects())).toEqual(APPLIED);
    const creates = cluster.requests().filter(r => r.verb === 'create');
    expect(creates.map(r => `${r.resource}/${r.name}`)).toEqual(['namespaces/demo', 'configmaps/settings', 'secrets/credentials', 'services/web',
      'deployments/web', 'sealedsecrets/sealed', 'clusterroles/demo-reader', 'configmaps/unmanaged']);
    // The OpenAPI documents tell kubectl that the server validates: it asks for that instead of validating itself.
    expect(creates.map(r => [r.query.fieldValidation, r.query.fieldManager, r.contentType])).toEqual(creates.map(() => ['Strict', 'kubectl-client-side-apply', 'application/json']));
    expect(cluster.requests().some(r => r.path === '/openapi/v2')).toBe(false);

    const deployment = cluster.get('Deployment', NS, 'web');
    expect(deployment.metadata).toMatchObject({ generation: 1, uid: expect.stringMatching(/^[0-9a-f-]{36}$/), creationTimestamp: expect.stringMatching(/Z$/) });
    expect(deployment.metadata.managedFields.map((f: any) => [f.manager, f.operation])).toEqual([['kubectl-client-side-apply', 'Update']]);
    expect(JSON.parse(deployment.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.template.spec.containers[0].image).toBe('web:1');
    expect(deployment.status).toMatchObject({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
    expect(cluster.get('Namespace', undefined, NS).metadata.labels).toEqual({ ...labels, 'kubernetes.io/metadata.name': NS });
    expect(cluster.get('ClusterRole', undefined, 'demo-reader').metadata.namespace).toBeUndefined();
  });

  test('a pruning apply deletes exactly the labelled object the file no longer holds, and patches what changed', async () => {
    const cluster = await start();
    expect((await kubectl(cluster.url, ['apply', '-f', file('first.yaml', manifest())])).status).toBe(0);
    const before = cluster.get('Deployment', NS, 'web');
    const second = file('second.yaml', manifest({ image: 'web:2', sealed: 'AgBy2', withService: false, withUnmanaged: false }));
    const result = await kubectl(cluster.url, ['apply', '-f', second, ...PRUNE]);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe([
      'namespace/demo unchanged', 'configmap/settings unchanged', 'secret/credentials unchanged', 'deployment.apps/web configured',
      'sealedsecret.bitnami.com/sealed configured', 'clusterrole.rbac.authorization.k8s.io/demo-reader unchanged', 'service/web pruned', '',
    ].join('\n'));
    expect(calls(cluster.requests(), 'delete')).toEqual(['services/web']);
    expect(ids(cluster.objects())).toEqual(APPLIED.filter(id => id !== 'Service/demo/web'));
    // kubectl lists each allowlisted kind by the label, in the namespace it applied to (and cluster-wide for cluster-scoped kinds).
    expect(cluster.requests().filter(r => r.verb === 'list').map(r => [r.path, r.query.labelSelector])).toEqual([
      ['/api/v1/namespaces/demo/configmaps', `${LABEL}=demo`], ['/api/v1/namespaces/demo/secrets', `${LABEL}=demo`],
      ['/api/v1/namespaces/demo/services', `${LABEL}=demo`], ['/apis/apps/v1/namespaces/demo/deployments', `${LABEL}=demo`],
      ['/apis/bitnami.com/v1alpha1/namespaces/demo/sealedsecrets', `${LABEL}=demo`], ['/apis/rbac.authorization.k8s.io/v1/clusterroles', `${LABEL}=demo`],
    ]);
    // Built-in kinds get a strategic merge patch, custom resources a JSON merge patch.
    expect(cluster.requests().filter(r => r.verb === 'patch').map(r => [r.resource, r.contentType])).toEqual([
      ['deployments', 'application/strategic-merge-patch+json'], ['sealedsecrets', 'application/merge-patch+json'],
    ]);
    const after = cluster.get('Deployment', NS, 'web');
    expect(after.spec.template.spec.containers).toEqual([{ name: 'web', image: 'web:2', ports: [{ containerPort: 8080 }] }, { name: 'sidecar', image: 'sidecar:1' }]);
    expect(after.metadata).toMatchObject({ uid: before.metadata.uid, creationTimestamp: before.metadata.creationTimestamp, generation: 2 });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(cluster.get('SealedSecret', NS, 'sealed').spec).toEqual({ encryptedData: { token: 'AgBy2' } });
  });

  test('--server-side stores the applied object, keeping uid and creation time; kubectl refuses it with --prune', async () => {
    const cluster = await start();
    const first = await kubectl(cluster.url, ['apply', '--server-side', '-f', file('first.yaml', manifest({ withUnmanaged: false }))]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout.split('\n')[0]).toBe('namespace/demo serverside-applied');
    const before = cluster.get('Deployment', NS, 'web');
    expect(before.metadata.managedFields.map((f: any) => [f.manager, f.operation])).toEqual([['kubectl', 'Apply']]);

    const changed: any[] = manifest({ image: 'web:2', withUnmanaged: false });
    delete changed[1].metadata.annotations; // a field this manager applied before and no longer does goes
    const second = await kubectl(cluster.url, ['apply', '--server-side', '-f', file('second.yaml', changed)]);
    expect(second.status).toBe(0);
    const after = cluster.get('Deployment', NS, 'web');
    expect(after.spec.template.spec.containers[0].image).toBe('web:2');
    expect(after.metadata).toMatchObject({ uid: before.metadata.uid, creationTimestamp: before.metadata.creationTimestamp, generation: 2 });
    expect(cluster.get('ConfigMap', NS, 'settings').metadata.annotations).toBeUndefined();
    expect(cluster.requests().filter(r => r.verb === 'patch').every(r => r.contentType === 'application/apply-patch+yaml' && r.query.force === 'false')).toBe(true);

    const count = cluster.requests().length;
    const pruning = await kubectl(cluster.url, ['apply', '--server-side', '-f', file('third.yaml', changed), ...PRUNE]);
    expect([pruning.status, pruning.stdout, pruning.stderr]).toEqual([1, '', 'error: --prune is in alpha and doesn\'t currently work on objects created by server-side apply\n']);
    expect(cluster.requests()).toHaveLength(count); // refused before it called the server
  });

  test('a kind the cluster does not serve: kubectl stops at validation (the fake serves no /openapi/v2), else at the mapping', async () => {
    const cluster = await start();
    const widget = file('widget.yaml', [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: NS } }]);
    const result = await kubectl(cluster.url, ['apply', '-f', widget]);
    expect([result.status, result.stderr]).toEqual([1, `error: error validating "${widget}": error validating data: the server could not find the requested resource; `
      + 'if you choose to ignore these errors, turn validation off with --validate=false\n']);
    const unvalidated = await kubectl(cluster.url, ['apply', '--validate=false', '-f', widget]);
    expect([unvalidated.status, unvalidated.stderr]).toEqual([1, `error: resource mapping not found for name: "w" namespace: "demo" from "${widget}": `
      + 'no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n']);
  });

  test('a prune allowlist entry for a kind the cluster does not serve stops kubectl before it applies anything', async () => {
    const cluster = await start();
    const result = await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest()), ...PRUNE, '--prune-allowlist=external-secrets.io/v1beta1/ExternalSecret']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'error: no matches for kind "ExternalSecret" in version "external-secrets.io/v1beta1"\n']);
    expect(cluster.objects()).toEqual([]);
  });

  test('an object in a namespace that does not exist is refused, as the real server does', async () => {
    const cluster = await start();
    const result = await kubectl(cluster.url, ['apply', '-f', file('no-namespace.yaml', manifest().slice(1, 2))]);
    expect([result.status, result.stderr]).toEqual([1, `Error from server (NotFound): error when creating "${path.join(dir, 'no-namespace.yaml')}": namespaces "demo" not found\n`]);
    expect(cluster.objects()).toEqual([]);
  });
});

describe('kubectl diff --server-side --force-conflicts', () => {
  /** A KUBECTL_EXTERNAL_DIFF program that prints each of the two folders it gets: its name, then each file and its contents. */
  function listingProgram(): string {
    const program = path.join(dir, 'list-folders');
    fs.writeFileSync(program, '#!/bin/sh\nfor folder in "$1" "$2"; do\n  echo "folder $(basename "$folder")"\n'
      + '  for f in "$folder"/*; do echo "file $(basename "$f")"; cat "$f"; done\ndone\n', { mode: 0o755 });
    return program;
  }

  /** What the listing program printed: the two folders' name prefixes (LIVE, MERGED), and their files by name. */
  function folders(output: string): Array<{ name: string; files: Record<string, string> }> {
    return output.split(/^folder /m).slice(1).map(block => {
      const [name, ...files] = block.split(/^file /m);
      return {
        name: name.trim().replace(/-\d+$/, ''),
        files: Object.fromEntries(files.map(f => [f.slice(0, f.indexOf('\n')), f.slice(f.indexOf('\n') + 1)])),
      };
    });
  }

  const changedFiles = ([live, merged]: Array<{ files: Record<string, string> }>) => Object.keys(merged.files).filter(f => merged.files[f] !== live.files[f]);

  test('hands the program the live and the would-be objects, with Secret data masked, and changes nothing', async () => {
    const cluster = await start();
    expect((await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest())])).status).toBe(0);
    const stored = JSON.stringify(cluster.objects());
    const changed = file('changed.yaml', manifest({ image: 'web:2', password: PASSWORD_AFTER }));
    const env = { KUBECTL_EXTERNAL_DIFF: listingProgram() };

    const result = await kubectl(cluster.url, ['diff', '--server-side', '--force-conflicts', '-f', changed], env);
    expect([result.status, result.stderr]).toEqual([0, '']); // the program's exit status (here 0) is kubectl's
    const [live, merged] = folders(result.stdout);
    expect([live.name, merged.name]).toEqual(['LIVE', 'MERGED']);
    const names = ['apps.v1.Deployment.demo.web', 'bitnami.com.v1alpha1.SealedSecret.demo.sealed', 'rbac.authorization.k8s.io.v1.ClusterRole..demo-reader',
      'v1.ConfigMap.demo.settings', 'v1.ConfigMap.demo.unmanaged', 'v1.Namespace..demo', 'v1.Secret.demo.credentials', 'v1.Service.demo.web'];
    expect([Object.keys(live.files), Object.keys(merged.files)]).toEqual([names, names]); // every object of the file, changed or not
    // As the real server does for field manager "kubectl", the dry run rewrites client-side apply's last-applied
    // annotation, which kubectl wrote with `"annotations":{}`: so every object without annotations differs there.
    expect(changedFiles([live, merged])).toEqual(names.filter(n => n !== 'v1.ConfigMap.demo.settings'));
    expect(yaml.load(merged.files['apps.v1.Deployment.demo.web'])).toMatchObject({ metadata: { generation: 2 }, spec: { template: { spec: { containers: [{ image: 'web:2' }, {}] } } } });
    expect(yaml.load(live.files['v1.Secret.demo.credentials'])).toMatchObject({ data: { password: '*** (before)' } });
    expect(yaml.load(merged.files['v1.Secret.demo.credentials'])).toMatchObject({ data: { password: '*** (after)' } });
    // kubectl masks data, but the last-applied annotation still holds the values, on both sides.
    expect(live.files['v1.Secret.demo.credentials']).toContain(b64(PASSWORD_BEFORE));
    expect(merged.files['v1.Secret.demo.credentials']).toContain(b64(PASSWORD_AFTER));
    expect(result.stdout).not.toMatch(/managedFields/);
    expect(JSON.stringify(cluster.objects())).toBe(stored);
    expect(cluster.requests().filter(r => r.verb === 'patch').map(r => [r.name, r.contentType, r.query.dryRun, r.query.force, r.query.fieldManager]))
      .toEqual(['demo', 'settings', 'credentials', 'web', 'web', 'sealed', 'demo-reader', 'unmanaged'].map(name => [name, 'application/apply-patch+yaml', 'All', 'true', 'kubectl']));

    // Under another field manager the annotation stays as it is: only the real changes differ.
    const other = folders((await kubectl(cluster.url, ['diff', '--server-side', '--force-conflicts', '--field-manager=fake-diff', '-f', changed], env)).stdout);
    expect(changedFiles(other)).toEqual(['apps.v1.Deployment.demo.web', 'v1.Secret.demo.credentials']);
  });

  test('an object not yet in the cluster is an empty file on the live side; the program\'s exit status 1 is kubectl\'s', async () => {
    const cluster = await start();
    expect((await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest({ withService: false }))])).status).toBe(0);
    const program = path.join(dir, 'differ');
    fs.writeFileSync(program, `#!/bin/sh\n${listingProgram()} "$@"\nexit 1\n`, { mode: 0o755 });
    const result = await kubectl(cluster.url, ['diff', '--server-side', '--force-conflicts', '-f', file('more.yaml', manifest())], { KUBECTL_EXTERNAL_DIFF: program });
    expect([result.status, result.stderr]).toEqual([1, '']);
    const [live, merged] = folders(result.stdout);
    expect(live.files['v1.Service.demo.web']).toBe('');
    expect(yaml.load(merged.files['v1.Service.demo.web'])).toMatchObject({ kind: 'Service', metadata: { name: 'web', namespace: NS } });
    expect(cluster.get('Service', NS, 'web')).toBeUndefined();
  });
});

describe('kubectl rollout status', () => {
  const applied = async (options: FakeKubeApiOptions) => {
    const cluster = await start(options);
    const workloads = [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-agent', namespace: NS }, spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { serviceName: 'db', template: { spec: { containers: [{ name: 'd', image: 'd:1' }] } } } },
    ];
    expect((await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', [...manifest(), ...workloads])])).status).toBe(0);
    return cluster;
  };

  test.each([
    ['deployment/web', 'deployment "web" successfully rolled out\n'],
    ['daemonset/node-agent', 'daemon set "node-agent" successfully rolled out\n'],
    ['statefulset/db', 'partitioned roll out complete: 1 new pods have been updated...\n'],
  ])('%s succeeds when its pods are ready', async (workload, message) => {
    const cluster = await applied({});
    const result = await kubectl(cluster.url, ['rollout', 'status', workload, '-n', NS, '--timeout=5s']);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, message, '']);
  });

  test.each([
    ['deployment/web', 'stuck', 'Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...\n', 'error: timed out waiting for the condition\n'],
    ['daemonset/node-agent', 'stuck', 'Waiting for daemon set "node-agent" rollout to finish: 0 of 1 updated pods are available...\n', 'error: timed out waiting for the condition\n'],
    ['statefulset/db', 'stuck', 'Waiting for 1 pods to be ready...\n', 'error: timed out waiting for the condition\n'],
    ['deployment/web', 'failed', '', 'error: deployment "web" exceeded its progress deadline\n'],
  ] as const)('%s fails when %s', async (workload, state, stdout, stderr) => {
    const [kind, name] = workload.split('/');
    const key = `${{ deployment: 'Deployment', daemonset: 'DaemonSet', statefulset: 'StatefulSet' }[kind]}/${NS}/${name}`;
    const cluster = await applied({ rollouts: { [key]: state } });
    const result = await kubectl(cluster.url, ['rollout', 'status', workload, '-n', NS, `--timeout=${workload === 'deployment/web' ? 5 : 1}s`]);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, stdout, stderr]);
  });

  test('waits on a watch until the workload becomes ready', async () => {
    const cluster = await applied({ rollout: 'stuck' });
    const waiting = kubectl(cluster.url, ['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=20s']);
    const watch = await cluster.whenRequest(r => r.verb === 'watch');
    expect(watch.query).toMatchObject({ fieldSelector: 'metadata.name=web', sendInitialEvents: 'true', watch: 'true' });
    cluster.setRollout('Deployment', NS, 'web', 'ready');
    const result = await waiting;
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe('Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...\ndeployment "web" successfully rolled out\n');
  });

  test('a workload that does not exist', async () => {
    const cluster = await start({ objects: manifest().slice(0, 1) });
    const result = await kubectl(cluster.url, ['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=5s']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'Error from server (NotFound): deployments.apps "web" not found\n']);
  });
});

describe('kubectl get events', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' };
  const seeded = [
    kubeEvent(deployment, { reason: 'FailedCreate', message: 'pods "web-1" is forbidden: exceeded quota', lastTimestamp: '2025-03-01T10:00:00Z' }),
    kubeEvent({ apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'web-2' }, { reason: 'BackOff', message: 'Back-off restarting failed container' }),
    kubeEvent({ apiVersion: 'v1', kind: 'Pod', namespace: 'elsewhere', name: 'x' }, { reason: 'Pulled', message: 'pulled', type: 'Normal' }),
  ];

  test('returns the seeded events of the namespace, and selects by involved object', async () => {
    const cluster = await start({ objects: seeded });
    const all = await kubectl(cluster.url, ['get', 'events', '-n', NS, '-o', 'json']);
    expect(all.status).toBe(0);
    const summary = (json: string) => JSON.parse(json).items.map((e: any) => [e.involvedObject.kind, e.involvedObject.name, e.type, e.reason, e.message, e.lastTimestamp]);
    expect(summary(all.stdout)).toEqual([
      // Ordered by name, as the real server's storage orders them: "web-2.…" before "web.…".
      ['Pod', 'web-2', 'Warning', 'BackOff', 'Back-off restarting failed container', '2025-01-01T00:00:00Z'],
      ['Deployment', 'web', 'Warning', 'FailedCreate', 'pods "web-1" is forbidden: exceeded quota', '2025-03-01T10:00:00Z'],
    ]);
    const selected = await kubectl(cluster.url, ['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'json']);
    expect(summary(selected.stdout).map((e: string[]) => e[3])).toEqual(['FailedCreate']);
    const forWorkload = await kubectl(cluster.url, ['events', '-n', NS, '--for', 'deployment/web']);
    expect(forWorkload.stdout).toContain('pods "web-1" is forbidden: exceeded quota');
    expect(cluster.requests().filter(r => r.resource === 'events').map(r => r.query.fieldSelector)).toEqual([
      undefined, 'involvedObject.kind=Deployment,involvedObject.name=web', 'involvedObject.kind=Deployment,involvedObject.apiVersion=apps/v1,involvedObject.name=web',
    ]);
  });
});

describe('kubectl logs', () => {
  test('prints the last lines of a pod\'s seeded log; a pod that does not exist is NotFound', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'build-1', namespace: NS }, spec: { containers: [{ name: 'builder', image: 'b' }] } };
    const cluster = await start({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, pod], logs: { [`${NS}/build-1`]: 'one\ntwo\nthree\n' } });
    const result = await kubectl(cluster.url, ['logs', 'build-1', '-n', NS, '--tail=2']);
    expect([result.status, result.stdout]).toEqual([0, 'two\nthree\n']);
    const missing = await kubectl(cluster.url, ['logs', 'build-2', '-n', NS]);
    expect([missing.status, missing.stderr]).toEqual([1, `error: error from server (NotFound): pods "build-2" not found in namespace "${NS}"\n`]);
  });
});

describe('kubectl delete', () => {
  test('deletes objects by kind and name, waits until they are gone; deleting the Namespace deletes what is in it, and nothing else', async () => {
    const cluster = await start({ objects: manifest() });
    const result = await kubectl(cluster.url, ['delete', 'deployment.v1.apps/web', 'service/web', '-n', NS, '--ignore-not-found', '--wait=true', '--timeout=10s']);
    expect([result.status, result.stdout]).toEqual([0, `deployment.apps "web" deleted from ${NS} namespace\nservice "web" deleted from ${NS} namespace\n`]);
    expect(calls(cluster.requests(), 'delete')).toEqual(['deployments/web', 'services/web']);
    const namespace = await kubectl(cluster.url, ['delete', 'namespace/demo', '--wait=false']);
    expect(namespace.status).toBe(0);
    expect(ids(cluster.objects())).toEqual(['ClusterRole/demo-reader']);
  });
});

describe('errors', () => {
  test('403 gives kubectl\'s Forbidden error; the objects before it are applied, the rest too', async () => {
    const cluster = await start({ user: 'ci-deployer', forbidden: [{ verb: 'create', resource: 'deployments' }, { verb: 'get', resource: 'secrets', name: 'credentials' }] });
    const demo = file('demo.yaml', manifest());
    const result = await kubectl(cluster.url, ['apply', '-f', demo]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'Error from server (Forbidden): error when retrieving current configuration of:',
      'Resource: "/v1, Resource=secrets", GroupVersionKind: "/v1, Kind=Secret"',
      'Name: "credentials", Namespace: "demo"',
      `from server for: "${demo}": secrets "credentials" is forbidden: User "ci-deployer" cannot get resource "secrets" in API group "" in the namespace "demo"`,
      `Error from server (Forbidden): error when creating "${demo}": deployments.apps is forbidden: User "ci-deployer" cannot create resource "deployments" in API group "apps" in the namespace "demo"`,
      '',
    ].join('\n'));
    expect(ids(cluster.objects())).toEqual(APPLIED.filter(id => id !== 'Secret/demo/credentials' && id !== 'Deployment/demo/web'));

    const get = await kubectl(cluster.url, ['get', 'secret', 'credentials', '-n', NS, '-o', 'json']);
    expect([get.status, get.stderr]).toEqual([1, 'Error from server (Forbidden): secrets "credentials" is forbidden: User "ci-deployer" cannot get resource "secrets" in API group "" in the namespace "demo"\n']);
  });

  test('a forbidden prune delete fails the apply after the applies', async () => {
    const cluster = await start({ user: 'ci-deployer', forbidden: [{ verb: 'delete' }] });
    await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest())]);
    const result = await kubectl(cluster.url, ['apply', '-f', file('less.yaml', manifest({ withService: false })), ...PRUNE]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('deployment.apps/web unchanged\n');
    expect(result.stderr).toBe('error: error pruning namespaced object /v1, Kind=Service: services "web" is forbidden: '
      + 'User "ci-deployer" cannot delete resource "services" in API group "" in the namespace "demo"\n');
    expect(cluster.get('Service', NS, 'web')).toBeDefined();
  });

  test('a closed server: each command says the connection was refused', async () => {
    const cluster = await start();
    await cluster.close();
    const port = new URL(cluster.url).port;
    const refused = `dial tcp 127.0.0.1:${port}: connect: connection refused`;
    const apply = await kubectl(cluster.url, ['apply', '-f', file('demo.yaml', manifest())]);
    expect([apply.status, apply.stderr]).toEqual([1, `error: error validating "${path.join(dir, 'demo.yaml')}": error validating data: failed to download openapi: `
      + `Get "http://127.0.0.1:${port}/openapi/v2?timeout=32s": ${refused}; if you choose to ignore these errors, turn validation off with --validate=false\n`]);
    const diff = await kubectl(cluster.url, ['diff', '--server-side', '-f', file('demo.yaml', manifest())]);
    expect(diff.status).toBe(2);
    expect(diff.stderr.split('\n').slice(-2)).toEqual([`error: unable to recognize "${path.join(dir, 'demo.yaml')}": Get "http://127.0.0.1:${port}/api?timeout=32s": ${refused}`, '']);
    for (const args of [['rollout', 'status', 'deployment/web', '-n', NS], ['get', 'events', '-n', NS, '-o', 'json']]) {
      const result = await kubectl(cluster.url, args);
      expect(result.status).toBe(1);
      expect(result.stderr.split('\n').slice(-2)).toEqual([`The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`, '']);
    }
  });
});

describeWithRealChart('the example\'s synthesized files against the fake API server', chart => {
  test.each(['staging', 'prod'])('%s: the printed pruning apply creates every object, and every workload rolls out', async deployment => {
    const cwd = exampleWorkspace('fake-kube-api-example-');
    const env = { BINDERHUB_CHART: chart };
    expect(runCommand('init-secrets', cwd, env).status).toBe(0);
    expect(runCommand('synth', cwd, env).status).toBe(0);
    const printed = runCommand('prune-command', cwd, env, [deployment]).stdout;
    const objects = printed.match(/ -f (\S+)/g)!.flatMap(f => yaml.loadAll(fs.readFileSync(path.join(cwd, f.slice(4)), 'utf8')) as any[]);
    const cluster = await start();
    const result = await spawnAsync('bash', ['-c', printed], {
      cwd, env: { ...process.env, PATH: `${path.dirname(toolPath('kubectl'))}:${process.env.PATH}`, KUBECONFIG: writeKubeconfig(dir, cluster.url), KUBECACHEDIR: path.join(dir, 'kube-cache') },
    });
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(ids(cluster.objects()).sort()).toEqual(ids(objects).sort());
    const workloads = objects.filter(o => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
    expect(workloads.length).toBeGreaterThan(4);
    for (const workload of workloads) {
      const rollout = await kubectl(cluster.url, ['rollout', 'status', `${workload.kind.toLowerCase()}/${workload.metadata.name}`, '-n', workload.metadata.namespace, '--timeout=5s']);
      expect([rollout.status, rollout.stderr]).toEqual([0, '']);
    }
  });
});

describe('the resource table', () => {
  test('serves every kind our synthesized files hold, namespaced as the API is', () => {
    const served = Object.fromEntries(KUBE_RESOURCES.map(r => [`${r.group ? `${r.group}/` : ''}${r.version}/${r.kind}`, r.namespaced]));
    expect(served).toEqual({
      'v1/Namespace': false, 'v1/ServiceAccount': true, 'v1/Secret': true, 'v1/ConfigMap': true, 'v1/Service': true, 'v1/PersistentVolumeClaim': true,
      'v1/Pod': true, 'v1/Event': true, 'apps/v1/Deployment': true, 'apps/v1/DaemonSet': true, 'apps/v1/StatefulSet': true, 'rbac.authorization.k8s.io/v1/Role': true,
      'rbac.authorization.k8s.io/v1/RoleBinding': true, 'rbac.authorization.k8s.io/v1/ClusterRole': false, 'rbac.authorization.k8s.io/v1/ClusterRoleBinding': false,
      'networking.k8s.io/v1/NetworkPolicy': true, 'networking.k8s.io/v1/Ingress': true, 'policy/v1/PodDisruptionBudget': true,
      'scheduling.k8s.io/v1/PriorityClass': false, 'apiextensions.k8s.io/v1/CustomResourceDefinition': false, 'cert-manager.io/v1/Certificate': true,
      'cert-manager.io/v1/Issuer': true, 'cert-manager.io/v1/ClusterIssuer': false, 'external-secrets.io/v1/ExternalSecret': true,
      'gateway.networking.k8s.io/v1/HTTPRoute': true, 'bitnami.com/v1alpha1/SealedSecret': true,
    });
  });
});

describe('patch approximations', () => {
  test('JSON merge patch: maps merge, null deletes, lists are replaced', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2], k: 'x' }, { a: { b: null, d: 3 }, l: [3], k: null })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });

  test('strategic merge patch: lists merge on the key $setElementOrder names, else are replaced; other directives are dropped', () => {
    const live: any = { spec: { containers: [{ name: 'a', image: 'a:1', ports: [80] }, { name: 'b', image: 'b:1' }, { name: 'c', image: 'c:1' }], args: ['x'] } };
    const patch: any = {
      spec: {
        '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'd' }],
        containers: [{ name: 'a', image: 'a:2' }, { name: 'd', image: 'd:1' }],
        args: ['y'],
        $retainKeys: ['containers'],
      },
    };
    expect(strategicMergePatch(live, patch)).toEqual({
      spec: { containers: [{ name: 'b', image: 'b:1' }, { name: 'a', image: 'a:2', ports: [80] }, { name: 'd', image: 'd:1' }], args: ['y'] },
    });
    expect(strategicMergePatch(live, { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'c', $patch: 'delete' }] } }))
      .toEqual({ spec: { containers: [], args: ['x'] } });
  });
});
