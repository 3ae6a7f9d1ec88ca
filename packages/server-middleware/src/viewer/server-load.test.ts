import { describe, expect, it } from 'vitest';
import { ServerLoad } from './server-load';

function loadOn(saturated: boolean) {
  let now = 0;
  const loop = { saturated };
  const load = new ServerLoad(loop, {}, () => now);
  return {
    load,
    loop,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const encodedNone = () => false;

describe('ServerLoad', () => {
  it('says nothing of outliers while the loop is not saturated', () => {
    const { load } = loadOn(false);
    expect(load.pressure(0.01, encodedNone)).toMatchObject({ saturated: false, outlier: false });
  });

  it('on a saturated loop, finds the viewer getting under half the median share', () => {
    const { load } = loadOn(true);
    for (let i = 0; i < 9; i++) load.report({}, 0.6 + i * 0.01);
    expect(load.crowdMedian()).toBeCloseTo(0.64);
    expect(load.pressure(0.5, encodedNone).outlier).toBe(false);
    expect(load.pressure(0.3, encodedNone).outlier).toBe(true);
    // Unmeasured: no evidence that its link is the cause.
    expect(load.pressure(null, encodedNone).outlier).toBe(false);
  });

  it('without a crowd to compare with, finds no outlier', () => {
    const { load, advance } = loadOn(true);
    for (let i = 0; i < 2; i++) load.report({}, 0.6);
    expect(load.crowdMedian()).toBeNull();
    expect(load.pressure(0.01, encodedNone).outlier).toBe(false);
    load.report({}, 0.6);
    advance(500);
    expect(load.pressure(0.01, encodedNone).outlier).toBe(true);
  });

  it('forgets viewers that stopped reporting, and keeps one entry per viewer', () => {
    const { load, advance } = loadOn(true);
    const gone = Array.from({ length: 10 }, () => ({}));
    for (const viewer of gone) load.report(viewer, 0.1);
    advance(6_000);
    const here = Array.from({ length: 3 }, () => ({}));
    for (const viewer of here) {
      load.report(viewer, 0.2);
      load.report(viewer, 0.8);
    }
    expect(load.crowdMedian()).toBeCloseTo(0.8);
  });
});
