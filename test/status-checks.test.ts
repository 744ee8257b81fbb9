/** status's decisions, in-process: from objects as the cluster lists them to ok / warning / failing lines. */
import {
  buildLogEvidence, LiveState, namesToResolve, rolloutProblem, secretSummary, StatusInputs, statusChecks, hubUrlChecks, registryLoginChecks,
  statusExitCode, formatStatus, userServerCheck,
} from '../lib/internal';

const NS = 'binder';
const NOW = Date.parse('2026-01-01T12:00:00Z');

const emptyLive: LiveState = {
  objects: [], unservedKinds: [], namespaceExists: true, pods: [], events: [], services: [], claims: [], configMaps: [], secrets: [], certificates: [],
};

function inputs(overrides: Partial<Omit<StatusInputs, 'live'>> & { live?: Partial<LiveState> } = {}): StatusInputs {
  return {
    deployment: 'd', namespace: NS, files: ['dist/d.k8s.yaml'], expected: [], workloads: [], hubUrl: { namespace: NS, url: 'http://203.0.113.7/', source: 'discovered' },
    resolved: {}, buildLogs: {}, now: NOW, ...overrides, live: { ...emptyLive, ...overrides.live },
  };
}

const dockerConfig = (hosts: string[]) => Buffer.from(JSON.stringify({ auths: Object.fromEntries(hosts.map(h => [h, { auth: 'c2VjcmV0LXZhbHVl' }])) })).toString('base64');

describe('secretSummary', () => {
  test('keeps names, keys and a docker config\'s registry hosts, and no value', () => {
    const summary = secretSummary({ metadata: { name: 'binder-build-docker-config' }, type: 'Opaque', data: { 'config.json': dockerConfig(['registry.example.org']) } });
    expect(summary).toEqual({ name: 'binder-build-docker-config', type: 'Opaque', labels: {}, keys: ['config.json'], registryHosts: ['registry.example.org'] });
    expect(JSON.stringify(summary)).not.toContain('c2VjcmV0LXZhbHVl');
  });

  test('a Secret that is no docker config names no hosts', () => {
    expect(secretSummary({ metadata: { name: 'hub' }, data: { token: 'eA==' } })).toEqual({ name: 'hub', type: undefined, labels: {}, keys: ['token'] });
  });
});

describe('the rollout check', () => {
  test('judges the workloads apply waits for: a DaemonSet that updates only when its pods are deleted (OnDelete, which apply leaves out) never fails it', () => {
    const dind = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'dind', namespace: NS }, spec: { updateStrategy: { type: 'OnDelete' } },
      status: { desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 } };
    const rollout = (workloads: StatusInputs['workloads']) => statusChecks(inputs({ workloads, live: { objects: [dind] } })).filter(c => c.check === 'rollout');
    expect(rollout([])).toEqual([{ check: 'rollout', status: 'ok', evidence: '0 workloads rolled out' }]);
    expect(rollout([{ resource: 'daemonset', name: 'dind', namespace: NS }]).map(c => c.status)).toEqual(['failing']);
  });
});

describe('rolloutProblem', () => {
  const deployment = (status: object, generation = 2) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hub', generation }, spec: { replicas: 2 }, status });
  test.each([
    ['rolled out', { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 }, undefined],
    ['a generation not yet seen', { observedGeneration: 1 }, 'its controller has not seen generation 2 yet'],
    ['a progress deadline exceeded', { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }] },
      'ProgressDeadlineExceeded: timed out'],
    ['replicas not available', { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 }, '1 of 2 updated replicas are available'],
  ])('a Deployment: %s', (_name, status, problem) => {
    expect(rolloutProblem(deployment(status))).toBe(problem);
  });

  test('a DaemonSet with a pod not available', () => {
    expect(rolloutProblem({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'dind' }, status: { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 } }))
      .toBe('2 of 3 updated pods are available');
  });
});

describe('buildLogEvidence', () => {
  test('the lines naming a push or pull error, else the last three', () => {
    expect(buildLogEvidence('a\nb\nPushing image\nunauthorized: authentication required\ndone\n')).toBe('Pushing image | unauthorized: authentication required');
    expect(buildLogEvidence('one\ntwo\nthree\nfour\n')).toBe('two | three | four');
  });
});

describe('hubUrlChecks', () => {
  const proxy = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'proxy-public' }, spec: { type: 'LoadBalancer' } };
  const configMap = (url: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'binder-hub-url', namespace: NS }, data: { hub_url: url } });

  test('a pending hub URL while proxy-public has its address: patch-hub-url is the fix', () => {
    expect(hubUrlChecks(inputs({ hubUrl: { namespace: NS, url: '', source: 'pending' }, live: { services: [proxy] } }), '203.0.113.7')).toEqual([
      { check: 'hub-url', status: 'failing', evidence: 'pending in the manifest, while proxy-public has the address 203.0.113.7: run `npm run patch-hub-url -- --deployment d --apply`' },
    ]);
  });

  test('a binder pod configured with another URL than the manifest: apply is the fix', () => {
    const checks = hubUrlChecks(inputs({ live: { objects: [configMap('http://203.0.113.1/')] } }), '203.0.113.7');
    expect(checks).toEqual([{ check: 'hub-url', status: 'failing', evidence: 'the binder pod is configured with http://203.0.113.1/ (ConfigMap binder-hub-url), '
      + 'the manifest with http://203.0.113.7/: run `npm run apply -- --deployment d`' }]);
  });

  test('a fixed DNS name that does not resolve: the record to create for proxy-public\'s address', () => {
    const checks = hubUrlChecks(inputs({ hubUrl: { namespace: NS, url: 'https://hub.example.org/', source: 'fixed' } }), '203.0.113.7');
    expect(checks).toContainEqual({ check: 'dns', status: 'failing', evidence: 'hub.example.org does not resolve: create the DNS A record hub.example.org -> 203.0.113.7' });
  });

  test('an Ingress host resolving elsewhere than the Ingress controller\'s address', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'binder', namespace: NS },
      spec: { rules: [{ host: 'binder.example.org' }] }, status: { loadBalancer: { ingress: [{ hostname: 'lb.example.net' }] } },
    };
    const live = { objects: [ingress] };
    expect(namesToResolve({ ...emptyLive, ...live }, 'https://binder.example.org/')).toEqual(['binder.example.org', 'lb.example.net']);
    const checks = hubUrlChecks(inputs({ live, hubUrl: { namespace: NS, url: 'https://binder.example.org/', source: 'fixed' },
      resolved: { 'binder.example.org': ['198.51.100.1'], 'lb.example.net': ['198.51.100.2'] } }), undefined);
    expect(checks).toContainEqual({ check: 'dns', status: 'failing', evidence: 'binder.example.org resolves to 198.51.100.1, not to lb.example.net: change it to the DNS CNAME record binder.example.org -> lb.example.net' });
  });
});

describe('registryLoginChecks', () => {
  const expected = [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'binder-build-docker-config', namespace: NS }, stringData: { 'config.json': JSON.stringify({ auths: { 'quay.io': {} } }) } }];

  test('a login to another registry than the files name: apply is the fix', () => {
    const live = { secrets: [secretSummary({ metadata: { name: 'binder-build-docker-config' }, data: { 'config.json': dockerConfig(['https://index.docker.io/v1/']) } })] };
    expect(registryLoginChecks(inputs({ expected, live }))).toEqual([{ check: 'registry-login', status: 'failing',
      evidence: 'Secret binder-build-docker-config logs in to https://index.docker.io/v1/, not to quay.io as the files do: run `npm run apply -- --deployment d`' }]);
  });

  test('a deployment that pushes nowhere has no registry-login line', () => {
    expect(registryLoginChecks(inputs())).toEqual([]);
  });
});

test('a user server pending longer than five minutes is a warning with the scheduler\'s event', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'jupyter-x', labels: { component: 'singleuser-server' }, creationTimestamp: '2026-01-01T11:50:00Z' }, status: { phase: 'Pending' } };
  const event = { involvedObject: { kind: 'Pod', name: 'jupyter-x' }, type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient memory.', lastTimestamp: '2026-01-01T11:59:00Z' };
  expect(userServerCheck(inputs({ live: { pods: [pod], events: [event as any] } }))).toEqual({ check: 'user-servers', status: 'warning',
    evidence: 'jupyter-x pending for 10 minutes (FailedScheduling on pod/jupyter-x: 0/3 nodes are available: 3 Insufficient memory.)' });
});

test('a namespace that does not exist is one failing line; warnings do not fail the exit status', () => {
  const checks = statusChecks(inputs({ live: { namespaceExists: false } }));
  expect(formatStatus(checks)).toBe('failing objects: namespace binder does not exist: the deployment is not applied; run `npm run apply -- --deployment d`\n');
  expect([statusExitCode(checks), statusExitCode([{ check: 'dns', status: 'warning', evidence: '' }])]).toEqual([1, 0]);
});
