import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaPacer } from './media-pacer';

describe('MediaPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function pacer(paced = true, lateLimitMs?: number) {
    const emitted: number[] = [];
    const pressure: boolean[] = [];
    const shed: [number, number][] = [];
    const instance = new MediaPacer<{ timestamp: number }>({
      lateLimitMs,
      onShed: (item, lateMs) => shed.push([item.timestamp, lateMs]),
      now: () => Date.now(),
      emit: (item) => emitted.push(item.timestamp),
      paced,
      highWater: 3,
      lowWater: 1,
      onPressure: (full) => pressure.push(full),
    });
    return { instance, emitted, pressure, shed };
  }

  it('holds each item until the clock reaches its timestamp, in order', () => {
    vi.setSystemTime(1_000);
    const { instance, emitted } = pacer();
    instance.push({ timestamp: 1_000 });
    instance.push({ timestamp: 1_033 });
    instance.push({ timestamp: 1_066 });
    expect(emitted).toEqual([1_000]);
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([1_000, 1_033]);
    vi.advanceTimersByTime(30);
    expect(emitted).toEqual([1_000, 1_033, 1_066]);
  });

  it('lets late items out at once', () => {
    vi.setSystemTime(5_000);
    const { instance, emitted } = pacer();
    instance.push({ timestamp: 4_000 });
    instance.push({ timestamp: 4_033 });
    expect(emitted).toEqual([4_000, 4_033]);
  });

  it('sheds items later than the late limit instead of emitting them, and says how late', () => {
    vi.setSystemTime(5_000);
    const { instance, emitted, shed } = pacer(true, 100);
    instance.push({ timestamp: 4_850 });
    instance.push({ timestamp: 4_950 });
    instance.push({ timestamp: 5_050 });
    expect(shed).toEqual([[4_850, 150]]);
    expect(emitted).toEqual([4_950]);
    // A held item that waits its turn behind nothing late is emitted on time.
    vi.advanceTimersByTime(50);
    expect(emitted).toEqual([4_950, 5_050]);
  });

  it('asks the producer to pause at the high-water mark and to go on at the low-water mark', () => {
    vi.setSystemTime(0);
    const { instance, pressure } = pacer();
    for (const timestamp of [100, 200, 300]) instance.push({ timestamp });
    expect(pressure).toEqual([true]);
    vi.advanceTimersByTime(100);
    expect(pressure).toEqual([true]);
    vi.advanceTimersByTime(100);
    expect(pressure).toEqual([true, false]);
  });

  it('emits immediately when unpaced (live inputs)', () => {
    vi.setSystemTime(0);
    const { instance, emitted } = pacer(false);
    instance.push({ timestamp: 10_000 });
    expect(emitted).toEqual([10_000]);
  });

  it('drops what it holds and leaves no timer on clear()', () => {
    vi.setSystemTime(0);
    const { instance, emitted } = pacer();
    instance.push({ timestamp: 500 });
    instance.clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(emitted).toEqual([]);
    // Nothing is left queued: an item pushed now comes out alone (a held one, long due, would go first).
    instance.push({ timestamp: 1_500 });
    vi.advanceTimersByTime(500);
    expect(emitted).toEqual([1_500]);
  });
});
