export type MediaTrack = 'video' | 'audio';

/** How far ahead of the clock media may come: `startMs` for a run's first `settleMs`, `steadyMs` after. */
export interface AheadBounds {
  startMs: number;
  settleMs: number;
  steadyMs: number;
}

/**
 * Keeps a real-time input's media on the channel clock. A broadcast's decoder output is stamped by counting
 * (frames at the output rate, audio by samples) from its first output, and the clock is what the channel's
 * timestamps promise: the moment the media is on air.
 *
 * - **Behind.** When the decoder falls behind (a busy CPU, an input that stalled), the stamps would fall behind
 *   the clock for good and every JPEG finish too late to be sent. Picture and sound move forward together, by one
 *   offset, whenever either falls more than `maxBehindMs` behind: they stay in sync (moving the picture alone left
 *   the sound behind, and the player dropped it as stale), at the cost of a short forward jump in the sound.
 * - **Ahead.** When the input then delivers media faster than real time (a broadcaster's stalled second arriving
 *   at once after the timeline moved forward for it, a decoder catching up after a slow start), the count runs
 *   ahead of the clock, and it stayed ahead for good: a channel 1.2 s ahead after one 1 s stall of its
 *   broadcaster, so `Date.now() − timestamp` read as a negative latency. Media more than the bound ahead is
 *   skipped, and the offset moves back by what it was beyond the bound; each track also drops what would land at
 *   or before what it has already sent, so neither goes back in time. The bound is `ahead.startMs` for the run's
 *   first `ahead.settleMs` (a lump then is the decoder catching up, not live) and `ahead.steadyMs` after, which
 *   leaves room for an input that arrives in lumps (a browser broadcaster's recorder sends a chunk of up to
 *   250 ms at a time, whose frames all arrive together).
 */
export class RealTimeAnchor {
  private offsetMs = 0;
  private firstPlacedAt: number | null = null;
  /** Per track: the channel time its sent media reaches (a frame's own time, the end of a chunk). */
  private readonly sentUntil: Record<MediaTrack, number | null> = { video: null, audio: null };

  constructor(
    private readonly maxBehindMs: number,
    private readonly ahead: AheadBounds,
    private readonly now: () => number,
  ) {}

  /**
   * Channel time of media counted to `timestamp`, whose last part (`durationMs` after it: an audio chunk's
   * length, 0 for a frame) has just arrived; null: skip it (ahead of the clock, or before what its track sent).
   */
  place(track: MediaTrack, timestamp: number, durationMs: number): number | null {
    let placed = timestamp + this.offsetMs;
    const now = this.now();
    this.firstPlacedAt ??= now;
    const maxAheadMs =
      now - this.firstPlacedAt < this.ahead.settleMs ? this.ahead.startMs : this.ahead.steadyMs;
    const behind = now - (placed + durationMs);
    if (behind > this.maxBehindMs) {
      this.offsetMs += behind;
      placed += behind;
    } else if (placed - now > maxAheadMs) {
      this.offsetMs -= placed - now - maxAheadMs;
      return null;
    }
    const sent = this.sentUntil[track];
    if (sent !== null && (durationMs === 0 ? placed <= sent : placed < sent)) return null;
    this.sentUntil[track] = placed + durationMs;
    return placed;
  }
}
