/** What one acknowledgement freed: the bytes of every frame it covered, and how long the acked frame took. */
export interface AckedFrames {
  bytes: number;
  /** From sending the acknowledged frame to its ack: the pipe's delay plus the player's ack pacing. */
  delayMs: number;
  /** The acknowledged frame's own bytes. */
  frameBytes: number;
}

/**
 * Video frames sent to one viewer and not yet acknowledged, oldest first, with what each cost. `bufferedAmount`
 * cannot tell how far behind a viewer is (on loopback the kernel absorbs megabytes before it grows); acks can,
 * and the bytes they free per second are the viewer's throughput (`LinkMeter`).
 */
export class SendWindow {
  private readonly pending: { sequence: number; sentAt: number; bytes: number }[] = [];

  constructor(
    readonly size: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  get inFlight(): number {
    return this.pending.length;
  }

  get isFull(): boolean {
    return this.pending.length >= this.size;
  }

  /** How long the `index`-th oldest unacknowledged frame (0: the oldest) has been out; 0 when fewer are. */
  ageMs(index: number): number {
    const frame = this.pending[index];
    return frame ? this.now() - frame.sentAt : 0;
  }

  sent(sequence: number, bytes = 0): void {
    this.pending.push({ sequence: sequence >>> 0, sentAt: this.now(), bytes });
  }

  /**
   * The viewer got frame `sequence`. Older frames still pending count as done too (frames arrive in order, so
   * their acks were lost or skipped). A sequence not in flight (a stale ack after switching videos) is ignored:
   * null.
   */
  ack(sequence: number): AckedFrames | null {
    const index = this.pending.findIndex((entry) => entry.sequence === sequence >>> 0);
    if (index < 0) return null;
    const done = this.pending.splice(0, index + 1);
    const acked = done[done.length - 1]!;
    return {
      bytes: done.reduce((sum, entry) => sum + entry.bytes, 0),
      delayMs: this.now() - acked.sentAt,
      frameBytes: acked.bytes,
    };
  }

  clear(): void {
    this.pending.length = 0;
  }
}
