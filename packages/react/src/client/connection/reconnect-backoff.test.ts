import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_OPTIONS } from '../options';
import { reconnectDelay } from './reconnect-backoff';

const noJitter = { ...DEFAULT_RECONNECT_OPTIONS, jitter: 0 };

describe('reconnectDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const schedule = Array.from({ length: 8 }, (_, attempt) => reconnectDelay(attempt, noJitter));
    expect(schedule).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('takes up to the jitter fraction off, never adds to it', () => {
    const options = { ...DEFAULT_RECONNECT_OPTIONS, jitter: 0.5 };
    expect(reconnectDelay(2, options, () => 0)).toBe(2_000);
    expect(reconnectDelay(2, options, () => 0.5)).toBe(1_500);
    expect(reconnectDelay(2, options, () => 0.999_999)).toBe(1_000);
  });

  it('spreads a crowd of clients over the interval', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const delays = new Set(
      Array.from({ length: 50 }, () => reconnectDelay(3, DEFAULT_RECONNECT_OPTIONS, random)),
    );
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) {
      expect(delay).toBeGreaterThan(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});
