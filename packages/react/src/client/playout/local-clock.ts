interface OffsetSample {
  at: number;
  offset: number;
}

/**
 * Channel time from the local monotonic clock, for streams without audio (or while audio cannot play).
 *
 * Each arrival gives `timestamp − arrivalTime`: the channel-to-local offset minus that frame's network delay.
 * The largest recent value comes from the least-delayed frame, so it is the best offset estimate; the playhead
 * runs `delayMs` behind it, which is the jitter budget. The window lets the estimate follow a network that got
 * slower for good; the playhead never moves backwards (it holds instead, which only deepens the buffer).
 */
export class LocalClock {
  // Monotonic deque: offsets strictly decreasing from front to back, so the front is the window's maximum.
  private samples: OffsetSample[] = [];
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private delayMs: number,
    private readonly windowMs = 5_000,
  ) {}

  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
  }

  observe(timestamp: number, localNow: number): void {
    const offset = timestamp - localNow;
    while (this.samples.length > 0 && this.samples[this.samples.length - 1]!.offset <= offset)
      this.samples.pop();
    this.samples.push({ at: localNow, offset });
    while (this.samples.length > 1 && this.samples[0]!.at < localNow - this.windowMs) this.samples.shift();
  }

  /** Channel time at the playhead, or null before the first arrival. */
  now(localNow: number): number | null {
    const best = this.samples[0];
    if (!best) return null;
    this.last = Math.max(this.last, localNow + best.offset - this.delayMs);
    return this.last;
  }

  reset(): void {
    this.samples = [];
    this.last = Number.NEGATIVE_INFINITY;
  }
}
