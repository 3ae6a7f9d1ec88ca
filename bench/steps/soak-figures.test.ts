import { describe, expect, it } from 'vitest';
import {
  changePercent,
  leastSquaresSlope,
  type SoakResult,
  type SoakSample,
  slopeMbPerMinute,
  soakTables,
  soakWindowSec,
} from './soak-figures';

const sample = (atSec: number, rssMb: number): SoakSample => ({
  atSec,
  rssMb,
  heapUsedMb: rssMb / 4,
  externalMb: 10,
  viewers: 200,
});

describe('leastSquaresSlope', () => {
  it('is the slope of points on a line, and of noisy points around it', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })))).toBeCloseTo(2, 10);
    const noisy = [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 3 * x + (x % 2 ? 0.5 : -0.5) }));
    expect(leastSquaresSlope(noisy)).toBeCloseTo(3, 0);
  });

  it('is NaN without two distinct x', () => {
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNaN();
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNaN();
  });
});

describe('slopeMbPerMinute', () => {
  it('leaves out the warm-up, so the first minute of filling caches does not count as a leak', () => {
    // Up 50 MB in the first minute, then flat at 0.5 MB per minute.
    const samples = [
      sample(0, 100),
      sample(30, 140),
      ...[60, 120, 180, 240].map((s) => sample(s, 150 + (s - 60) / 120)),
    ];
    expect(slopeMbPerMinute(samples, 60, (s) => s.rssMb)).toBeCloseTo(0.5, 10);
    expect(slopeMbPerMinute(samples, 0, (s) => s.rssMb)).toBeGreaterThan(5);
    expect(slopeMbPerMinute(samples, 60, (s) => s.heapUsedMb)).toBeCloseTo(0.125, 10);
  });
});

describe('soakWindowSec', () => {
  it('is a minute, or half of a run shorter than two, in whole seconds', () => {
    expect(soakWindowSec(600)).toBe(60);
    expect(soakWindowSec(60)).toBe(30);
    expect(soakWindowSec(45)).toBe(22);
  });
});

describe('changePercent', () => {
  it('is the change against the first value', () => {
    expect(changePercent(30, 28.5)).toBeCloseTo(-5, 10);
    expect(changePercent(0, 1)).toBeNaN();
  });
});

describe('soakTables', () => {
  it('gives the slopes, the two windows and every sample', () => {
    const window = { fromSec: 0, toSec: 60, fpsMedian: 30, fpsP5: 29, delayP50Ms: 20, delayP99Ms: 80 };
    const result: SoakResult = {
      viewers: 200,
      seconds: 600,
      chatPerSecond: 5,
      warmUpSec: 60,
      samples: [sample(0, 150), sample(10, 151)],
      rssSlopeMbPerMin: 0.25,
      heapSlopeMbPerMin: -0.1,
      externalSlopeMbPerMin: 0,
      first: window,
      last: { ...window, fromSec: 540, toSec: 600, fpsMedian: 28.5, delayP99Ms: 84 },
      chatSent: 3000,
      chatDeliveredPercent: 100,
      playing: 200,
      closedByServer: 0,
      serverCpuPercent: 80,
      errors: {},
    };
    const text = soakTables(result);
    expect(text).toContain('| RSS slope after 60 s (target < 1) | +0.25 MB/min |');
    expect(text).toContain('30.0 (29.0) → 28.5 (29.0), -5.0 %');
    expect(text).toContain('20 / 80 → 20 / 84, p99 +5.0 %');
    expect(text).toContain('| 10 | 151.0 | 37.8 | 10.0 | 200 |');
    expect(soakTables(undefined)).toBe('(soak did not run)');
  });
});
