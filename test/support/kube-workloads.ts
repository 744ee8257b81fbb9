/**
 * What the fake Kubernetes API server (fake-kube-api.ts) does in place of the workload controllers: the defaults the
 * real server gives Deployments, DaemonSets and StatefulSets, and the status their controllers would report, as a
 * test decides their pods fare. The status fields are the ones `kubectl rollout status` reads.
 */

/**
 * Whether a workload's pods come up: `ready` (all of them, at once), `stuck` (none ever becomes available) or
 * `failed` (a Deployment exceeds its progress deadline; DaemonSets and StatefulSets have none, so they are stuck).
 */
export type RolloutState = 'ready' | 'stuck' | 'failed';

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** Whether `object` is a Deployment, DaemonSet or StatefulSet. */
export const isWorkload = (object: any): boolean => WORKLOAD_KINDS.has(object.kind);

/** What `kubectl rollout status` reads of a workload in `state`, for its current generation; a DaemonSet runs on one node. */
export function workloadStatus(object: any, state: RolloutState): object {
  const observedGeneration = object.metadata.generation;
  const ready = state === 'ready';
  const replicas = object.spec.replicas ?? 1;
  const up = ready ? replicas : 0;
  if (object.kind === 'DaemonSet') {
    return {
      observedGeneration, desiredNumberScheduled: 1, currentNumberScheduled: 1, updatedNumberScheduled: 1, numberMisscheduled: 0,
      numberReady: ready ? 1 : 0, numberAvailable: ready ? 1 : 0, ...(ready ? {} : { numberUnavailable: 1 }),
    };
  }
  if (object.kind === 'StatefulSet') {
    const revision = (generation: number) => `${object.metadata.name}-${generation}`;
    return {
      observedGeneration, replicas, readyReplicas: up, availableReplicas: up, currentReplicas: up, updatedReplicas: replicas,
      currentRevision: revision(ready ? observedGeneration : observedGeneration - 1), updateRevision: revision(observedGeneration),
    };
  }
  const progressing = state === 'failed'
    ? { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${object.metadata.name}" has timed out progressing.` }
    : { status: 'True', reason: ready ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' };
  return {
    observedGeneration, replicas, updatedReplicas: replicas, readyReplicas: up, availableReplicas: up, ...(ready ? {} : { unavailableReplicas: replicas }),
    conditions: [
      { type: 'Available', status: ready ? 'True' : 'False', reason: ready ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' },
      { type: 'Progressing', ...progressing },
    ],
  };
}

/**
 * The defaults the real server gives a workload that `kubectl rollout status` depends on: one replica, and the
 * RollingUpdate strategy (it refuses to follow DaemonSets and StatefulSets without it).
 */
export function defaultWorkload(object: any): void {
  const spec = object.spec;
  if (object.kind !== 'DaemonSet') spec.replicas ??= 1;
  const field = object.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
  spec[field] ??= {};
  spec[field].type ??= 'RollingUpdate';
  if (spec[field].type !== 'RollingUpdate') return;
  const rollingUpdate = object.kind === 'Deployment' ? { maxSurge: '25%', maxUnavailable: '25%' }
    : object.kind === 'DaemonSet' ? { maxSurge: 0, maxUnavailable: 1 } : { partition: 0 };
  spec[field].rollingUpdate ??= rollingUpdate;
}
