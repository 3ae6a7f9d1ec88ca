/**
 * Delays between restarts of a failing run (a decoder, a packager): `first`, doubling up to `max`. After a run
 * that was healthy for a while `reset()` starts over, so one crash a day restarts fast while a crash loop backs off.
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
