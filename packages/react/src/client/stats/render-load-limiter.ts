import { VIEWER_LIMITS } from '@onair/protocol';

/** One feedback interval of the player's own work. */
export interface RenderLoadSample {
  shownFrames: number;
  renderDroppedFrames: number;
}

/** Share of frames dropped by the player itself above which an interval counts as overloaded. */
const OVERLOADED_SHARE = 0.2;
/** Overloaded intervals in a row before the player asks for fewer frames. */
const OVERLOADED_REPORTS = 3;
/** Calm time before a limit is relaxed (doubled, or lifted once it reaches the channel's rate). */
const RELAX_AFTER_MS = 10_000;
/** The lowest rate the player asks for: below it the picture is a slide show anyway. */
export const MIN_LIMIT_FPS = 5;

/**
 * Tells a busy CPU from a bad link: when the player keeps dropping frames it could not decode or draw in time, it
 * asks the server for fewer (`viewer-limits { maxFps }`), halving down to 5 fps, and relaxes the limit after a
 * calm while. Drops caused by the link are the server's rung controller's business, not this.
 */
export class RenderLoadLimiter {
  private maxFps: number | null = null;
  private overloaded = 0;
  private calmSince: number | null = null;

  /** The frame rate asked for now; null: no limit. */
  get limit(): number | null {
    return this.maxFps;
  }

  /**
   * One interval's sample; `viewerFps` is the rate this viewer gets now, `channelFps` the channel's. True when the
   * limit changed (a `viewer-limits` is due).
   */
  report(sample: RenderLoadSample, viewerFps: number, channelFps: number, now: number): boolean {
    const total = sample.shownFrames + sample.renderDroppedFrames;
    const overloaded = total > 0 && sample.renderDroppedFrames / total > OVERLOADED_SHARE;
    if (overloaded) {
      this.calmSince = null;
      this.overloaded++;
      if (this.overloaded < OVERLOADED_REPORTS) return false;
      this.overloaded = 0;
      const current = this.maxFps ?? viewerFps;
      const next = Math.max(MIN_LIMIT_FPS, VIEWER_LIMITS.minFps, Math.floor(current / 2));
      if (!(next < current)) return false;
      this.maxFps = next;
      return true;
    }
    this.overloaded = 0;
    this.calmSince ??= now;
    if (this.maxFps === null || now - this.calmSince < RELAX_AFTER_MS) return false;
    this.calmSince = now;
    const next = this.maxFps * 2;
    this.maxFps = next >= channelFps ? null : next;
    return true;
  }

  reset(): void {
    this.maxFps = null;
    this.overloaded = 0;
    this.calmSince = null;
  }
}
