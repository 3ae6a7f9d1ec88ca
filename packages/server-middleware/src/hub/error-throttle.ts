/**
 * Reports failures without flooding the log: the first of a burst at once, then at most one every `intervalMs`,
 * saying how many were held back meanwhile. A Redis that is down fails every reconnect attempt (several a second
 * per connection); the host needs to know it is down, not read each attempt.
 */
export class ErrorThrottle {
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private heldBack = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly report: (error: unknown, heldBack: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  add(error: unknown): void {
    const now = this.now();
    if (now - this.lastReportAt < this.intervalMs) {
      this.heldBack++;
      return;
    }
    this.lastReportAt = now;
    const heldBack = this.heldBack;
    this.heldBack = 0;
    this.report(error, heldBack);
  }

  /** Forgets the burst (the connection is back), so the next failure is reported at once. */
  reset(): void {
    this.lastReportAt = Number.NEGATIVE_INFINITY;
    this.heldBack = 0;
  }
}
