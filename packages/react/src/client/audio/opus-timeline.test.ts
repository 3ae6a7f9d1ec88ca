import { describe, expect, it } from 'vitest';
import { OpusTimeline } from './opus-timeline';

/** Chromium's AudioDecoder: output stamped from the first input's timestamp plus the frames decoded since. */
function countingDecoder() {
  let base: number | null = null;
  let decodedMs = 0;
  return (inputTime: number, durationMs: number): number => {
    base ??= inputTime;
    const stamp = base + decodedMs;
    decodedMs += durationMs;
    return stamp;
  };
}

describe('OpusTimeline', () => {
  it('gives contiguous packets their own channel times on both timelines', () => {
    const timeline = new OpusTimeline();
    expect([0, 20, 40].map((t) => timeline.enter(1_000 + t, 20))).toEqual([1_000, 1_020, 1_040]);
    expect([1_000, 1_020, 1_040].map((t) => timeline.exit(t))).toEqual([1_000, 1_020, 1_040]);
  });

  it('puts output after a hole in the input back on the channel clock, from a decoder that counts frames', () => {
    const timeline = new OpusTimeline();
    const decode = countingDecoder();
    const heard: number[] = [];
    // 100 ms of audio, then a stall whose 1.6 s were dropped as stale, then audio at the live edge again.
    const times = [0, 20, 40, 60, 80, 1_700, 1_720, 1_740];
    for (const t of times) heard.push(timeline.exit(decode(timeline.enter(10_000 + t, 20), 20)));
    expect(heard).toEqual(times.map((t) => 10_000 + t));
  });

  it('maps output that the decoder stamps as given, too (a decoder that keeps its input timestamps)', () => {
    const timeline = new OpusTimeline();
    const fed = [0, 20, 500, 520].map((t) => timeline.enter(t, 20));
    expect(fed.map((t) => timeline.exit(t))).toEqual([0, 20, 500, 520]);
  });

  it('maps output that starts inside a packet, and output that lags the input by several packets', () => {
    const timeline = new OpusTimeline();
    const fed = [0, 20, 40, 1_000, 1_020].map((t) => timeline.enter(t, 20));
    expect(timeline.exit(fed[0]! + 5)).toBe(5);
    expect(timeline.exit(fed[2]!)).toBe(40);
    expect(timeline.exit(fed[3]!)).toBe(1_000);
    expect(timeline.exit(fed[4]! + 10)).toBe(1_030);
  });

  it('tolerates sub-millisecond rounding between packets without a new mapping', () => {
    const timeline = new OpusTimeline();
    timeline.enter(0, 20);
    timeline.enter(20.0004, 20);
    expect(timeline.exit(20)).toBeCloseTo(20, 3);
  });

  it('starts afresh after a reset: the next packet is where a new decoder starts counting', () => {
    const timeline = new OpusTimeline();
    timeline.enter(0, 20);
    timeline.enter(20, 20);
    timeline.reset();
    expect(timeline.enter(5_000, 20)).toBe(5_000);
    expect(timeline.exit(5_000)).toBe(5_000);
  });
});
