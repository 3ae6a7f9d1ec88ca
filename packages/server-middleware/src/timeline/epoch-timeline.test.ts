import { describe, expect, it } from 'vitest';
import { planFileStart, positionAt } from './epoch-timeline';

describe('positionAt', () => {
  it('is (time / 1000) mod duration', () => {
    expect(positionAt(0, 4)).toBe(0);
    expect(positionAt(5_500, 4)).toBeCloseTo(1.5, 9);
    expect(positionAt(8_000, 4)).toBe(0);
  });

  it('agrees between two servers that only share the epoch, even at Unix-time magnitudes', () => {
    const now = 1_763_700_000_123;
    expect(positionAt(now, 93.5)).toBeCloseTo((((now / 1000) % 93.5) + 93.5) % 93.5, 6);
    expect(positionAt(now + 93_500, 93.5)).toBeCloseTo(positionAt(now, 93.5), 6);
  });

  it('stays in [0, duration) before the epoch', () => {
    expect(positionAt(-1_000, 4)).toBeCloseTo(3, 9);
  });
});

describe('planFileStart', () => {
  it('seeks to the live position and puts the first frame on air now', () => {
    expect(planFileStart(9_500, 4)).toEqual({ seekSec: 1.5, firstFrameTime: 9_500 });
  });

  it('skips the seek pass near the start and places frame 0 where the timeline had position 0', () => {
    expect(planFileStart(8_100, 4)).toEqual({ seekSec: null, firstFrameTime: 8_000 });
  });

  it('skips the seek pass near the end and holds frame 0 until the timeline wraps', () => {
    const plan = planFileStart(7_900, 4);
    expect(plan.seekSec).toBeNull();
    expect(plan.firstFrameTime).toBeCloseTo(8_000, 6);
  });

  it('starts at 0 without a seek when the length is unknown', () => {
    expect(planFileStart(123_456, null)).toEqual({ seekSec: null, firstFrameTime: 123_456 });
  });
});
