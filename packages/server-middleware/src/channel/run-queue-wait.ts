import { readFileSync } from 'node:fs';

/** Share of wall time since the last `take()` that the server's event loop spent ready to run but given no CPU. */
export interface RunQueueWaitWatch {
  take(now: number): number | null;
}

/** Null when the system cannot say (not Linux, or a kernel without scheduler statistics). */
export type RunQueueWaitSampler = () => RunQueueWaitWatch | null;

/** Nanoseconds the main thread has waited on a run queue: the second field of `/proc/self/schedstat`. */
function runDelayNs(): number | null {
  try {
    const fields = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/);
    const delay = Number(fields[1]);
    return Number.isFinite(delay) ? delay : null;
  } catch {
    return null;
  }
}

/**
 * Linux counts, per thread, the time it was runnable but waiting for a CPU (`run_delay` in
 * `/proc/<pid>/schedstat`, which for the process is its main thread: the event loop). It tells a loop that is
 * late because it is busy (sending to hundreds of viewers: it runs, and waits little) from one that is late because
 * the machine gives it no CPU (other processes hold the cores: it waits). Reading it is one small file read per
 * call, on the loop, which is fine at the controller's tick (4 a second).
 */
export const procRunQueueWait: RunQueueWaitSampler = () => {
  let last = runDelayNs();
  if (last === null) return null;
  let lastAt: number | null = null;
  return {
    take(now) {
      const delay = runDelayNs();
      if (delay === null || last === null) return null;
      const waitedMs = (delay - last) / 1e6;
      const spanMs = lastAt === null ? null : now - lastAt;
      last = delay;
      lastAt = now;
      if (spanMs === null || spanMs <= 0) return null;
      return Math.min(1, Math.max(0, waitedMs / spanMs));
    },
  };
};
