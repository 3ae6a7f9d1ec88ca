import { describe, expect, it } from 'vitest';
import { planPackagerStart } from './start-plan';

describe('planPackagerStart', () => {
  it('numbers segments from the epoch clock and seeks a file to the start of the segment on air', () => {
    // 100.4 s on the channel clock, 1 s segments, a 30 s file: segment 100 began at 100 s = 10 s into the file.
    expect(planPackagerStart(100_400, 1, 30, 0)).toEqual({
      firstNumber: 100,
      originTime: 100_000,
      seekSec: 10,
      catchUpSec: expect.closeTo(0.4, 6),
    });
  });

  it('gives two servers with the same clock the same numbers', () => {
    expect(planPackagerStart(7_999, 2, 30, 0).firstNumber).toBe(
      planPackagerStart(6_001, 2, 30, 0).firstNumber,
    );
  });

  it('keeps numbers rising past the highest one already listed', () => {
    expect(planPackagerStart(100_400, 1, null, 105)).toMatchObject({ firstNumber: 105, seekSec: null });
  });

  it('starts an endless input now, without a seek or a catch-up', () => {
    expect(planPackagerStart(100_400, 1, null, 0)).toEqual({
      firstNumber: 100,
      originTime: 100_400,
      seekSec: null,
      catchUpSec: 0,
    });
  });
});
