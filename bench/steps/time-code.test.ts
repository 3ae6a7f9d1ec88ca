import { describe, expect, it } from 'vitest';
import {
  blockOrigin,
  CODE_BLOCKS,
  CODE_LAYOUT,
  codeLatencyMs,
  decodeTimeCode,
  encodeTimeCode,
  TIME_MODULO,
} from './time-code';

describe('the picture clock', () => {
  it('reads back the time it was drawn with (its low 24 bits), guards first', () => {
    for (const ms of [0, 1, 1_764_614_400_123, TIME_MODULO - 1, 1_764_614_400_123.7]) {
      const blocks = encodeTimeCode(ms);
      expect(blocks).toHaveLength(CODE_BLOCKS);
      expect(blocks.slice(0, 2)).toEqual([true, false]);
      expect(decodeTimeCode(blocks)).toBe(Math.floor(ms) % TIME_MODULO);
    }
  });

  it('refuses a frame whose guards or check do not read right', () => {
    const blocks = encodeTimeCode(1_764_614_400_123);
    for (let index = 0; index < CODE_BLOCKS; index++) {
      const flipped = [...blocks];
      flipped[index] = !flipped[index];
      expect(decodeTimeCode(flipped), `block ${index} flipped`).toBeNull();
    }
    expect(decodeTimeCode(blocks.slice(1))).toBeNull();
    expect(decodeTimeCode(Array(CODE_BLOCKS).fill(false))).toBeNull();
    expect(decodeTimeCode(Array(CODE_BLOCKS).fill(true))).toBeNull();
  });

  it('gives the latency across the 24-bit wrap', () => {
    const drawn = 1_764_614_400_123;
    const code = drawn % TIME_MODULO;
    expect(codeLatencyMs(drawn + 250, code)).toBe(250);
    expect(codeLatencyMs(drawn + 250.9, code)).toBe(250);
    // Drawn just before the low bits wrapped, shown just after.
    expect(codeLatencyMs(TIME_MODULO * 105 + 100, TIME_MODULO - 300)).toBe(400);
  });

  it('lays the blocks out inside the canvas, apart from one another', () => {
    const last = blockOrigin(CODE_BLOCKS - 1);
    expect(last.x + CODE_LAYOUT.size).toBeLessThanOrEqual(CODE_LAYOUT.width);
    expect(last.y + CODE_LAYOUT.size).toBeLessThanOrEqual(CODE_LAYOUT.height / 3);
    expect(CODE_LAYOUT.step - CODE_LAYOUT.size).toBeGreaterThanOrEqual(8);
    expect(blockOrigin(CODE_LAYOUT.perRow)).toEqual({
      x: CODE_LAYOUT.x0,
      y: CODE_LAYOUT.y0 + CODE_LAYOUT.step,
    });
  });
});
