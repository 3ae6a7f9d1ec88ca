import { describe, expect, it } from 'vitest';
import { PackagerLevelController, packagerControllerSettings } from './packager-level-controller';

const SEGMENT_MS = 2_000;
const SETTINGS = packagerControllerSettings(SEGMENT_MS);

/** A packager on time: its lag runs from 200 ms to one segment and back, every segment. */
const onTime = (at: number) => 200 + (at % SEGMENT_MS);
/** A packager that falls further behind: a segment every 3 s of clock. */
const slow = (from: number) => (at: number) => 200 + (at - from) / 3;

function run(
  controller: PackagerLevelController,
  from: number,
  to: number,
  lag: (at: number) => number | null,
) {
  const changes: { at: number; level: number }[] = [];
  for (let at = from; at < to; at += 500) {
    const level = controller.decide(at, lag(at));
    if (level !== null) changes.push({ at, level });
  }
  return changes;
}

describe('PackagerLevelController', () => {
  it('stays at level 0 while segments come on time', () => {
    const controller = new PackagerLevelController(4, 0, SETTINGS);
    expect(run(controller, 0, 600_000, onTime)).toEqual([]);
  });

  it('steps down once the newest segment is over two segments behind, one level per settle time', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    const changes = run(controller, 0, 60_000, (at) => 5_000 + at);
    expect(changes.map((change) => change.level)).toEqual(expect.arrayContaining([1, 2]));
    expect(changes[0]?.at).toBe(SETTINGS.settleMs);
    expect((changes[1]?.at ?? 0) - (changes[0]?.at ?? 0)).toBe(SETTINGS.settleMs);
    // At the lowest level it restarts there: a fresh run starts on the live edge.
    expect(changes.slice(2).every((change) => change.level === 2)).toBe(true);
  });

  it('waits for a drifting packager to pass two segments before stepping down', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    const [first] = run(controller, 0, 60_000, slow(0));
    // 200 + t / 3 > 4 000 from t = 11.4 s, then the grace time.
    expect(first?.at).toBe(11_500 + SETTINGS.graceMs);
  });

  it('lets a spike pass: an encoder that catches up by itself is not restarted', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    run(controller, 0, 20_000, onTime);
    // Held up for 5.5 s (no segment: the lag grows with the clock, over two segments from 24 s), then it runs
    // flat out, 4 segments a second.
    const spike = (at: number) => {
      if (at < 20_000) return onTime(at);
      if (at < 25_500) return 200 + (at - 20_000);
      return Math.max(200, 5_700 - (at - 25_500) * 3);
    };
    expect(run(controller, 20_000, 40_000, spike)).toEqual([]);
    // The same hold-up that never ends steps down.
    const stuck = new PackagerLevelController(3, 0, SETTINGS);
    run(stuck, 0, 20_000, onTime);
    const changes = run(stuck, 20_000, 40_000, (at) => 200 + (at - 20_000));
    expect(changes[0]).toEqual({ at: 24_000 + SETTINGS.graceMs, level: 1 });
  });

  it('treats a run with no segment a settle time after its start as behind', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    expect(controller.decide(SETTINGS.settleMs - 500, null)).toBeNull();
    expect(controller.decide(SETTINGS.settleMs, null)).toBe(1);
  });

  it('probes the level above after the hold on time, and doubles the hold when the probe fails', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    run(controller, 0, SETTINGS.settleMs + 1, () => 9_000); // down to 1
    const downAt = SETTINGS.settleMs;
    const [up] = run(controller, downAt + 500, downAt + SETTINGS.settleMs + SETTINGS.upHoldMs + 1, onTime);
    expect(up).toEqual({ at: downAt + SETTINGS.settleMs + SETTINGS.upHoldMs, level: 0 });
    const upAt = up?.at ?? 0;
    // Level 0 no longer fits: behind again soon after the probe.
    const [down] = run(controller, upAt + 500, upAt + SETTINGS.settleMs + 1_000, () => 9_000);
    expect(down?.level).toBe(1);
    expect(controller.holdMs).toBe(2 * SETTINGS.upHoldMs);
    const holdEnd = (down?.at ?? 0) + SETTINGS.settleMs + 2 * SETTINGS.upHoldMs;
    const [next] = run(controller, (down?.at ?? 0) + 500, holdEnd + 1, onTime);
    expect((next?.at ?? 0) - (down?.at ?? 0)).toBe(SETTINGS.settleMs + 2 * SETTINGS.upHoldMs);
    // That probe held: after the probe time the hold is back at its start.
    run(controller, (next?.at ?? 0) + 500, (next?.at ?? 0) + SETTINGS.failedProbeMs + 1_000, onTime);
    expect(controller.holdMs).toBe(SETTINGS.upHoldMs);
  });

  it('does not probe up after a hold that was ever more than one and a half segments behind', () => {
    const controller = new PackagerLevelController(3, 0, SETTINGS);
    run(controller, 0, SETTINGS.settleMs + 1, () => 9_000);
    const from = SETTINGS.settleMs + 500;
    const changes = run(controller, from, from + SETTINGS.settleMs + SETTINGS.upHoldMs + 1_000, (at) =>
      at === from + SETTINGS.settleMs + 1_000 ? 3_500 : onTime(at),
    );
    expect(changes).toEqual([]);
  });
});
