import { describe, expect, it } from 'vitest';
import { SenderRateLimits } from './sender-rate-limits';

describe('SenderRateLimits', () => {
  const limit = { burst: 2, sustained: 1, windowMs: 1_000 };

  it('gives each sender its own bucket and says how long to wait', () => {
    const limits = new SenderRateLimits(limit);
    expect(limits.take('a', 0)).toEqual({ ok: true });
    expect(limits.take('a', 0)).toEqual({ ok: true });
    expect(limits.take('a', 0)).toEqual({ ok: false, waitMs: 1_000 });
    expect(limits.take('b', 0)).toEqual({ ok: true });
    expect(limits.take('a', 1_000)).toEqual({ ok: true });
  });

  it('forgets the least recently seen sender past 10,000, which only hands it a full bucket', () => {
    const limits = new SenderRateLimits(limit);
    limits.take('first', 0);
    limits.take('first', 0);
    expect(limits.take('first', 0).ok).toBe(false);
    for (let i = 0; i < 10_000; i++) limits.take(`sender-${i}`, 0);
    expect(limits.take('first', 0)).toEqual({ ok: true });
    // A sender seen recently is still remembered, bucket and all.
    limits.take('sender-9999', 0);
    expect(limits.take('sender-9999', 0).ok).toBe(false);
  });
});
