import { percentile, sortedCopy } from '../infra/statistics';
import type { NetworkRunResult, NetworkTransport } from './network-run-figures';

/** The median of one profile and transport's repeated runs: what a change must beat, beyond one run's luck. */
export interface NetworkMedians {
  profile: NetworkRunResult['profile'];
  transport: NetworkTransport;
  runs: number;
  fpsMedian: number;
  frozenPercent: number;
  audioGapCount: number;
  audioGapMs: number;
  /** Gaps that began a second or more after the first sound. */
  audioGapsAfterFirstSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  switchesAfter5s: number;
  /** Of the link changes (profile E), time to step down and back to the top; null: not in half the runs or more. */
  stepDownMs: number | null;
  backToTopMs: number | null;
  /** Runs that never got back to the top after a recovery. */
  neverBackToTop: number;
}

const median = (values: readonly number[]) => percentile(sortedCopy(values), 50);

/** A response time as people read it: seconds, or "never" for null. */
export const secondsOrNever = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/**
 * A response time's median, where a run that never responded counts as longer than any that did; null when fewer
 * than half the runs responded (the median itself is "never").
 */
function responseMedian(runs: readonly NetworkRunResult[], kind: 'step-down' | 'back-to-top'): number | null {
  const times = runs.map(
    (run) => run.responses.find((response) => response.kind === kind)?.afterMs ?? Number.POSITIVE_INFINITY,
  );
  const middle = median(times);
  return Number.isFinite(middle) ? middle : null;
}

/** One row per profile and transport that ran, in the order they first ran: the medians over its repeats. */
export function networkMedians(runs: readonly NetworkRunResult[]): NetworkMedians[] {
  const groups = new Map<string, NetworkRunResult[]>();
  for (const run of runs) {
    const key = `${run.profile}/${run.transport}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => ({
    profile: group[0]!.profile,
    transport: group[0]!.transport,
    runs: group.length,
    fpsMedian: median(group.map((run) => run.fpsMedian)),
    frozenPercent: median(group.map((run) => run.frozenPercent)),
    audioGapCount: median(group.map((run) => run.audioGaps?.count ?? Number.NaN)),
    audioGapMs: median(group.map((run) => run.audioGaps?.totalMs ?? Number.NaN)),
    audioGapsAfterFirstSecond: median(group.map((run) => run.audioGaps?.afterFirstSecond ?? Number.NaN)),
    latencyP50Ms: median(group.map((run) => run.latencyP50Ms)),
    latencyP95Ms: median(group.map((run) => run.latencyP95Ms)),
    switchesAfter5s: median(group.map((run) => run.switchesAfter5s)),
    stepDownMs: responseMedian(group, 'step-down'),
    backToTopMs: responseMedian(group, 'back-to-top'),
    neverBackToTop: group.filter((run) =>
      run.responses.some((response) => response.kind === 'back-to-top' && response.afterMs === null),
    ).length,
  }));
}
