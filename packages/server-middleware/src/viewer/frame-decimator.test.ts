import { describe, expect, it } from 'vitest';
import { FrameDecimator } from './frame-decimator';

function passes(decimator: FrameDecimator, frames: number): number[] {
  const kept: number[] = [];
  for (let i = 0; i < frames; i++) if (decimator.take()) kept.push(i);
  return kept;
}

describe('FrameDecimator', () => {
  it('keeps every third frame for 10 of 30 fps, starting with the first', () => {
    expect(passes(new FrameDecimator(30, 10), 9)).toEqual([0, 3, 6]);
  });

  it('keeps exactly the asked share over a second for rates that do not divide evenly', () => {
    expect(passes(new FrameDecimator(30, 12), 30)).toHaveLength(12);
    expect(passes(new FrameDecimator(29.97, 15), 2997)).toHaveLength(1500);
    const kept = passes(new FrameDecimator(25, 24), 25);
    expect(kept).toHaveLength(24);
  });

  it('passes every frame when the viewer asks for the channel rate or more, or for nothing in particular', () => {
    expect(passes(new FrameDecimator(25, 60), 10)).toHaveLength(10);
    expect(passes(new FrameDecimator(25, null), 10)).toHaveLength(10);
    expect(new FrameDecimator(25, 60).outputFps).toBe(25);
  });
});
