import type { LinkSample } from '../ladder/rung-controller';

export interface LinkMeterTuning {
  /** The throughput is the video bytes acknowledged over this much of the recent past. */
  windowMs: number;
  /** The base delay is the smallest ack delay seen over about this long (it follows a route change). */
  baseDelayMemoryMs: number;
  /**
   * The round trip is the smallest ping-to-pong time seen over about this long. Longer than the base delay's: a
   * link busy for a while queues every ping behind media, and a round trip read too long makes the burst rate
   * read too high.
   */
  roundTripMemoryMs: number;
  /** Acks in the window needed before the burst rate is given. */
  burstSamples: number;
}

const DEFAULT_TUNING: LinkMeterTuning = {
  windowMs: 2_000,
  baseDelayMemoryMs: 10_000,
  roundTripMemoryMs: 30_000,
  burstSamples: 4,
};

/** A frame's delay beyond the round trip is never read as less than this: a rate from a smaller one is noise. */
const MIN_CROSSING_MS = 1;

/**
 * What the server measures of one viewer's link from its acks: the video bytes acknowledged per second, whether
 * the link (rather than the sender) set that rate, and the base delay (the smallest send-to-ack time, like
 * LEDBAT's base delay): a frame out much longer than that is queued somewhere, so the pipe is congested.
 *
 * And the burst rate, which sees a link wider than what the sender uses (packet-pair dispersion, Keshav 1991, as
 * a whole frame): a frame goes into the socket at once, so its bytes cross the bottleneck at the link's rate, and
 * its ack comes back a round trip plus that crossing after it was sent. Its bytes over its delay beyond the round
 * trip (the smallest ping-to-pong time, `roundTrip`) is the link's rate. Queueing, loss and a slow player only
 * lengthen the delay, so the figure errs low, never high, except when every recent ping was queued.
 */
export class LinkMeter {
  private readonly acks: { at: number; bytes: number; burstKbps: number | null }[] = [];
  private heldBackAt = Number.NEGATIVE_INFINITY;
  private base: { delayMs: number; at: number } | null = null;
  private roundTrips: { ms: number; at: number }[] = [];
  private readonly tuning: LinkMeterTuning;

  constructor(
    tuning: Partial<LinkMeterTuning> = {},
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /**
   * An ack freed `bytes` of video; the acked frame, `frameBytes` of them (all of them when one frame was acked),
   * took `delayMs` from send to ack.
   */
  acked(bytes: number, delayMs: number, frameBytes = bytes): void {
    const now = this.now();
    const roundTripMs = this.roundTripMs(now);
    const burstKbps =
      roundTripMs === null ? null : (frameBytes * 8) / Math.max(MIN_CROSSING_MS, delayMs - roundTripMs);
    this.acks.push({ at: now, bytes, burstKbps });
    if (!this.base || delayMs <= this.base.delayMs || now - this.base.at > this.tuning.baseDelayMemoryMs) {
      this.base = { delayMs, at: now };
    }
    this.forget(now);
  }

  /** A ping came back after `ms`. */
  roundTrip(ms: number): void {
    const now = this.now();
    this.roundTrips = this.roundTrips.filter(
      (trip) => now - trip.at <= this.tuning.roundTripMemoryMs && trip.ms < ms,
    );
    this.roundTrips.push({ ms, at: now });
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
      burstKbps: this.burstKbps(),
    };
  }

  /** Forgets what was sent (a new video); the round trip is the path's, and stays. */
  clear(): void {
    this.acks.length = 0;
    this.heldBackAt = Number.NEGATIVE_INFINITY;
  }

  /** The smallest round trip of the last `roundTripMemoryMs`, or null. */
  private roundTripMs(now: number): number | null {
    const recent = this.roundTrips.filter((trip) => now - trip.at <= this.tuning.roundTripMemoryMs);
    return recent.length === 0 ? null : Math.min(...recent.map((trip) => trip.ms));
  }

  /** The median burst rate of the window's acks: one ack queued behind audio, or one lucky, moves it little. */
  private burstKbps(): number | null {
    const rates = this.acks.flatMap((ack) => (ack.burstKbps === null ? [] : [ack.burstKbps]));
    if (rates.length < this.tuning.burstSamples) return null;
    rates.sort((a, b) => a - b);
    const middle = rates.length >> 1;
    return rates.length % 2 === 1 ? rates[middle]! : (rates[middle - 1]! + rates[middle]!) / 2;
  }

  private forget(now: number): void {
    while (this.acks.length > 0 && now - this.acks[0]!.at > this.tuning.windowMs) this.acks.shift();
  }
}
