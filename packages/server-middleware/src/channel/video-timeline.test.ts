import { describe, expect, it } from 'vitest';
import { REALTIME_RESYNC_MS, VideoTimeline } from './video-timeline';

describe('VideoTimeline', () => {
  it('stamps frame n at start + n × interval', () => {
    const timeline = new VideoTimeline(40, false);
    expect([0, 1, 2].map(() => timeline.next(1_000, 0))).toEqual([1_000, 1_040, 1_080]);
  });

  it("leaves a file's frames on their timeline however late they come (the pacer sheds them)", () => {
    const timeline = new VideoTimeline(40, false);
    expect(timeline.next(1_000, 5_000)).toBe(1_000);
    expect(timeline.resyncs).toBe(0);
  });

  it("moves a real-time input's frames forward onto the clock once they fall behind it, and keeps them there", () => {
    const timeline = new VideoTimeline(40, true);
    // A decoder that delivers 20 frames a second of a 25 fps output: 10 ms behind per frame.
    const stamps: number[] = [];
    for (let n = 0; n < 100; n++) stamps.push(timeline.next(0, n * 50));
    const lags = stamps.map((stamp, n) => n * 50 - stamp);
    expect(Math.max(...lags)).toBeLessThanOrEqual(REALTIME_RESYNC_MS);
    expect(timeline.resyncs).toBeGreaterThan(0);
    for (let n = 1; n < stamps.length; n++) expect(stamps[n]!).toBeGreaterThan(stamps[n - 1]!);
    // On time, it is left alone.
    const onTime = new VideoTimeline(40, true);
    for (let n = 0; n < 100; n++) onTime.next(0, n * 40 + 5);
    expect(onTime.resyncs).toBe(0);
  });
});
