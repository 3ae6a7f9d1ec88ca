import { describe, expect, it, vi } from 'vitest';
import { JitterBuffer } from './jitter-buffer';

const frame = (timestamp: number) => ({ timestamp });

describe('JitterBuffer', () => {
  it('keeps frames ordered by timestamp whatever order they arrive in', () => {
    const buffer = new JitterBuffer();
    for (const t of [300, 100, 200, 500, 400]) buffer.push(frame(t));
    const taken = [100, 200, 300, 400, 500].map((clock) => buffer.takeDue(clock)?.timestamp);
    expect(taken).toEqual([100, 200, 300, 400, 500]);
  });

  it('returns nothing before the first frame is due', () => {
    const buffer = new JitterBuffer();
    buffer.push(frame(1000));
    expect(buffer.takeDue(999)).toBeUndefined();
    expect(buffer.size).toBe(1);
    expect(buffer.takeDue(1000)?.timestamp).toBe(1000);
  });

  it('returns the newest due frame and counts the older due ones as dropped', () => {
    const onDiscard = vi.fn();
    const buffer = new JitterBuffer({ onDiscard });
    for (const t of [0, 40, 80, 120, 160]) buffer.push(frame(t));
    expect(buffer.takeDue(125)?.timestamp).toBe(120);
    expect(onDiscard.mock.calls.map(([f]) => f.timestamp)).toEqual([0, 40, 80]);
    expect(buffer.takeCounters()).toEqual({ dropped: 3, late: 0 });
    expect(buffer.size).toBe(1);
  });

  it('counts a frame shown more than the threshold after its time as late', () => {
    const buffer = new JitterBuffer({ lateThresholdMs: 50 });
    buffer.push(frame(100));
    buffer.push(frame(200));
    buffer.takeDue(140);
    buffer.takeDue(260);
    expect(buffer.takeCounters()).toEqual({ dropped: 0, late: 1 });
  });

  it('drops a frame that arrives after a newer one was shown', () => {
    const buffer = new JitterBuffer();
    buffer.push(frame(200));
    buffer.takeDue(200);
    expect(buffer.push(frame(150))).toBe(false);
    expect(buffer.size).toBe(0);
    expect(buffer.takeCounters().dropped).toBe(1);
  });

  it('stays within its bound by dropping the oldest frames', () => {
    const onDiscard = vi.fn();
    const buffer = new JitterBuffer({ maxFrames: 3, onDiscard });
    for (let t = 0; t < 10; t++) buffer.push(frame(t * 10));
    expect(buffer.size).toBe(3);
    expect(buffer.takeDue(1_000)?.timestamp).toBe(90);
    expect(buffer.takeCounters().dropped).toBe(9);
    expect(onDiscard).toHaveBeenCalledTimes(9);
  });

  it('resets counters on each read and clears without counting drops', () => {
    const onDiscard = vi.fn();
    const buffer = new JitterBuffer({ onDiscard });
    for (const t of [0, 10, 20]) buffer.push(frame(t));
    buffer.takeDue(10);
    expect(buffer.takeCounters()).toEqual({ dropped: 1, late: 0 });
    expect(buffer.takeCounters()).toEqual({ dropped: 0, late: 0 });
    buffer.clear();
    expect(buffer.size).toBe(0);
    expect(onDiscard).toHaveBeenCalledTimes(2);
    expect(buffer.takeCounters()).toEqual({ dropped: 0, late: 0 });
    // After a clear (a new stream) older timestamps are welcome again.
    expect(buffer.push(frame(5))).toBe(true);
  });

  it('takes the same frame again at a new rung (same time) without counting a drop', () => {
    const onDiscard = vi.fn();
    const buffer = new JitterBuffer<{ timestamp: number; rung: number }>({ onDiscard });
    buffer.push({ timestamp: 0, rung: 0 });
    buffer.push({ timestamp: 40, rung: 0 });
    // The step-up resends the frame held at the new rung: it replaces it.
    expect(buffer.push({ timestamp: 40, rung: 1 })).toBe(true);
    expect(buffer.size).toBe(2);
    expect(buffer.takeDue(0)?.rung).toBe(0);
    // ...and the frame already shown, resent: it goes, uncounted.
    expect(buffer.push({ timestamp: 0, rung: 1 })).toBe(false);
    expect(buffer.takeDue(40)).toEqual({ timestamp: 40, rung: 1 });
    expect(buffer.takeCounters()).toEqual({ dropped: 0, late: 0 });
    expect(onDiscard.mock.calls.map(([f]) => [f.timestamp, f.rung])).toEqual([
      [40, 0],
      [0, 1],
    ]);
  });

  it('keeps only its newest frame when jumping to live, counting nothing', () => {
    const buffer = new JitterBuffer();
    for (const t of [0, 40, 80]) buffer.push(frame(t));
    buffer.keepNewest();
    expect(buffer.size).toBe(1);
    expect(buffer.newestTimestamp).toBe(80);
    expect(buffer.takeCounters()).toEqual({ dropped: 0, late: 0 });
  });
});
