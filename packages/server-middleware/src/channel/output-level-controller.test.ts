import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL_CONTROLLER, OutputLevelController } from './output-level-controller';

// Wider than the defaults, so each step is easy to follow.
const SETTINGS = { ...DEFAULT_LEVEL_CONTROLLER, windowMs: 2_000, settleMs: 3_000 };
const controllerOf = (levels: number) => new OutputLevelController(levels, 0, SETTINGS);

/** Feeds `durationMs` of frames at `fps` from `from`, each shed when `shed(at)` says so; returns the decisions. */
function run(
  controller: OutputLevelController,
  from: number,
  durationMs: number,
  fps: number,
  shed: (at: number) => boolean,
): { at: number; level: number }[] {
  const changes: { at: number; level: number }[] = [];
  for (let at = from; at < from + durationMs; at += 1000 / fps) {
    controller.frame(at, shed(at));
    const level = controller.decide(at);
    if (level !== null) changes.push({ at: Math.round(at), level });
  }
  return changes;
}

/** A decoder that is paused `share` of every 100 ms. */
function pausedShare(
  controller: OutputLevelController,
  from: number,
  durationMs: number,
  share: number,
): void {
  for (let at = from; at < from + durationMs; at += 100) {
    controller.pressure(at, true);
    controller.pressure(at + 100 * share, false);
  }
}

describe('OutputLevelController', () => {
  it('stays at full output while nothing is shed', () => {
    const controller = controllerOf(4);
    expect(run(controller, 0, 30_000, 60, () => false)).toEqual([]);
    expect(controller.level).toBe(0);
  });

  it('steps down once a quarter of the frames are shed, one level per settle time', () => {
    const controller = controllerOf(4);
    const changes = run(controller, 0, 10_000, 60, (at) => at % 100 < 40);
    expect(changes.map((change) => change.level)).toEqual([1, 2, 3]);
    // The first judgement waits for the settle time, then each new level gets its own.
    expect(changes[0]?.at).toBeGreaterThanOrEqual(3_000);
    expect((changes[1]?.at ?? 0) - (changes[0]?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    expect(controller.level).toBe(3);
  });

  it('steps down two levels at once when nearly every frame is shed', () => {
    const controller = controllerOf(5);
    const changes = run(controller, 0, 4_000, 60, () => true);
    expect(changes[0]?.level).toBe(2);
  });

  it('ignores a few late frames', () => {
    const controller = controllerOf(4);
    expect(run(controller, 0, 20_000, 60, (at) => at % 1000 < 100)).toEqual([]);
  });

  it('steps down when the decoder stalls', () => {
    const controller = controllerOf(4);
    run(controller, 0, 4_000, 30, () => false);
    expect(controller.decide(4_500)).toBeNull();
    expect(controller.decide(5_100)).toBe(1);
  });

  it('steps back up after the hold when the decoder is mostly paused, not when it is busy', () => {
    const busy = controllerOf(4);
    run(busy, 0, 4_000, 60, (at) => at % 100 < 50);
    expect(busy.level).toBe(1);
    pausedShare(busy, 4_000, 30_000, 0.3);
    expect(run(busy, 4_000, 30_000, 30, () => false)).toEqual([]);

    const idle = controllerOf(4);
    run(idle, 0, 4_000, 60, (at) => at % 100 < 50);
    pausedShare(idle, 4_000, 30_000, 0.7);
    const changes = run(idle, 4_000, 30_000, 30, () => false);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.level).toBe(0);
    // Not before the hold has passed at the lower level.
    expect(changes[0]?.at).toBeGreaterThanOrEqual(3_000 + 10_000);
  });

  it('doubles the hold after a step up that failed, and resets it after one that lasted', () => {
    const controller = controllerOf(4);
    run(controller, 0, 4_000, 60, (at) => at % 100 < 50); // down to 1 at ~3 s
    pausedShare(controller, 4_000, 12_000, 0.8);
    run(controller, 4_000, 12_000, 30, () => false); // up to 0 at ~13 s
    expect(controller.level).toBe(0);
    const [down] = run(controller, 16_000, 2_000, 60, (at) => at % 100 < 50); // down again within 20 s of the step up
    expect(down?.level).toBe(1);
    expect(controller.holdMs).toBe(20_000);
    pausedShare(controller, 18_000, 40_000, 0.8);
    const changes = run(controller, 18_000, 40_000, 30, () => false);
    expect(changes).toHaveLength(1);
    expect((changes[0]?.at ?? 0) - (down?.at ?? 0)).toBeGreaterThanOrEqual(20_000);
    // That step up lasted beyond the probe time: the hold is back at its start value.
    run(controller, 58_000, 25_000, 60, () => false);
    expect(controller.level).toBe(0);
    expect(controller.holdMs).toBe(10_000);
  });

  it('never goes below the last level or above full output; behind at the last, restarts it', () => {
    const controller = controllerOf(2);
    const changes = run(controller, 0, 20_000, 60, () => true);
    expect(controller.level).toBe(1);
    expect(changes.map((change) => change.level)).toEqual([1, 1, 1, 1, 1, 1]);
    const top = controllerOf(2);
    pausedShare(top, 0, 30_000, 1);
    expect(run(top, 0, 30_000, 30, () => false)).toEqual([]);
  });
});
