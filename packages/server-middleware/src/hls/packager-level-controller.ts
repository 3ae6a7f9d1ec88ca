/** How a packager judges its lag; every time in ms. */
export interface PackagerControllerSettings {
  segmentMs: number;
  /** A newly started run gets this long (its first segment plus start-up) before it is judged. */
  settleMs: number;
  /** Time at a lower level, never behind, before trying the level above. */
  upHoldMs: number;
  maxUpHoldMs: number;
  /** A step down this soon after a step up means the level above did not fit: the hold doubles. */
  failedProbeMs: number;
  /** How long a packager may be behind, and not catching up, before it steps down: a short spike passes. */
  graceMs: number;
}

const CATCH_UP_SPAN_MS = 1_000;

export function packagerControllerSettings(segmentMs: number): PackagerControllerSettings {
  return {
    segmentMs,
    settleMs: 3 * segmentMs + 2_000,
    upHoldMs: 60_000,
    maxUpHoldMs: 16 * 60_000,
    failedProbeMs: 60_000,
    graceMs: 2_000,
  };
}

/**
 * Picks a packager's level (0 = every rendition at `veryfast`; higher = faster preset, then fewer renditions)
 * from how far its newest segment lags the clock. Segment n is complete at the end of its time on the
 * timeline, so on time the lag runs from about 0 (just listed) to one segment (the next about to be): over two
 * segments the encoder is behind. Behind for `graceMs` and not catching up (an encoder that is freed after a
 * load spike runs flat out and the lag shrinks fast), one level down; at the lowest, a restart at the same
 * level, which starts on the live edge again. With nothing to measure headroom by but trying, the level above is probed
 * after a hold spent never more than one and a half segments behind; a probe that fails doubles the hold.
 */
export class PackagerLevelController {
  private current = 0;
  private changedAt: number;
  private worstLagMs = 0;
  private upHoldMs: number;
  private upAt: number | null = null;
  private behindSince: number | null = null;
  /** Recent lags, to tell an encoder catching up from one falling further behind. */
  private recent: { at: number; lagMs: number }[] = [];

  constructor(
    private readonly levelCount: number,
    now: number,
    private readonly settings: PackagerControllerSettings,
  ) {
    this.changedAt = now;
    this.upHoldMs = settings.upHoldMs;
  }

  get level(): number {
    return this.current;
  }

  get holdMs(): number {
    return this.upHoldMs;
  }

  /** Behind: the newest segment lags the clock by more than two segment durations. */
  isBehind(lagMs: number | null): boolean {
    return lagMs !== null && lagMs > 2 * this.settings.segmentMs;
  }

  /**
   * `lagMs`: clock now − end of the newest segment of the current run (null before its first). Returns the level
   * to restart at, or null to stay.
   */
  decide(now: number, lagMs: number | null): number | null {
    const { settings } = this;
    if (this.upAt !== null && now - this.upAt >= settings.failedProbeMs) {
      this.upAt = null;
      this.upHoldMs = settings.upHoldMs;
    }
    if (lagMs !== null) this.remember(now, lagMs);
    const behind = lagMs === null || this.isBehind(lagMs);
    if (!behind) this.behindSince = null;
    else this.behindSince ??= now;
    const sinceChange = now - this.changedAt;
    if (sinceChange < settings.settleMs) return null;
    if (lagMs === null) {
      // A run that has listed nothing a settle time after it started is as behind as one can be.
      return this.down(now);
    }
    this.worstLagMs = Math.max(this.worstLagMs, lagMs);
    if (behind) {
      const behindFor = now - (this.behindSince ?? now);
      return behindFor >= settings.graceMs && !this.catchingUp(now, lagMs) ? this.down(now) : null;
    }
    if (
      this.current > 0 &&
      sinceChange >= settings.settleMs + this.upHoldMs &&
      this.worstLagMs <= 1.5 * settings.segmentMs
    ) {
      this.upAt = now;
      return this.change(now, this.current - 1);
    }
    return null;
  }

  private remember(now: number, lagMs: number): void {
    this.recent.push({ at: now, lagMs });
    while (this.recent.length > 0 && (this.recent[0] as { at: number }).at < now - 2 * CATCH_UP_SPAN_MS)
      this.recent.shift();
  }

  /** The lag shrank by at least a quarter of the time passed over the last second or so. */
  private catchingUp(now: number, lagMs: number): boolean {
    const before = this.recent.findLast((sample) => sample.at <= now - CATCH_UP_SPAN_MS);
    if (!before) return false;
    return before.lagMs - lagMs >= (now - before.at) / 4;
  }

  private down(now: number): number {
    if (this.upAt !== null) this.upHoldMs = Math.min(this.settings.maxUpHoldMs, this.upHoldMs * 2);
    this.upAt = null;
    return this.change(now, Math.min(this.current + 1, this.levelCount - 1));
  }

  private change(now: number, level: number): number {
    this.current = level;
    this.changedAt = now;
    this.worstLagMs = 0;
    this.behindSince = null;
    this.recent = [];
    return level;
  }
}
