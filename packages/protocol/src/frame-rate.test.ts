import { describe, expect, it } from 'vitest';
import { reducedRateExtraMs } from './frame-rate';

describe('reducedRateExtraMs', () => {
  it('is the time a reduced rate frame stands beyond the channel frame interval', () => {
    expect(reducedRateExtraMs(30, 5)).toBeCloseTo(200 - 1000 / 30);
    expect(reducedRateExtraMs(30, 15)).toBeCloseTo(1000 / 15 - 1000 / 30);
  });

  it('adds nothing at the full rate, above it, or before a rate is known', () => {
    expect(reducedRateExtraMs(30, 30)).toBe(0);
    expect(reducedRateExtraMs(30, 60)).toBe(0);
    expect(reducedRateExtraMs(30, 0)).toBe(0);
  });
});
