/**
 * Keeps a real-time input's media on the channel clock. A broadcast's decoder output is stamped by counting
 * (frames at the output rate, audio by samples) from its first output; when the decoder falls behind (a slow
 * start while it decodes the cached GOP, a busy CPU), the stamps fall behind the clock for good, and every JPEG
 * then finishes too late to be sent. The anchor moves picture and sound forward together, by one offset, whenever
 * either falls more than `maxBehindMs` behind: they stay in sync (moving the picture alone left the sound behind,
 * and the player dropped it as stale), at the cost of a short forward jump in the sound each time.
 */
export class RealTimeAnchor {
  private offsetMs = 0;
  private jumpCount = 0;

  constructor(
    private readonly maxBehindMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Channel time of media counted to `timestamp`, whose last part (`durationMs` after it: an audio chunk's
   * length, 0 for a frame) has just arrived.
   */
  place(timestamp: number, durationMs: number): number {
    const placed = timestamp + this.offsetMs;
    const behind = this.now() - (placed + durationMs);
    if (behind <= this.maxBehindMs) return placed;
    this.offsetMs += behind;
    this.jumpCount++;
    return placed + behind;
  }

  /** How many times the media was moved forward. */
  get jumps(): number {
    return this.jumpCount;
  }
}
