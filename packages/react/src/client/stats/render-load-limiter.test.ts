import { describe, expect, it } from 'vitest';
import { RenderLoadLimiter } from './render-load-limiter';

const busy = { shownFrames: 10, renderDroppedFrames: 5 };
const calm = { shownFrames: 15, renderDroppedFrames: 0 };

describe('RenderLoadLimiter', () => {
  it('halves the frame rate after three overloaded reports in a row, down to 5 fps', () => {
    const limiter = new RenderLoadLimiter();
    const changes: (number | null)[] = [];
    for (let i = 0; i < 12; i++) if (limiter.report(busy, 30, 30, i * 500)) changes.push(limiter.limit);
    expect(changes).toEqual([15, 7, 5]);
  });

  it('does not count drops the link caused, nor an overload that does not last', () => {
    const limiter = new RenderLoadLimiter();
    expect(limiter.report(busy, 30, 30, 0)).toBe(false);
    expect(limiter.report(busy, 30, 30, 500)).toBe(false);
    expect(limiter.report(calm, 30, 30, 1_000)).toBe(false);
    expect(limiter.report(busy, 30, 30, 1_500)).toBe(false);
    expect(limiter.limit).toBeNull();
  });

  it('relaxes after ten calm seconds: doubles, then lifts the limit at the channel rate', () => {
    const limiter = new RenderLoadLimiter();
    for (let i = 0; i < 6; i++) limiter.report(busy, 30, 30, i * 500);
    expect(limiter.limit).toBe(7);
    expect(limiter.report(calm, 7, 30, 5_000)).toBe(false);
    expect(limiter.report(calm, 7, 30, 15_000)).toBe(true);
    expect(limiter.limit).toBe(14);
    expect(limiter.report(calm, 14, 30, 25_000)).toBe(true);
    expect(limiter.limit).toBe(28);
    expect(limiter.report(calm, 28, 30, 35_000)).toBe(true);
    expect(limiter.limit).toBeNull();
  });
});
