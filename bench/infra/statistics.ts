/** The p-th percentile (0–100) of already sorted numbers, nearest-rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function sortedCopy(values: Iterable<number>): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

/**
 * Counts delays in 1 ms buckets, so a thousand viewers at 30 fps cost an array increment per frame instead of
 * an ever-growing list of samples.
 */
export class DelayHistogram {
  private readonly buckets = new Uint32Array(60_001);
  private total = 0;

  add(delayMs: number): void {
    const bucket = Math.min(this.buckets.length - 1, Math.max(0, Math.round(delayMs)));
    this.buckets[bucket]! += 1;
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const wanted = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms]!;
      if (seen >= wanted) return ms;
    }
    return this.buckets.length - 1;
  }
}
