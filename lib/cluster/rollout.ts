/**
 * Waiting for applied workloads to become ready (`kubectl rollout status`, one at a time against one deadline), and
 * saying why one did not: its last event, or its pods'.
 */
import { Workload } from './apply-plan';
import { ConfigError } from '../core/errors';
import { KubectlOptions, kubectlLastLine, runKubectl } from './kubectl';

/** Options for `waitForRollouts`. */
export interface RolloutOptions extends KubectlOptions {
  /** How long all the workloads together may take, in seconds. */
  readonly timeoutSec: number;
  /** Receives a line before each wait, and kubectl's line after each workload is ready. */
  readonly onProgress?: (line: string) => void;
}

/** `deployment/hub` in namespace `prod`, as messages name it. */
export function workloadName(workload: Workload): string {
  return `${workload.resource}/${workload.name} in namespace ${workload.namespace}`;
}

/**
 * Waits until every workload has rolled out, in order. The first that is not ready by the deadline fails the
 * wait with its name and its last event.
 */
export async function waitForRollouts(options: RolloutOptions, workloads: Workload[]): Promise<void> {
  const deadline = Date.now() + options.timeoutSec * 1000;
  for (const [index, workload] of workloads.entries()) {
    options.onProgress?.(`rollout: waiting for ${workload.resource}/${workload.name} (${index + 1} of ${workloads.length})`);
    const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    // A watch: --timeout bounds it, and a request timeout would cut it short.
    const result = await runKubectl({ ...options, requestTimeoutSec: 0 }, ['rollout', 'status', `${workload.resource}/${workload.name}`, '--namespace', workload.namespace, `--timeout=${left}s`]);
    if (result.status !== 0) {
      const event = await lastEventOf(options, workload);
      throw new ConfigError(`${workloadName(workload)} was not ready when --timeout ran out (${options.timeoutSec} s for all workloads; ${kubectlLastLine(result.stderr)}); `
        + `${event ? `last event: ${event}` : 'no event names it'}; see kubectl describe ${workload.resource} ${workload.name} --namespace ${workload.namespace}`);
    }
    options.onProgress?.(kubectlLastLine(result.stdout));
  }
}

async function lastEventOf(options: KubectlOptions, workload: Workload): Promise<string | undefined> {
  const result = await runKubectl(options, ['get', 'events', '--namespace', workload.namespace, '--output', 'json']);
  // Stryker disable next-line ConditionalExpression: equivalent with kubectl: a failed get prints no list, so parsing its output fails to the same undefined
  if (result.status !== 0) return undefined;
  try {
    // Stryker disable next-line ArrayDeclaration: equivalent, the stand-in list holds a string, which names no object
    return describeLastEvent(JSON.parse(result.stdout).items ?? [], workload);
  } catch {
    return undefined; // no event list: the failure is reported without one
  }
}

/**
 * The event that best says why `workload` is not ready, as one line: the latest warning about it or its pods and
 * replica sets (named `<workload>-...`), else the latest event of any type about them. An event's time is its
 * lastTimestamp, else its eventTime, firstTimestamp or creation; of events with the same time, the last listed wins.
 */
export function describeLastEvent(events: any[], workload: Workload): string | undefined {
  const about = events.filter(e => {
    const name: unknown = e?.involvedObject?.name;
    return typeof name === 'string' && (name === workload.name || name.startsWith(`${workload.name}-`));
  });
  // Stryker disable next-line StringLiteral: equivalent, a stand-in that is no date parses to NaN, which counts as 0 as '' does
  const time = (e: any) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '') || 0;
  const latest = (list: any[]) => list.reduce<any>((best, e) => (best === undefined || time(e) >= time(best) ? e : best), undefined);
  const event = latest(about.filter(e => e.type === 'Warning')) ?? latest(about);
  if (!event) return undefined;
  const message = String(event.message ?? '').trim().replace(/\s*\n\s*/g, ' ');
  return `${event.reason ?? 'Event'} on ${String(event.involvedObject.kind ?? '').toLowerCase()}/${event.involvedObject.name}: ${message}`;
}
