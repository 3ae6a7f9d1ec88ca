import { describe, expect, it } from 'vitest';
import { EventLoopLoad, type LoopTimes } from './event-loop-load';

/** A loop whose busy share per elapsed ms is set by the test, on a fake clock. */
function fakeLoop() {
  let now = 0;
  const times: LoopTimes = { active: 0, idle: 0 };
  return {
    read: () => ({ ...times }),
    now: () => now,
    run(ms: number, busyShare: number) {
      now += ms;
      times.active += ms * busyShare;
      times.idle += ms * (1 - busyShare);
    },
  };
}

describe('EventLoopLoad', () => {
  it('is saturated from 90 % busy and stays so until under 75 %', () => {
    const loop = fakeLoop();
    const load = new EventLoopLoad({}, loop.read, loop.now);
    loop.run(1_000, 0.5);
    expect(load.saturated).toBe(false);
    loop.run(1_000, 0.95);
    expect(load.saturated).toBe(true);
    expect(load.utilization).toBeCloseTo(0.95);
    loop.run(1_000, 0.8);
    expect(load.saturated).toBe(true);
    loop.run(1_000, 0.7);
    expect(load.saturated).toBe(false);
    loop.run(1_000, 0.85);
    expect(load.saturated).toBe(false);
  });

  it('judges whole windows: a busy moment inside a short one changes nothing yet', () => {
    const loop = fakeLoop();
    const load = new EventLoopLoad({}, loop.read, loop.now);
    loop.run(400, 1);
    expect(load.saturated).toBe(false);
    expect(load.utilization).toBeNull();
    loop.run(600, 1);
    expect(load.saturated).toBe(true);
  });

  it('reads the real event loop by default', () => {
    const load = new EventLoopLoad({ windowMs: 10 });
    // Synchronous work is time the loop is busy.
    const until = performance.now() + 30;
    while (performance.now() < until);
    expect(load.utilization).toBeGreaterThan(0.5);
  });
});
