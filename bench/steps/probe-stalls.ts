import { arrivalDelayMs, type PageProbe, type ProbeMedia } from '../clients/page-probe';
import type { LinkReport } from '../infra/linkem';
import type { ScheduledChange } from './network-profiles';

/**
 * One run as the networks step writes it with `BENCH_NETWORK_PROBES` and `bench/probe-stalls.ts` reads it: the
 * link's schedule on the page's clock, linkem's counters each second, and all the page's probe saw.
 */
export interface RecordedRun {
  schedule: readonly ScheduledChange[];
  link: readonly LinkReport[];
  probe: PageProbe;
}

/** A pause in one kind of media message reaching the page, and how late the message that ended it was. */
export interface MediaStall {
  kind: ProbeMedia['kind'];
  /** Page clock of the last message before the pause. */
  from: number;
  ms: number;
  /**
   * How much later than the kind's quickest message of the run the one that ended the pause arrived, relative to
   * its capture time (arrival − timestamp, less the smallest such figure): the queueing and repair it waited for.
   */
  lateMs: number;
}

/**
 * Pauses longer than `minMs` between consecutive `kind` messages arriving from `fromMs` to `toMs` (page clock).
 * Audio comes every 20–40 ms, so a pause of 100 ms or more is a socket that delivered nothing: a queue, or TCP
 * waiting to repair a lost packet (everything behind it waits too, then arrives at once).
 */
export function mediaStalls(
  probe: PageProbe,
  kind: ProbeMedia['kind'],
  fromMs: number,
  toMs: number,
  minMs = 100,
): MediaStall[] {
  const messages = probe.media.filter((message) => message.kind === kind);
  const quickest = Math.min(...messages.map((message) => arrivalDelayMs(probe, message)));
  const stalls: MediaStall[] = [];
  for (let i = 1; i < messages.length; i++) {
    const before = messages[i - 1]!;
    const after = messages[i]!;
    if (before.t < fromMs || before.t > toMs || after.t - before.t <= minMs) continue;
    stalls.push({
      kind,
      from: before.t,
      ms: after.t - before.t,
      lateMs: arrivalDelayMs(probe, after) - quickest,
    });
  }
  return stalls;
}

/**
 * The `kind` messages captured from `fromMs` to `toMs` (page clock, by their timestamps) that reached the page, and
 * their bytes: after a link narrows, what the sender had put on its way before it could know.
 */
export function mediaCaptured(
  probe: PageProbe,
  kind: ProbeMedia['kind'],
  fromMs: number,
  toMs: number,
): { count: number; bytes: number } {
  const captured = probe.media.filter((message) => {
    const at = message.timestamp - probe.timeOrigin;
    return message.kind === kind && at >= fromMs && at < toMs;
  });
  return { count: captured.length, bytes: captured.reduce((sum, message) => sum + message.bytes, 0) };
}
