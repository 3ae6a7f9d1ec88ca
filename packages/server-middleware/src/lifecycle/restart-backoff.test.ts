import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  it('doubles from the first delay up to the cap', () => {
    const backoff = new RestartBackoff(500, 3_000);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
  });

  it('starts over after reset()', () => {
    const backoff = new RestartBackoff(100, 10_000);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
