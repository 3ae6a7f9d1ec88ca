import { describe, expect, it } from 'vitest';
import { LocalClock } from './local-clock';

describe('LocalClock', () => {
  it('has no time before the first arrival', () => {
    expect(new LocalClock(150).now(0)).toBeNull();
  });

  it('runs the delay behind the least-delayed arrival', () => {
    const clock = new LocalClock(150);
    // Channel time 10 000 arrived at local 0 (30 ms late), 10 040 at local 10 (the fastest), 10 080 at 90.
    clock.observe(10_000, 30);
    clock.observe(10_040, 10);
    clock.observe(10_080, 90);
    expect(clock.now(100)).toBe(100 + 10_030 - 150);
  });

  it('holds instead of going backwards when the best arrival leaves the window', () => {
    const clock = new LocalClock(100, 1_000);
    clock.observe(5_000, 0);
    expect(clock.now(500)).toBe(5_400);
    // The network slowed by 2 s: the new offset alone would put the playhead at 4 400.
    clock.observe(4_500, 1_500);
    expect(clock.now(1_500)).toBe(5_400);
    expect(clock.now(2_000)).toBe(5_400);
    expect(clock.now(2_600)).toBe(5_500);
  });

  it('follows a network that got slower once the fast sample is out of the window', () => {
    const clock = new LocalClock(0, 1_000);
    clock.observe(1_000, 0);
    clock.observe(3_000, 2_100);
    // Offset went from 1000 to 900; after holding, the clock resumes at the new offset.
    expect(clock.now(5_000)).toBe(5_900);
  });
});
