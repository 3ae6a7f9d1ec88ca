import type { LinkSample } from '../ladder/rung-controller';

export interface LinkMeterTuning {
  /** The throughput is the video bytes acknowledged over this much of the recent past. */
  windowMs: number;
  /** The base delay is the smallest ack delay seen over about this long (it follows a route change). */
  baseDelayMemoryMs: number;
}

const DEFAULT_TUNING: LinkMeterTuning = { windowMs: 2_000, baseDelayMemoryMs: 10_000 };

/**
 * What the server measures of one viewer's link from its acks: the video bytes acknowledged per second, whether
 * the link (rather than the sender) set that rate, and the base delay (the smallest send-to-ack time, like
 * LEDBAT's base delay): a frame out much longer than that is queued somewhere, so the pipe is congested.
 */
export class LinkMeter {
  private readonly acks: { at: number; bytes: number }[] = [];
  private heldBackAt = Number.NEGATIVE_INFINITY;
  private base: { delayMs: number; at: number } | null = null;
  private readonly tuning: LinkMeterTuning;

  constructor(
    tuning: Partial<LinkMeterTuning> = {},
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /** An ack freed `bytes` of video; the acked frame took `delayMs` from send to ack. */
  acked(bytes: number, delayMs: number): void {
    const now = this.now();
    this.acks.push({ at: now, bytes });
    if (!this.base || delayMs <= this.base.delayMs || now - this.base.at > this.tuning.baseDelayMemoryMs) {
      this.base = { delayMs, at: now };
    }
    this.forget(now);
  }

  /** The sender held a video frame back because the link was congested (not because the viewer asked less). */
  heldBack(): void {
    this.heldBackAt = this.now();
  }

  /** The smallest send-to-ack time seen lately, ms; 0 before any ack. */
  get baseDelayMs(): number {
    return this.base?.delayMs ?? 0;
  }

  /** The recent throughput; null until two acks span some time. */
  sample(): LinkSample | null {
    const now = this.now();
    this.forget(now);
    if (this.acks.length < 2) return null;
    // The first ack opens the span: its bytes were in flight before it.
    const span = Math.max(now - this.acks[0]!.at, 1);
    if (span < this.tuning.windowMs / 4) return null;
    const bytes = this.acks.slice(1).reduce((sum, ack) => sum + ack.bytes, 0);
    return {
      kbps: (bytes * 8) / span,
      limited: now - this.heldBackAt <= this.tuning.windowMs,
    };
  }

  clear(): void {
    this.acks.length = 0;
    this.heldBackAt = Number.NEGATIVE_INFINITY;
  }

  private forget(now: number): void {
    while (this.acks.length > 0 && now - this.acks[0]!.at > this.tuning.windowMs) this.acks.shift();
  }
}
