/**
 * Video frames sent to one viewer and not yet acknowledged, oldest first. `bufferedAmount` cannot tell how far
 * behind a viewer is (on loopback the kernel absorbs megabytes before it grows); acks can.
 */
export class SendWindow {
  private readonly pending: { sequence: number; sentAt: number }[] = [];

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

  /** How long the oldest unacknowledged frame has been out: how far behind the viewer is. 0 when none is. */
  get oldestAgeMs(): number {
    const oldest = this.pending[0];
    return oldest ? this.now() - oldest.sentAt : 0;
  }

  sent(sequence: number): void {
    this.pending.push({ sequence: sequence >>> 0, sentAt: this.now() });
  }

  /**
   * The viewer got frame `sequence`. Older frames still pending count as done too (frames arrive in order, so
   * their acks were lost or skipped). A sequence not in flight (a stale ack after switching videos) is ignored.
   */
  ack(sequence: number): boolean {
    const index = this.pending.findIndex((entry) => entry.sequence === sequence >>> 0);
    if (index < 0) return false;
    this.pending.splice(0, index + 1);
    return true;
  }

  clear(): void {
    this.pending.length = 0;
  }
}
