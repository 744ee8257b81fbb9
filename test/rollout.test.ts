/**
 * Waiting for workloads to roll out, and the event that explains one that did not (lib/cluster/rollout.ts): the waits run
 * the real pinned kubectl against the fake API server (test/support/fake-kube-api.ts), through a wrapper that
 * records kubectl's arguments.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeLastEvent, RolloutOptions, waitForRollouts, Workload } from '../lib/internal';
import { fakeKubeApiPerTest, FakeKubeApi, FakeKubeApiOptions, kubeEvent } from './support/fake-kube-api';
import { fakeClock } from './helpers';
import { recordingKubectl } from './support/kubectl-scripts';

const NS = 'prod';
const hub: Workload = { resource: 'deployment', name: 'hub', namespace: NS };
const binder: Workload = { resource: 'deployment', name: 'binder', namespace: NS };

const deployment = (name: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } } },
});

describe('waitForRollouts', () => {
  const start = fakeKubeApiPerTest();
  let dir: string;
  /** The kubectl calls recorded so far, without the kubeconfig every one of them names. */
  let calls: () => string[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** Options for `cluster` whose kubectl is a wrapper of the real one that records each call (`calls`). */
  function optionsFor(cluster: FakeKubeApi, timeoutSec: number, onProgress?: (line: string) => void): RolloutOptions {
    const kubectl = recordingKubectl(dir, cluster.url);
    calls = kubectl.calls;
    return { ...kubectl.options, timeoutSec, onProgress };
  }

  const cluster = (options: FakeKubeApiOptions = {}) => start({ ...options, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, deployment('hub'), deployment('binder'), ...options.objects ?? []] });

  test('each wait gets the time left until the one deadline for all workloads, in whole seconds rounded up', async () => {
    const clock = fakeClock();
    const progress: string[] = [];
    // The first rollout takes 30.5 s of the 120: the second may wait ceil(89.5) = 90 s.
    const options = optionsFor(await cluster(), 120, line => {
      progress.push(line);
      if (line.endsWith('successfully rolled out')) clock.advance(30_500);
    });
    await waitForRollouts(options, [hub, binder]);
    expect(calls()).toEqual([
      `--request-timeout=0s rollout status deployment/hub --namespace ${NS} --timeout=120s`,
      `--request-timeout=0s rollout status deployment/binder --namespace ${NS} --timeout=90s`,
    ]);
    expect(progress).toEqual([
      'rollout: waiting for deployment/hub (1 of 2)', 'deployment "hub" successfully rolled out',
      'rollout: waiting for deployment/binder (2 of 2)', 'deployment "binder" successfully rolled out',
    ]);
  });

  test('a wait that starts after the deadline still gets 1 s: --timeout=0s would make kubectl wait forever', async () => {
    const clock = fakeClock();
    const options = optionsFor(await cluster(), 10, line => {
      if (line.endsWith('successfully rolled out')) clock.advance(60_000);
    });
    await waitForRollouts(options, [hub, binder]);
    expect(calls()).toEqual([
      `--request-timeout=0s rollout status deployment/hub --namespace ${NS} --timeout=10s`,
      `--request-timeout=0s rollout status deployment/binder --namespace ${NS} --timeout=1s`,
    ]);
  });

  test('a workload not ready by the deadline fails the wait with its name, kubectl\'s error and its latest warning; the rest is not waited for', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'hub-5d9-x2k' };
    const options = optionsFor(await cluster({
      rollouts: { [`Deployment/${NS}/hub`]: 'stuck' },
      objects: [
        kubeEvent(pod, { reason: 'BackOff', message: 'Back-off pulling image "hub:1"', lastTimestamp: '2026-11-26T10:01:00Z' }),
        kubeEvent(pod, { reason: 'Failed', message: 'Failed to pull image "hub:1": not found', lastTimestamp: '2026-11-26T10:00:00Z' }),
      ],
    }), 1);
    await expect(waitForRollouts(options, [hub, binder])).rejects.toThrow(new Error(`deployment/hub in namespace ${NS} was not ready when --timeout ran out `
      + '(1 s for all workloads; error: timed out waiting for the condition); last event: BackOff on pod/hub-5d9-x2k: Back-off pulling image "hub:1"; '
      + `see kubectl describe deployment hub --namespace ${NS}`));
    // The event list is asked for with the request time limit, so a hanging API server cannot hold back the failure; the watch has none but its --timeout.
    expect(calls()).toEqual([
      `--request-timeout=0s rollout status deployment/hub --namespace ${NS} --timeout=1s`,
      `--request-timeout=30s get events --namespace ${NS} --output json`,
    ]);
  });

  test.each<[string, FakeKubeApiOptions]>([
    ['no event is about the workload', { objects: [kubeEvent({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'hubble' }, { reason: 'Failed', message: 'not ours' })] }],
    ['kubectl may not list events', { forbidden: [{ verb: 'list', resource: 'events' }] }],
  ])('when %s, the failure says that no event names it', async (_, extra) => {
    const options = optionsFor(await cluster({ ...extra, rollouts: { [`Deployment/${NS}/hub`]: 'stuck' } }), 1);
    await expect(waitForRollouts(options, [hub])).rejects.toThrow(new Error(`deployment/hub in namespace ${NS} was not ready when --timeout ran out `
      + `(1 s for all workloads; error: timed out waiting for the condition); no event names it; see kubectl describe deployment hub --namespace ${NS}`));
  });
});

describe('describeLastEvent', () => {
  const event = (name: string, kind: string, type: string, reason: string, lastTimestamp: string, message: string) =>
    ({ involvedObject: { kind, name, namespace: NS }, type, reason, lastTimestamp, message });

  test('prefers the latest warning about the workload or its pods over later normal events', () => {
    expect(describeLastEvent([
      event('hub', 'Deployment', 'Normal', 'ScalingReplicaSet', '2026-11-26T10:00:05Z', 'Scaled up replica set hub-5d9 to 1'),
      event('hub-5d9-x2k', 'Pod', 'Warning', 'Failed', '2026-11-26T10:00:10Z', 'Failed to pull image "quay.io/x:1"'),
      event('hub-5d9-x2k', 'Pod', 'Warning', 'BackOff', '2026-11-26T10:00:20Z', 'Back-off pulling image\n  "quay.io/x:1"'),
      event('hub-5d9-x2k', 'Pod', 'Normal', 'Pulling', '2026-11-26T10:00:30Z', 'Pulling image'),
    ], hub)).toBe('BackOff on pod/hub-5d9-x2k: Back-off pulling image "quay.io/x:1"');
  });

  test('without warnings, the latest event of any type; events of other workloads (hubble, user-scheduler) are not its', () => {
    expect(describeLastEvent([
      event('hub', 'Deployment', 'Normal', 'ScalingReplicaSet', '2026-11-26T10:00:05Z', 'Scaled up replica set hub-5d9 to 1'),
      event('hubble', 'Deployment', 'Warning', 'Failed', '2026-11-26T10:00:50Z', 'not ours'),
      event('hub-5d9', 'ReplicaSet', 'Normal', 'SuccessfulCreate', '2026-11-26T10:00:06Z', 'Created pod: hub-5d9-x2k'),
    ], hub)).toBe('SuccessfulCreate on replicaset/hub-5d9: Created pod: hub-5d9-x2k');
  });

  test('an event about the workload itself is its event; one about a workload whose name merely starts with its name is not', () => {
    expect(describeLastEvent([
      event('hub', 'Deployment', 'Warning', 'ProgressDeadlineExceeded', '2026-11-26T10:00:05Z', 'ReplicaSet "hub-5d9" has timed out progressing.'),
      event('hubble', 'Deployment', 'Warning', 'Failed', '2026-11-26T10:00:50Z', 'not ours'),
      event('hubble-7f8', 'ReplicaSet', 'Warning', 'FailedCreate', '2026-11-26T10:00:51Z', 'not ours either'),
    ], hub)).toBe('ProgressDeadlineExceeded on deployment/hub: ReplicaSet "hub-5d9" has timed out progressing.');
  });

  test('the latest event wins wherever it stands in the list', () => {
    expect(describeLastEvent([
      event('hub-5d9-x2k', 'Pod', 'Warning', 'BackOff', '2026-11-26T10:00:30Z', 'latest'),
      event('hub-5d9-x2k', 'Pod', 'Warning', 'Failed', '2026-11-26T10:00:10Z', 'older'),
      event('hub-5d9-x2k', 'Pod', 'Warning', 'Failed', '2026-11-26T10:00:20Z', 'older too'),
    ], hub)).toBe('BackOff on pod/hub-5d9-x2k: latest');
  });

  test('a repeated event counts from its last occurrence, not its first or its creation', () => {
    const repeated = (reason: string, first: string, last: string) => ({
      metadata: { name: `hub-5d9-x2k.${reason}`, creationTimestamp: first }, involvedObject: { kind: 'Pod', name: 'hub-5d9-x2k' },
      type: 'Warning', reason, message: reason, count: 5, firstTimestamp: first, lastTimestamp: last,
    });
    expect(describeLastEvent([
      repeated('BackOff', '2026-11-26T09:00:00Z', '2026-11-26T10:00:30Z'),
      repeated('Unhealthy', '2026-11-26T10:00:00Z', '2026-11-26T10:00:10Z'),
    ], hub)).toBe('BackOff on pod/hub-5d9-x2k: BackOff');
  });

  test.each([
    ['lastTimestamp', { lastTimestamp: '2026-11-26T11:00:00Z' }],
    ['eventTime (events.k8s.io writes no lastTimestamp)', { lastTimestamp: null, eventTime: '2026-11-26T11:00:00.000000Z' }],
    ['firstTimestamp', { firstTimestamp: '2026-11-26T11:00:00Z' }],
    ['metadata.creationTimestamp', { metadata: { creationTimestamp: '2026-11-26T11:00:00Z' } }],
  ])('an event is timed by its %s when it has nothing before it in that order', (_, times) => {
    expect(describeLastEvent([
      { involvedObject: { kind: 'Pod', name: 'hub-1' }, type: 'Warning', reason: 'New', message: 'b', ...times },
      { involvedObject: { kind: 'Pod', name: 'hub-1' }, type: 'Warning', reason: 'Old', message: 'a', lastTimestamp: '2026-11-26T10:00:00Z' },
    ], hub)).toBe('New on pod/hub-1: b');
  });

  test('an event with no time at all counts as older than any with one', () => {
    expect(describeLastEvent([
      { involvedObject: { kind: 'Pod', name: 'hub-1' }, type: 'Warning', reason: 'Dated', message: 'a', lastTimestamp: '2026-11-26T10:00:00Z' },
      { involvedObject: { kind: 'Pod', name: 'hub-1' }, type: 'Warning', reason: 'Undated', message: 'b' },
    ], hub)).toBe('Dated on pod/hub-1: a');
  });

  test('of events with the same time, the one listed last is taken', () => {
    expect(describeLastEvent([
      event('hub-1', 'Pod', 'Warning', 'First', '2026-11-26T10:00:00Z', 'a'),
      event('hub-1', 'Pod', 'Warning', 'Second', '2026-11-26T10:00:00Z', 'b'),
    ], hub)).toBe('Second on pod/hub-1: b');
  });

  test('entries that name no object do not hide the events that name the workload', () => {
    expect(describeLastEvent([
      null, {}, { involvedObject: {} }, { involvedObject: { name: 42 } },
      event('hub-1', 'Pod', 'Warning', 'BackOff', '2026-11-26T10:00:00Z', 'Back-off'),
    ], hub)).toBe('BackOff on pod/hub-1: Back-off');
  });

  test('a message over several lines becomes one line, without the spaces around its breaks or at its ends', () => {
    expect(describeLastEvent([event('hub-1', 'Pod', 'Warning', 'Failed', '2026-11-26T10:00:00Z', ' \n Error: image\n   "hub:1"\n  not found \n')], hub))
      .toBe('Failed on pod/hub-1: Error: image "hub:1" not found');
  });

  test('an event without reason, kind or message still makes one line, its reason read as Event', () => {
    expect(describeLastEvent([{ involvedObject: { name: 'hub-1' }, type: 'Warning' }], hub)).toBe('Event on /hub-1: ');
  });

  test('no event about it: undefined', () => {
    expect(describeLastEvent([event('binder', 'Deployment', 'Warning', 'X', '2026-11-26T10:00:00Z', 'y')], hub)).toBeUndefined();
  });
});
