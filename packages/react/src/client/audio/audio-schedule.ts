/** Where to start one chunk, in AudioContext seconds; `flush`: stop what is scheduled first (jumping to live). */
export interface Placement {
  startAt: number;
  flush: boolean;
}

export interface AudioScheduleOptions {
  /** Playout delay: a fresh start plays this long after the chunk arrives. */
  leadMs: number;
  /** Audio tolerated ahead of the context above the lead before the schedule jumps forward to live. */
  ceilingMs: number;
}

/** An underrun adds this much to the lead (a busy page delivers chunks late), up to `MAX_EXTRA_LEAD_MS`. */
export const LEAD_STEP_MS = 100;
export const MAX_EXTRA_LEAD_MS = 300;
/** Sound without an underrun for this long gives one step of the extra lead back. */
export const LEAD_RELAX_AFTER_MS = 20_000;

/**
 * The timing of the scheduled audio path, without Web Audio (so it can be tested): chunk times on the channel
 * clock are mapped to context times by one anchor, so consecutive chunks butt together with no gap or overlap.
 *
 * - A chunk that fits (its slot is in the future, not too far) keeps the anchor.
 * - A chunk whose slot has passed while earlier audio still plays is stale: dropped.
 * - After a stall (everything scheduled has played), or when audio piled up past the ceiling, the schedule
 *   re-anchors: this chunk starts one lead from now, and the silence since the previous end counts as a gap.
 * - The lead adapts as a jitter buffer does: each underrun adds a step (chunks come late on a busy page: a
 *   longer lead rides the next delay out instead of falling silent again), a long run without one takes it back.
 */
export class AudioSchedule {
  private anchor: { timestamp: number; contextTime: number } | null = null;
  /** Context time where the last scheduled chunk ends. */
  private endAt = 0;
  private gapSeconds = 0;
  private playedSeconds = 0;
  private everStarted = false;
  private extraLeadMs = 0;
  /** Context time of the last underrun, or of the last step of extra lead given back. */
  private steadySince = 0;

  constructor(private readonly options: AudioScheduleOptions) {}

  /** The playout delay now: the configured lead and what underruns added to it. */
  get leadMs(): number {
    return this.options.leadMs + this.extraLeadMs;
  }

  /** Silence inserted after the first chunk started, including a silence still going on at `contextNow`. */
  gapMsAt(contextNow: number): number {
    const ongoing = this.everStarted && this.anchor ? Math.max(0, contextNow - this.endAt) : 0;
    return Math.round((this.gapSeconds + ongoing) * 1000);
  }

  /** Sound played by `contextNow` (what is scheduled but not yet heard left out). */
  playedMsAt(contextNow: number): number {
    return Math.max(0, Math.round((this.playedSeconds - Math.max(0, this.endAt - contextNow)) * 1000));
  }

  /** Where the chunk starting at `timestamp` (channel ms) and lasting `durationMs` plays; null: drop it. */
  place(timestamp: number, durationMs: number, contextNow: number): Placement | null {
    const anchor = this.anchor;
    if (anchor && this.endAt > contextNow) {
      const startAt = anchor.contextTime + (timestamp - anchor.timestamp) / 1000;
      if (startAt < contextNow) return null;
      this.relax(contextNow);
      const aheadMs = (startAt - contextNow) * 1000;
      if (aheadMs <= this.leadMs + this.options.ceilingMs) return this.accept(startAt, durationMs, false);
      // Audio piled up (a burst after a stall, clock drift): start over at the live edge.
      return this.reanchor(timestamp, durationMs, contextNow, true);
    }
    // Ran dry while playing (not a first start, nor after a reset): the lead was too short for this page.
    if (anchor && this.everStarted) {
      this.extraLeadMs = Math.min(MAX_EXTRA_LEAD_MS, this.extraLeadMs + LEAD_STEP_MS);
      this.steadySince = contextNow;
    }
    return this.reanchor(timestamp, durationMs, contextNow, false);
  }

  private relax(contextNow: number): void {
    if (this.extraLeadMs === 0 || (contextNow - this.steadySince) * 1000 < LEAD_RELAX_AFTER_MS) return;
    this.extraLeadMs -= LEAD_STEP_MS;
    this.steadySince = contextNow;
  }

  /** Channel time of the sample heard at `contextNow`, or null while nothing plays. */
  clockAt(contextNow: number): number | null {
    const anchor = this.anchor;
    if (!anchor || contextNow >= this.endAt || contextNow < anchor.contextTime) return null;
    return anchor.timestamp + (contextNow - anchor.contextTime) * 1000;
  }

  /** Forgets the anchor (pause, stream switch): the next chunk starts afresh, with no gap counted. */
  reset(contextNow: number): void {
    this.unschedule(contextNow);
    this.anchor = null;
  }

  private reanchor(timestamp: number, durationMs: number, contextNow: number, flush: boolean): Placement {
    const startAt = contextNow + this.leadMs / 1000;
    if (flush) this.unschedule(contextNow);
    else if (this.everStarted && this.anchor) this.gapSeconds += Math.max(0, startAt - this.endAt);
    this.anchor = { timestamp, contextTime: startAt };
    return this.accept(startAt, durationMs, flush);
  }

  /** What was scheduled past `contextNow` will not be heard (stopped, or forgotten). */
  private unschedule(contextNow: number): void {
    this.playedSeconds -= Math.max(0, this.endAt - contextNow);
    this.endAt = Math.min(this.endAt, contextNow);
  }

  private accept(startAt: number, durationMs: number, flush: boolean): Placement {
    this.everStarted = true;
    const endAt = startAt + durationMs / 1000;
    this.playedSeconds += endAt - startAt;
    this.endAt = Math.max(this.endAt, endAt);
    return { startAt, flush };
  }
}
