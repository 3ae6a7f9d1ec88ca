import type { LinkReport } from '../infra/linkem';
import { percentile, sortedCopy } from '../infra/statistics';

/** A picture change at page time `t`, standing for `frames` frames (see `ProbeFrame`). */
export interface FrameEvent {
  t: number;
  frames: number;
}

/** Frames in each whole second from `fromMs` to `toMs` (a last partial second is left out). */
export function framesPerSecond(events: readonly FrameEvent[], fromMs: number, toMs: number): number[] {
  const seconds = Math.floor((toMs - fromMs) / 1000);
  if (!(seconds > 0)) return [];
  const counts = new Array<number>(seconds).fill(0);
  for (const event of events) {
    const index = Math.floor((event.t - fromMs) / 1000);
    if (index >= 0 && index < seconds) counts[index]! += event.frames;
  }
  return counts;
}

/** A picture "frozen" for longer than this counts as frozen for the whole of that time (the 200 ms). */
export const FROZEN_AFTER_MS = 200;

/**
 * Time in [fromMs, toMs] spent in gaps longer than `thresholdMs` without a new picture: each such gap counts
 * whole, including one running to the end of the window (a player that froze and never recovered).
 */
export function frozenMs(
  frameTimes: readonly number[],
  fromMs: number,
  toMs: number,
  thresholdMs = FROZEN_AFTER_MS,
): number {
  let frozen = 0;
  let previous = fromMs;
  const times = sortedCopy(frameTimes.filter((t) => t >= fromMs && t <= toMs));
  for (const t of [...times, toMs]) {
    const gap = t - previous;
    if (gap > thresholdMs) frozen += gap;
    previous = t;
  }
  return frozen;
}

/** When the player's audio output started or stopped playing. */
export interface AudioTransition {
  t: number;
  playing: boolean;
}

export interface AudioGaps {
  count: number;
  totalMs: number;
  /** Each gap: page time it began and how long it lasted (to `endMs` if still open). */
  gaps: { t: number; ms: number }[];
  /** Page time audio first played; null if it never did. */
  startedAt: number | null;
}

/**
 * Of `found`'s gaps, those that began a second or more after the sound first started: the issue's targets allow
 * the first second (issue 9: "zero audio gaps after the first second").
 */
export function gapsAfterFirstSecond(found: AudioGaps): number {
  const { startedAt } = found;
  return startedAt === null ? 0 : found.gaps.filter((gap) => gap.t >= startedAt + 1000).length;
}

/**
 * Silence the player inserted after its audio first started: each stop → start, and a stop still open at
 * `endMs`. Priming before the first start is time to first sound, not a gap.
 */
export function audioGaps(transitions: readonly AudioTransition[], endMs: number): AudioGaps {
  let startedAt: number | null = null;
  let stoppedAt: number | null = null;
  const gaps: { t: number; ms: number }[] = [];
  for (const transition of transitions) {
    if (transition.t > endMs) break;
    if (transition.playing) {
      startedAt ??= transition.t;
      if (stoppedAt !== null) gaps.push({ t: stoppedAt, ms: transition.t - stoppedAt });
      stoppedAt = null;
    } else if (startedAt !== null && stoppedAt === null) {
      stoppedAt = transition.t;
    }
  }
  if (stoppedAt !== null) gaps.push({ t: stoppedAt, ms: endMs - stoppedAt });
  const totalMs = gaps.reduce((sum, gap) => sum + gap.ms, 0);
  return { count: gaps.length, totalMs, gaps, startedAt };
}

/** `<video>` `waiting`/`playing` events as play/stop transitions: after the first frame, a `waiting` is a stall. */
export function stallTransitions(
  events: readonly { t: number; type: string }[],
  firstFrameMs: number,
): AudioTransition[] {
  const transitions: AudioTransition[] = [{ t: firstFrameMs, playing: true }];
  for (const event of events) {
    if (event.t < firstFrameMs) continue;
    if (event.type === 'waiting') transitions.push({ t: event.t, playing: false });
    else if (event.type === 'playing') transitions.push({ t: event.t, playing: true });
  }
  return transitions;
}

/** The rung (WebSocket) or HLS level (its index) the player was on from `t`. */
export interface RungPoint {
  t: number;
  rung: number;
  label: string;
  reason?: string;
}

/**
 * Keeps the points where the step changed (the first one always): the rung, or below rung 0 the frame rate, which
 * the label carries ("144p @ 10 fps").
 */
export function rungChanges(points: readonly RungPoint[]): RungPoint[] {
  const changes: RungPoint[] = [];
  for (const point of points) {
    const last = changes.at(-1);
    if (last?.rung !== point.rung || last.label !== point.label) changes.push(point);
  }
  return changes;
}

/** Switches after the first rung: every change after it, up or down, the `initial` one left out. */
export function switchCount(points: readonly RungPoint[], afterMs = Number.NEGATIVE_INFINITY): number {
  return rungChanges(points)
    .slice(1)
    .filter((point) => point.t >= afterMs).length;
}

/** The rung in force at `t`, or null before the first. */
export function rungAt(points: readonly RungPoint[], t: number): number | null {
  let rung: number | null = null;
  for (const point of points) if (point.t <= t) rung = point.rung;
  return rung;
}

/** How long after `atMs` the player first went to a lower rung than it was on at `atMs`; null if it never did. */
export function timeToStepDown(points: readonly RungPoint[], atMs: number, untilMs: number): number | null {
  const before = rungAt(points, atMs);
  if (before === null) return null;
  const lower = points.find((point) => point.t > atMs && point.t <= untilMs && point.rung < before);
  return lower ? lower.t - atMs : null;
}

/** How long after `atMs` the player was on `top` (0 if it already was); null if not by `untilMs`. */
export function timeToRung(
  points: readonly RungPoint[],
  top: number,
  atMs: number,
  untilMs: number,
): number | null {
  if (rungAt(points, atMs) === top) return 0;
  const reached = points.find((point) => point.t > atMs && point.t <= untilMs && point.rung === top);
  return reached ? reached.t - atMs : null;
}

/** Share of [fromMs, toMs] spent on each rung, by rung. */
export function timeOnRungs(points: readonly RungPoint[], fromMs: number, toMs: number): Map<number, number> {
  const shares = new Map<number, number>();
  const changes = rungChanges(points);
  for (const [index, point] of changes.entries()) {
    const start = Math.max(point.t, fromMs);
    const end = Math.min(changes[index + 1]?.t ?? toMs, toMs);
    if (end > start) shares.set(point.rung, (shares.get(point.rung) ?? 0) + (end - start) / (toMs - fromMs));
  }
  return shares;
}

/** "812 ms" → 812; anything else ("–") → null. */
export function parseMs(text: string | undefined): number | null {
  const match = /^(\d+) ms$/.exec(text?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

/** The stats readout's quality cell over HLS: "480p (level 1)" → level 1, "480p". */
export function parseHlsLevel(text: string | undefined): { rung: number; label: string } | null {
  const match = /^(.*) \(level (\d+)\)$/.exec(text?.trim() ?? '');
  return match ? { rung: Number(match[2]), label: match[1]! } : null;
}

/** Mean bit rate the link delivered towards the player over [fromUnixMs, toUnixMs], from linkem's seconds. */
export function linkKbps(reports: readonly LinkReport[], fromUnixMs: number, toUnixMs: number): number {
  // A report covers the second before its `t`: keep those wholly inside the window.
  const inside = reports.filter((report) => report.t - 1000 >= fromUnixMs && report.t <= toUnixMs);
  if (inside.length === 0) return Number.NaN;
  const bytes = inside.reduce((sum, report) => sum + report.down.txBytes, 0);
  return (bytes * 8) / inside.length / 1000;
}

/** Median and 10th percentile, the two fps figures. */
export function medianAndP10(values: readonly number[]): { median: number; p10: number } {
  const sorted = sortedCopy(values);
  return { median: percentile(sorted, 50), p10: percentile(sorted, 10) };
}
