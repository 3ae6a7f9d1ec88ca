import { describe, expect, it } from 'vitest';
import { resolveHlsOptions } from './hls-options';

describe('resolveHlsOptions', () => {
  it('is off unless asked for, and true takes the defaults', () => {
    expect(resolveHlsOptions(undefined)).toBeNull();
    expect(resolveHlsOptions(false)).toBeNull();
    expect(resolveHlsOptions(true)).toEqual({
      ladder: [360, 480, 720],
      segmentSeconds: 1,
      windowSegments: 6,
      idleTimeoutMs: 30_000,
      firstSegmentTimeoutMs: 15_000,
    });
  });

  it.each([
    [{ ladder: [480, 360] }, /"hls\.ladder"/],
    [{ ladder: [] }, /"hls\.ladder"/],
    [{ segmentSeconds: 0.5 }, /"hls\.segmentSeconds" must be a number from 1 to 6/],
    [{ windowSegments: 2 }, /"hls\.windowSegments"/],
    [{ idleTimeoutMs: -1 }, /"hls\.idleTimeoutMs"/],
    [{ segmentsSeconds: 1 }, /unknown option "hls\.segmentsSeconds"/],
    ['yes', /"hls" must be true, false or an object/],
  ])('throws a TypeError naming the option for %j', (value, message) => {
    expect(() => resolveHlsOptions(value)).toThrow(TypeError);
    expect(() => resolveHlsOptions(value)).toThrow(message);
  });
});
