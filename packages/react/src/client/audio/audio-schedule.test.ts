import { describe, expect, it } from 'vitest';
import { AudioSchedule } from './audio-schedule';

const schedule = () => new AudioSchedule({ leadMs: 200, ceilingMs: 300 });

describe('AudioSchedule', () => {
  it('starts the first chunk one lead after now, and butts the next ones against it', () => {
    const s = schedule();
    expect(s.place(1_000, 20, 10)).toEqual({ startAt: 10.2, flush: false });
    expect(s.place(1_020, 20, 10.01)?.startAt).toBeCloseTo(10.22, 9);
    expect(s.place(1_040, 20, 10.02)?.startAt).toBeCloseTo(10.24, 9);
  });

  it('gives the channel time heard: the anchor run on, null before the first chunk starts and after the last ends', () => {
    const s = schedule();
    s.place(1_000, 20, 10);
    s.place(1_020, 20, 10);
    expect(s.clockAt(10.1)).toBeNull();
    expect(s.clockAt(10.21)).toBeCloseTo(1_010, 6);
    expect(s.clockAt(10.239)).toBeCloseTo(1_039, 6);
    expect(s.clockAt(10.24)).toBeNull();
  });

  it('drops a chunk whose slot has passed while earlier sound still plays', () => {
    const s = schedule();
    s.place(1_000, 100, 10); // plays 10.2 → 10.3
    expect(s.place(900, 20, 10.25)).toBeNull();
  });

  it('after a stall re-anchors the next chunk one (longer) lead from now, and counts the silence as a gap', () => {
    const s = schedule();
    s.place(1_000, 20, 10); // plays 10.2 → 10.22
    expect(s.gapMsAt(10.22)).toBe(0);
    // Nothing for 1.78 s: the gap is running.
    expect(s.gapMsAt(12)).toBe(1_780);
    // The underrun lengthened the lead by a step: 300 ms.
    expect(s.place(3_000, 20, 12)).toEqual({ startAt: 12.3, flush: false });
    expect(s.gapMsAt(12.3)).toBe(2_080);
    expect(s.clockAt(12.31)).toBeCloseTo(3_010, 6);
  });

  it('lengthens its lead a step per underrun up to a bound, and gives a step back after a long steady run', () => {
    const s = schedule();
    let now = 0;
    let timestamp = 0;
    /** Plays `ms` of 100 ms chunks delivered on time, each 100 ms of context time apart. */
    const steady = (ms: number) => {
      for (const end = now + ms / 1000; now < end; now += 0.1, timestamp += 100) s.place(timestamp, 100, now);
    };
    const underrun = () => {
      now += 1;
      timestamp += 1_000;
      s.place(timestamp, 100, now);
    };
    steady(1_000);
    expect(s.leadMs).toBe(200);
    underrun();
    expect(s.leadMs).toBe(300);
    for (let i = 0; i < 5; i++) underrun();
    expect(s.leadMs).toBe(500);
    steady(19_000);
    expect(s.leadMs).toBe(500);
    steady(2_000);
    expect(s.leadMs).toBe(400);
    // A pause or a new stream is no underrun.
    s.reset(now);
    s.place(timestamp + 5_000, 100, now + 5);
    expect(s.leadMs).toBe(400);
  });

  it('jumps to live (flush, re-anchor) when a burst piles sound past the lead plus the ceiling', () => {
    const s = schedule();
    s.place(0, 20, 10);
    let placement = null;
    // A stall ended with a second of audio at once: the first 500 ms fit, the rest would play too late.
    for (let t = 20; t < 1_000 && !placement?.flush; t += 20) placement = s.place(t, 20, 10);
    expect(placement?.flush).toBe(true);
    expect(placement?.startAt).toBeCloseTo(10.2, 9);
    expect(s.gapMsAt(10.2)).toBe(0);
  });

  it('counts no gap after a reset (a pause or a new stream is not a gap), and the played time', () => {
    const s = schedule();
    s.place(0, 100, 0); // 0.2 → 0.3
    expect(s.playedMsAt(0.3)).toBe(100);
    s.reset(5);
    s.place(10_000, 100, 5);
    expect(s.gapMsAt(5.2)).toBe(0);
    expect(s.playedMsAt(5.3)).toBe(200);
  });
});
