import { describe, expect, it } from 'vitest';
import { CLOCK_BITS, CLOCK_FPS, CLOCK_SECONDS, clockFilterGraph, frameLatencyMs } from './clock-video';
import { newestSegmentEnd } from './hls-join-step';

describe('the clock video', () => {
  it('has a bit for every frame number of the file, and one drawbox per bit', () => {
    expect(2 ** CLOCK_BITS).toBeGreaterThanOrEqual(CLOCK_FPS * CLOCK_SECONDS);
    expect(clockFilterGraph().match(/mod\(floor\(n\//g)).toHaveLength(CLOCK_BITS);
  });

  it('times a frame shown against its newest moment on air (epoch 0, looping every 60 s)', () => {
    // Frame 30 (1 s into the file) is on air at 1 s past every minute.
    const onAir = Date.UTC(2026, 11, 1, 16, 0, 1);
    expect(frameLatencyMs(onAir + 2_345, 30, 60)).toBeCloseTo(2_345, 6);
    // Frame 1770 (59 s) shown 2 s later, after the minute turned: its moment was in the minute before.
    expect(frameLatencyMs(Date.UTC(2026, 11, 1, 16, 1, 1), 1_770, 60)).toBeCloseTo(2_000, 6);
  });
});

describe('newestSegmentEnd', () => {
  it('is the newest PROGRAM-DATE-TIME plus its EXTINF', () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-01T16:00:00.000Z',
      '#EXTINF:1.000000,',
      'seg-1.m4s',
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-01T16:00:01.000Z',
      '#EXTINF:0.966667,',
      'seg-2.m4s',
    ].join('\n');
    expect(newestSegmentEnd(playlist)).toBeCloseTo(Date.UTC(2026, 11, 1, 16, 0, 1) + 966.667, 3);
    expect(newestSegmentEnd('#EXTM3U\n')).toBeNull();
  });
});
