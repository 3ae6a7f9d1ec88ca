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

/**
 * The timing of the scheduled audio path, without Web Audio (so it can be tested): chunk times on the channel
 * clock are mapped to context times by one anchor, so consecutive chunks butt together with no gap or overlap.
 *
 * - A chunk that fits (its slot is in the future, not too far) keeps the anchor.
 * - A chunk whose slot has passed while earlier audio still plays is stale: dropped.
 * - After a stall (everything scheduled has played), or when audio piled up past the ceiling, the schedule
 *   re-anchors: this chunk starts `leadMs` from now, and the silence since the previous end counts as a gap.
 */
export class AudioSchedule {
  private anchor: { timestamp: number; contextTime: number } | null = null;
  /** Context time where the last scheduled chunk ends. */
  private endAt = 0;
  private gapSeconds = 0;
  private playedSeconds = 0;
  private everStarted = false;

  constructor(private readonly options: AudioScheduleOptions) {}

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
      const aheadMs = (startAt - contextNow) * 1000;
      if (aheadMs <= this.options.leadMs + this.options.ceilingMs)
        return this.accept(startAt, durationMs, false);
      // Audio piled up (a burst after a stall, clock drift): start over at the live edge.
      return this.reanchor(timestamp, durationMs, contextNow, true);
    }
    return this.reanchor(timestamp, durationMs, contextNow, false);
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
    const startAt = contextNow + this.options.leadMs / 1000;
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
