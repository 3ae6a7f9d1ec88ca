/** Why the controller moved a viewer (the `reason` of a `quality-changed` message). */
export type RungSwitchReason = 'buffer-low' | 'buffer-high' | 'drops' | 'backpressure';

export interface RungDecision {
  rung: number;
  reason: RungSwitchReason;
}

/** One `feedback` report, plus the viewer's frame interval to judge its decode time against. */
export interface FeedbackSample {
  /** Jitter-buffer fill as a fraction of its target (1 = at target). */
  bufferLevel: number;
  droppedFrames: number;
  lateFrames: number;
  decodeMs: number;
  /** 1000 / the viewer's frame rate. */
  frameIntervalMs: number;
}

export interface RungControllerTuning {
  /** Weight of the newest report in the smoothed buffer level (EWMA). */
  smoothing: number;
  /** A single report this low means the buffer is about to run dry: go down at once. */
  criticalLevel: number;
  /** Go down when the smoothed level is below this. */
  lowLevel: number;
  /** A report counts as good when it and the smoothed level are at least this (and nothing was dropped). */
  highLevel: number;
  /** Least time between two down-switches: the previous one needs a moment to show in the reports. */
  downCooldownMs: number;
  /** Least time after a down-switch before a low average (not a critical report) can cause another. */
  settleMs: number;
  /** A report this far under the smoothed level means the buffer is draining: not a good report. */
  drainTolerance: number;
  /** Good reports needed in a row, as time, before going up one rung. */
  upHoldMs: number;
  /** The hold never grows past this. */
  maxUpHoldMs: number;
  /** A down-switch this soon after an up-switch means the probe failed: the hold doubles. */
  failedUpWindowMs: number;
  /** Late frames per report tolerated before they count as drops. */
  lateFramesAllowed: number;
  /** Decode time above this share of the frame interval means the viewer's CPU cannot keep up. */
  slowDecodeShare: number;
}

export const DEFAULT_RUNG_TUNING: RungControllerTuning = {
  smoothing: 0.3,
  criticalLevel: 0.1,
  lowLevel: 0.3,
  highLevel: 0.5,
  drainTolerance: 0.15,
  downCooldownMs: 1_000,
  settleMs: 3_000,
  upHoldMs: 2_000,
  maxUpHoldMs: 32_000,
  failedUpWindowMs: 5_000,
  lateFramesAllowed: 2,
  slowDecodeShare: 0.8,
};

/**
 * Chooses a viewer's rung from its feedback and from what the server sees. The seed rule (buffer under 10%:
 * down; over 30%: up, on every report) oscillates: each up drains the buffer that justified it. This one is
 * asymmetric: it goes down at once on trouble (critical buffer, low smoothed buffer, drops, late frames, slow
 * decode, server-side skips) with a short cool-down, and goes up only after the buffer has
 * stayed high for a hold time. An up-switch undone within `failedUpWindowMs` doubles that hold (probe backoff);
 * one that holds halves it back.
 * Pure: time comes in as an argument.
 */
export class RungController {
  private current: number;
  private smoothed: number | null = null;
  private goodSince: number | null = null;
  private lastDownAt = Number.NEGATIVE_INFINITY;
  private lastUpAt: number | null = null;
  private hold: number;
  private readonly tuning: RungControllerTuning;

  constructor(
    private readonly rungCount: number,
    initialRung: number,
    tuning: Partial<RungControllerTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_RUNG_TUNING, ...tuning };
    this.hold = this.tuning.upHoldMs;
    this.current = this.clamp(initialRung);
  }

  get rung(): number {
    return this.current;
  }

  /** The hold an up-switch needs now, in ms. */
  get upHoldMs(): number {
    return this.hold;
  }

  /** Moves to `rung` chosen elsewhere (the viewer locked it, then went back to auto): history no longer applies. */
  reset(rung: number): void {
    this.current = this.clamp(rung);
    this.smoothed = null;
    this.goodSince = null;
    this.lastUpAt = null;
  }

  onFeedback(sample: FeedbackSample, now: number): RungDecision | null {
    const { smoothing, criticalLevel, lowLevel, highLevel, lateFramesAllowed, slowDecodeShare } = this.tuning;
    const level = sample.bufferLevel;
    const smoothed = this.smoothed === null ? level : smoothing * level + (1 - smoothing) * this.smoothed;
    this.smoothed = smoothed;

    const struggling =
      sample.droppedFrames > 0 ||
      sample.lateFrames > lateFramesAllowed ||
      sample.decodeMs > slowDecodeShare * sample.frameIntervalMs;
    if (struggling) return this.down(now, 'drops');
    if (level < criticalLevel) return this.down(now, 'buffer-low');
    // A low average right after a down-switch is mostly the drain before it: give the new rung time to refill
    // the buffer, or one bad moment walks the viewer down several rungs.
    if (smoothed < lowLevel && now - this.lastDownAt >= this.tuning.settleMs)
      return this.down(now, 'buffer-low');

    if (this.lastUpAt !== null && now - this.lastUpAt >= this.tuning.failedUpWindowMs) {
      this.hold = Math.max(this.tuning.upHoldMs, this.hold / 2);
      this.lastUpAt = null;
    }
    // Good means high and not draining: a buffer falling fast after an up-switch is the new rung failing.
    if (smoothed < highLevel || level < highLevel || level < smoothed - this.tuning.drainTolerance) {
      this.goodSince = null;
      return null;
    }
    this.goodSince ??= now;
    return now - this.goodSince >= this.hold ? this.up(now) : null;
  }

  /** The server had to skip a frame for this viewer (window full or socket buffer over its cap). */
  onServerSkip(now: number): RungDecision | null {
    return this.down(now, 'backpressure');
  }

  private down(now: number, reason: RungSwitchReason): RungDecision | null {
    this.goodSince = null;
    if (this.current === 0 || now - this.lastDownAt < this.tuning.downCooldownMs) return null;
    if (this.lastUpAt !== null && now - this.lastUpAt < this.tuning.failedUpWindowMs) {
      this.hold = Math.min(this.tuning.maxUpHoldMs, this.hold * 2);
    }
    this.lastUpAt = null;
    this.lastDownAt = now;
    this.current--;
    return { rung: this.current, reason };
  }

  private up(now: number): RungDecision | null {
    // The next step up needs a hold of its own.
    this.goodSince = now;
    if (this.current >= this.rungCount - 1) return null;
    // The previous up-switch was never undone: it held, so probing may speed up again.
    if (this.lastUpAt !== null) this.hold = Math.max(this.tuning.upHoldMs, this.hold / 2);
    this.current++;
    this.lastUpAt = now;
    return { rung: this.current, reason: 'buffer-high' };
  }

  private clamp(rung: number): number {
    return Math.min(Math.max(0, Math.trunc(rung)), this.rungCount - 1);
  }
}
