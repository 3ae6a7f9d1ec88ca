/** Sums amounts recorded over a sliding window: frames shown per second, bytes received per second. */
export class RateMeter {
  private events: { at: number; amount: number }[] = [];
  private sum = 0;

  constructor(private readonly windowMs = 1_000) {}

  record(at: number, amount = 1): void {
    this.events.push({ at, amount });
    this.sum += amount;
    this.evict(at);
  }

  /** Total recorded in the window ending at `at`, scaled to one second. */
  perSecond(at: number): number {
    this.evict(at);
    return (this.sum * 1_000) / this.windowMs;
  }

  reset(): void {
    this.events = [];
    this.sum = 0;
  }

  private evict(at: number): void {
    let expired = 0;
    while (expired < this.events.length && this.events[expired]!.at <= at - this.windowMs) {
      this.sum -= this.events[expired]!.amount;
      expired++;
    }
    if (expired > 0) this.events.splice(0, expired);
  }
}
