import { describe, expect, it } from 'vitest';
import { outputLevels } from './output-levels';

describe('outputLevels', () => {
  it('halves the frame rate to its floor first, then steps the size down at that rate', () => {
    expect(outputLevels({ fps: 60, width: 1920, height: 1080 })).toEqual([
      { fps: 60, width: 1920, height: 1080 },
      { fps: 30, width: 1920, height: 1080 },
      { fps: 15, width: 1920, height: 1080 },
      { fps: 15, width: 1280, height: 720 },
      { fps: 15, width: 854, height: 480 },
      { fps: 15, width: 640, height: 360 },
      { fps: 15, width: 426, height: 240 },
    ]);
  });

  it('ends, for files, with the decoder skipping pictures nothing refers to, then all but keyframes', () => {
    expect(outputLevels({ fps: 30, width: 854, height: 480 }, true).slice(-3)).toEqual([
      { fps: 15, width: 428, height: 240 },
      { fps: 15, width: 428, height: 240, skipFrames: 'noref' },
      { fps: 15, width: 428, height: 240, skipFrames: 'nokey' },
    ]);
  });

  it('keeps rates that cannot be halved above the floor, and never scales up', () => {
    expect(outputLevels({ fps: 20, width: 640, height: 360 })).toEqual([
      { fps: 20, width: 640, height: 360 },
      { fps: 20, width: 426, height: 240 },
    ]);
  });

  it('has a single level for a tiny low-rate source', () => {
    expect(outputLevels({ fps: 10, width: 320, height: 240 })).toEqual([
      { fps: 10, width: 320, height: 240 },
    ]);
  });
});
