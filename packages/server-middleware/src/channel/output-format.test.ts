import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../ffmpeg';
import { channelFormat, overPixelRate, pixelRate } from './output-format';

const hd: ProbeResult = { durationSec: 60, width: 1920, height: 1080, fps: 59.94, hasAudio: true };

const limits = (maxFps: number, maxHeight: number | null, maxPixelRate: number | null = null) => ({
  maxFps,
  maxHeight,
  maxPixelRate,
});

describe('channelFormat', () => {
  it('caps the frame rate at maxFps', () => {
    expect(channelFormat(hd, 'file', limits(30, null)).fps).toBe(30);
    expect(channelFormat({ ...hd, fps: 25 }, 'file', limits(30, null)).fps).toBe(25);
  });

  it('falls back to maxFps when the source rate is unknown', () => {
    expect(channelFormat({ ...hd, fps: null }, 'file', limits(24, null)).fps).toBe(24);
  });

  it('scales down to maxHeight keeping the aspect ratio, with even sizes', () => {
    expect(channelFormat(hd, 'file', limits(30, 360))).toMatchObject({ width: 640, height: 360 });
    expect(channelFormat({ ...hd, width: 853, height: 480 }, 'file', limits(30, 240))).toMatchObject({
      width: 426,
      height: 240,
    });
  });

  it('never scales up', () => {
    expect(channelFormat({ ...hd, width: 320, height: 240 }, 'file', limits(30, 720))).toMatchObject({
      width: 320,
      height: 240,
    });
  });

  it('has a loop length only for files', () => {
    expect(channelFormat(hd, 'file', limits(30, null)).durationSec).toBe(60);
    expect(channelFormat(hd, 'live', limits(30, null)).durationSec).toBeNull();
    expect(channelFormat(hd, 'generated', limits(30, null)).durationSec).toBeNull();
  });
});

describe('channelFormat over maxPixelRate', () => {
  const eightK: ProbeResult = { durationSec: 1, width: 7680, height: 4320, fps: 30, hasAudio: false };
  const cap = 1920 * 1080 * 60;

  it('shrinks the size, not the frame rate, to the largest even size within the cap, aspect kept', () => {
    const format = channelFormat(eightK, 'file', limits(30, null, cap));
    expect(format.fps).toBe(30);
    expect(pixelRate(format)).toBeLessThanOrEqual(cap);
    expect(format.height % 2).toBe(0);
    expect(format.width % 2).toBe(0);
    expect(format.width / format.height).toBeCloseTo(16 / 9, 2);
    // The largest: one even step taller would not fit.
    const taller = format.height + 2;
    expect(Math.floor((7680 * taller) / 4320 / 2) * 2 * taller * 30).toBeGreaterThan(cap);
  });

  it('gives 1080p for a 4K source when the cap is 1080p at its frame rate', () => {
    const fourK = { ...eightK, width: 3840, height: 2160, fps: 60 };
    expect(channelFormat(fourK, 'file', limits(60, null, cap))).toMatchObject({ width: 1920, height: 1080 });
  });

  it('counts the rate after maxFps and maxHeight, so what they already cut is not cut again', () => {
    expect(channelFormat(eightK, 'file', limits(30, 1080, cap))).toMatchObject({ width: 1920, height: 1080 });
    expect(channelFormat({ ...hd, fps: 120 }, 'file', limits(60, null, cap))).toMatchObject({
      width: 1920,
      height: 1080,
      fps: 60,
    });
  });

  it('leaves every source alone without a cap', () => {
    expect(channelFormat(eightK, 'file', limits(30, null, null))).toMatchObject({
      width: 7680,
      height: 4320,
    });
  });
});

describe('overPixelRate', () => {
  const eightK: ProbeResult = { durationSec: 1, width: 7680, height: 4320, fps: 30, hasAudio: false };

  it('says what is over and by how much', () => {
    expect(overPixelRate(eightK, 'file', limits(30, null, 124_416_000))).toBe(
      '7680x4320 at 30 fps is 995 328 000 pixels/s, over maxPixelRate (124 416 000)',
    );
  });

  it('is null within the cap or without one', () => {
    expect(overPixelRate(hd, 'file', limits(60, null, 1920 * 1080 * 60))).toBeNull();
    expect(overPixelRate(eightK, 'file', limits(30, null, null))).toBeNull();
  });
});
