import { describe, expect, it } from 'vitest';
import { LIVE_STREAM_DEFAULTS } from '../options/defaults';
import { ladderOption } from '../options/ladder-option';
import { modelKbps } from './jpeg-bitrate-model';
import { planRungs } from './rung-plan';

const DEMO = { width: 854, height: 480, fps: 30 };
const defaults = ladderOption(undefined, LIVE_STREAM_DEFAULTS.ladder);

describe('planRungs', () => {
  it('gives the 854x480 demo six rungs, from well under 1 Mbit/s to 480p at high quality', () => {
    const rungs = planRungs(defaults, DEMO);
    expect(rungs.map(({ label, width, height, quality }) => [label, width, height, quality])).toEqual([
      ['144p', 256, 144, 40],
      ['240p', 428, 240, 50],
      ['360p', 640, 360, 50],
      ['480p', 854, 480, 50],
      ['480p · high', 854, 480, 70],
      ['480p · best', 854, 480, 85],
    ]);
    expect(rungs[0]!.modelKbps).toBeLessThan(800);
    expect(rungs.at(-1)!.modelKbps).toBeGreaterThan(8_000);
  });

  it('orders rungs by the bitrate they need, whatever order they were given in', () => {
    const rungs = planRungs(
      [
        { height: null, quality: 90 },
        { height: 240, quality: 80 },
        { height: 360, quality: 30 },
      ],
      DEMO,
    );
    const kbps = rungs.map((rung) => rung.modelKbps);
    expect(kbps).toEqual([...kbps].sort((a, b) => a - b));
    // 360p at q30 costs less than 240p at q80.
    expect(rungs.map((rung) => rung.height)).toEqual([360, 240, 480]);
  });

  it('caps heights at the source and merges rungs that become the same', () => {
    const rungs = planRungs(defaults, { width: 320, height: 240, fps: 30 });
    expect(rungs.map((rung) => rung.label)).toEqual(['144p', '240p', '240p · high', '240p · best']);
  });

  it('keeps a plain ladder of qualities at the source size (the ladder from before sizes)', () => {
    const rungs = planRungs(ladderOption([40, 55, 70, 80, 90], []), DEMO);
    expect(rungs.every((rung) => rung.width === 854 && rung.height === 480)).toBe(true);
    expect(rungs.map((rung) => rung.quality)).toEqual([40, 55, 70, 80, 90]);
    expect(rungs.map((rung) => rung.label)).toEqual([
      '480p',
      '480p · q55',
      '480p · q70',
      '480p · q80',
      '480p · q90',
    ]);
  });

  it('keeps scaled sizes even and the aspect ratio', () => {
    const [rung] = planRungs([{ height: 360, quality: 50 }], { width: 1920, height: 1080, fps: 60 });
    expect(rung).toMatchObject({ width: 640, height: 360 });
    expect(rung!.modelKbps).toBeCloseTo(modelKbps(640, 360, 50, 60));
  });
});

describe('the ladder option', () => {
  it('takes qualities and { height, quality } objects, in any mix', () => {
    expect(
      ladderOption([50, { height: 240, quality: 40 }, { quality: 90 }, { height: null, quality: 60 }], []),
    ).toEqual([
      { height: null, quality: 50 },
      { height: 240, quality: 40 },
      { height: null, quality: 90 },
      { height: null, quality: 60 },
    ]);
  });

  it.each([
    [[]],
    [[0]],
    [[101]],
    [[50.5]],
    [[{ height: 8, quality: 50 }]],
    [[{ height: 240 }]],
    [[{ height: 240, quality: 50, fps: 15 }]],
    [Array.from({ length: 17 }, () => 50)],
    ['50'],
  ])('refuses %j with a TypeError naming the option', (value) => {
    expect(() => ladderOption(value, [])).toThrow(TypeError);
    expect(() => ladderOption(value, [])).toThrow(/ladder/);
  });
});
