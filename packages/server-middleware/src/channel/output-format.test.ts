import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../ffmpeg';
import { channelFormat } from './output-format';

const hd: ProbeResult = { durationSec: 60, width: 1920, height: 1080, fps: 59.94, hasAudio: true };

describe('channelFormat', () => {
  it('caps the frame rate at maxFps', () => {
    expect(channelFormat(hd, 'file', 30, null).fps).toBe(30);
    expect(channelFormat({ ...hd, fps: 25 }, 'file', 30, null).fps).toBe(25);
  });

  it('falls back to maxFps when the source rate is unknown', () => {
    expect(channelFormat({ ...hd, fps: null }, 'file', 24, null).fps).toBe(24);
  });

  it('scales down to maxHeight keeping the aspect ratio, with even sizes', () => {
    expect(channelFormat(hd, 'file', 30, 360)).toMatchObject({ width: 640, height: 360 });
    expect(channelFormat({ ...hd, width: 853, height: 480 }, 'file', 30, 240)).toMatchObject({
      width: 426,
      height: 240,
    });
  });

  it('never scales up', () => {
    expect(channelFormat({ ...hd, width: 320, height: 240 }, 'file', 30, 720)).toMatchObject({
      width: 320,
      height: 240,
    });
  });

  it('has a loop length only for files', () => {
    expect(channelFormat(hd, 'file', 30, null).durationSec).toBe(60);
    expect(channelFormat(hd, 'live', 30, null).durationSec).toBeNull();
    expect(channelFormat(hd, 'generated', 30, null).durationSec).toBeNull();
  });
});
