import { describe, expect, it } from 'vitest';
import { h264Level, planRenditions } from './renditions';

const hd = { width: 1920, height: 1080, fps: 30, hasAudio: true };

describe('planRenditions', () => {
  it('keeps the default 360p/480p/720p ladder for a 1080p source, aspect ratio kept, even sizes', () => {
    const renditions = planRenditions(hd, [360, 480, 720]);
    expect(renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ['360p', 640, 360],
      ['480p', 854, 480],
      ['720p', 1280, 720],
    ]);
  });

  it('never upscales: rungs above the source become one rendition at its own height', () => {
    const small = { width: 320, height: 240, fps: 30, hasAudio: true };
    expect(planRenditions(small, [360, 480, 720]).map((r) => r.name)).toEqual(['240p']);
    const mid = { width: 1024, height: 576, fps: 25, hasAudio: false };
    expect(planRenditions(mid, [360, 480, 720]).map((r) => r.name)).toEqual(['360p', '480p', '576p']);
  });

  it('states bandwidth above the average and codecs with audio only when the source has it', () => {
    const [withAudio] = planRenditions(hd, [720]);
    const [silent] = planRenditions({ ...hd, hasAudio: false }, [720]);
    expect(withAudio?.bandwidth).toBeGreaterThan(withAudio?.averageBandwidth ?? Infinity);
    expect(withAudio?.codecs).toBe('avc1.4d401f,mp4a.40.2');
    expect(silent?.codecs).toBe('avc1.4d401f');
  });
});

describe('h264Level', () => {
  it('picks the lowest level whose frame size and macroblock rate fit', () => {
    expect(h264Level(640, 360, 30).name).toBe('3.0');
    expect(h264Level(854, 480, 30).name).toBe('3.1');
    expect(h264Level(1280, 720, 60).name).toBe('3.2');
    expect(h264Level(1920, 1080, 30).name).toBe('4.0');
  });
});
