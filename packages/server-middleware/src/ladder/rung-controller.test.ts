import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FeedbackSample, RungController } from './rung-controller';

const REPORT_MS = 500;
const RUNGS = 5;

function sample(bufferLevel: number, extra: Partial<FeedbackSample> = {}): FeedbackSample {
  return { bufferLevel, droppedFrames: 0, lateFrames: 0, decodeMs: 2, frameIntervalMs: 33, ...extra };
}

/** The seeds' rule, the floor to beat: on every report, below 10% one rung down, above 30% one up. */
function seedRule(rung: number, level: number): number {
  if (level < 0.1) return Math.max(0, rung - 1);
  if (level > 0.3) return Math.min(RUNGS - 1, rung + 1);
  return rung;
}

/** Deterministic noise so the traces are the same on every run. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A viewer whose network carries rung 2 but not above: its buffer drains on rungs 3 and 4 and fills otherwise,
 * with noise. The rung decides the next buffer level, so a rule that keeps probing upward keeps draining it.
 */
function closedLoop(decide: (rung: number, level: number, now: number) => number, reports: number) {
  const random = noise(7);
  let rung = 2;
  let level = 1;
  let switches = 0;
  let reportsAtSustainable = 0;
  for (let i = 0; i < reports; i++) {
    level = Math.min(1.5, Math.max(0, level + (rung > 2 ? -0.2 : 0.1) + (random() - 0.5) * 0.1));
    const next = decide(rung, level, i * REPORT_MS);
    if (next !== rung) switches++;
    rung = next;
    if (rung === 2) reportsAtSustainable++;
  }
  return { switches, shareAtSustainable: reportsAtSustainable / reports };
}

describe('RungController', () => {
  it('switches far less than the seed rule on a network that only carries rung 2', () => {
    const controller = new RungController(RUNGS, 2);
    const ours = closedLoop(
      (_, level, now) => controller.onFeedback(sample(level), now)?.rung ?? controller.rung,
      240,
    );
    const seed = closedLoop((rung, level) => seedRule(rung, level), 240);
    expect(seed.switches).toBeGreaterThan(30);
    expect(ours.switches).toBeLessThan(seed.switches / 3);
    expect(ours.shareAtSustainable).toBeGreaterThan(0.75);
    expect(seed.shareAtSustainable).toBeLessThan(0.6);
  });

  it('switches less than the seed rule on buffer levels jittering around the thresholds', () => {
    const random = noise(11);
    const levels = Array.from({ length: 200 }, () => 0.05 + random() * 0.4);
    const controller = new RungController(RUNGS, 2);
    let seedRung = 2;
    let seedSwitches = 0;
    let ourSwitches = 0;
    levels.forEach((level, i) => {
      const next = seedRule(seedRung, level);
      if (next !== seedRung) seedSwitches++;
      seedRung = next;
      if (controller.onFeedback(sample(level), i * REPORT_MS)) ourSwitches++;
    });
    expect(seedSwitches).toBeGreaterThan(40);
    expect(ourSwitches).toBeLessThan(seedSwitches / 4);
  });

  it('goes down on the very report where the buffer collapses', () => {
    const controller = new RungController(RUNGS, 4);
    for (let i = 0; i < 20; i++) expect(controller.onFeedback(sample(1), i * REPORT_MS)).toBeNull();
    expect(controller.onFeedback(sample(0.02), 20 * REPORT_MS)).toEqual({ rung: 3, reason: 'buffer-low' });
  });

  it('goes down at once on dropped frames, too many late frames, or a decode slower than the frame interval', () => {
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { droppedFrames: 1 }), 0)).toEqual({
      rung: 2,
      reason: 'drops',
    });
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { lateFrames: 5 }), 0)?.reason).toBe('drops');
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { decodeMs: 40 }), 0)?.reason).toBe('drops');
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { lateFrames: 1, decodeMs: 10 }), 0)).toBeNull();
  });

  it('goes down on a server-side skip, then waits out the cool-down before going down again', () => {
    const controller = new RungController(RUNGS, 4);
    expect(controller.onServerSkip(0)).toEqual({ rung: 3, reason: 'backpressure' });
    expect(controller.onServerSkip(200)).toBeNull();
    expect(controller.onFeedback(sample(0), 500)).toBeNull();
    expect(controller.onServerSkip(1_000)).toEqual({ rung: 2, reason: 'backpressure' });
  });

  it('goes up only after the buffer has stayed high for the hold time', () => {
    const controller = new RungController(RUNGS, 1);
    const decisions = Array.from({ length: 5 }, (_, i) => controller.onFeedback(sample(1), i * REPORT_MS));
    expect(decisions.slice(0, 4)).toEqual([null, null, null, null]);
    expect(decisions[4]).toEqual({ rung: 2, reason: 'buffer-high' });
  });

  it('restarts the hold when a middling report breaks the run of good ones', () => {
    // Without smoothing, so one report is enough to break the run.
    const controller = new RungController(RUNGS, 1, { smoothing: 1 });
    [1, 1, 1, 0.4, 1, 1, 1, 1].forEach((level, i) => {
      expect(controller.onFeedback(sample(level), i * REPORT_MS)).toBeNull();
    });
    expect(controller.onFeedback(sample(1), 8 * REPORT_MS)?.rung).toBe(2);
  });

  it('doubles the hold after an up-switch that had to be undone, and relaxes it after one that held', () => {
    const controller = new RungController(RUNGS, 1);
    let now = 0;
    const report = (level: number) => {
      now += REPORT_MS;
      return controller.onFeedback(sample(level), now);
    };
    while (!report(1)) {}
    expect(controller.rung).toBe(2);
    expect(report(0.02)?.rung).toBe(1);
    expect(controller.upHoldMs).toBe(4_000);

    const start = now;
    while (!report(1)) {}
    expect(now - start).toBeGreaterThanOrEqual(4_000);
    for (let i = 0; i < 12; i++) report(1.0);
    expect(controller.upHoldMs).toBeLessThan(4_000);
  });

  it('never leaves the ladder and moves at most one rung per decision', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.record({
            level: fc.double({ min: 0, max: 2, noNaN: true }),
            dropped: fc.integer({ min: 0, max: 3 }),
            skip: fc.boolean(),
            gap: fc.integer({ min: 0, max: 3_000 }),
          }),
          { maxLength: 80 },
        ),
        (rungCount, steps) => {
          const controller = new RungController(rungCount, rungCount - 1);
          let now = 0;
          for (const step of steps) {
            now += step.gap;
            const before = controller.rung;
            const decision = step.skip
              ? controller.onServerSkip(now)
              : controller.onFeedback(sample(step.level, { droppedFrames: step.dropped }), now);
            expect(controller.rung).toBeGreaterThanOrEqual(0);
            expect(controller.rung).toBeLessThan(rungCount);
            expect(Math.abs(controller.rung - before)).toBeLessThanOrEqual(1);
            if (decision) expect(decision.rung).toBe(controller.rung);
          }
        },
      ),
    );
  });
});
