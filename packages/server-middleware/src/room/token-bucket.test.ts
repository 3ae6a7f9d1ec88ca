import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  const limit = { burst: 5, sustained: 20, windowMs: 30_000 };

  it('allows a burst of `burst` at once and refuses the next', () => {
    const bucket = new TokenBucket(limit, 0);
    const taken = Array.from({ length: 6 }, () => bucket.take(0));
    expect(taken).toEqual([true, true, true, true, true, false]);
  });

  it('refills at the sustained rate: one token every windowMs / sustained', () => {
    const bucket = new TokenBucket(limit, 0);
    for (let i = 0; i < 5; i++) bucket.take(0);
    expect(bucket.take(1_400)).toBe(false);
    expect(bucket.waitMs()).toBeGreaterThan(0);
    expect(bucket.take(1_500)).toBe(true);
    expect(bucket.take(1_500)).toBe(false);
  });

  it('lets through at most burst + sustained in the first window under a constant flood', () => {
    const bucket = new TokenBucket(limit, 0);
    let accepted = 0;
    for (let t = 0; t < 30_000; t += 10) if (bucket.take(t)) accepted++;
    expect(accepted).toBeLessThanOrEqual(25);
    expect(accepted).toBeGreaterThanOrEqual(24);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const bucket = new TokenBucket(limit, 0);
    const taken = Array.from({ length: 7 }, () => bucket.take(10_000_000));
    expect(taken.filter(Boolean)).toHaveLength(5);
  });
});
