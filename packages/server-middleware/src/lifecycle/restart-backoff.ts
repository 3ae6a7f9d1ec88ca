/**
 * Delays between restarts of a failing decoder: `first`, doubling up to `max`. A decoder that has run healthily
 * for a while calls `reset()`, so one crash a day restarts fast while a crash loop backs off.
 */
export class RestartBackoff {
  private failures = 0;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {}

  next(): number {
    const delay = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }
}
