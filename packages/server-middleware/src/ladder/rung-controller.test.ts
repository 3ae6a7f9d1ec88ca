import { FPS_DECIMATION_STEPS } from '@onair/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FeedbackSample, RungController } from './rung-controller';

const REPORT_MS = 500;
/** Tuning without the quick start, for the rules of a controller past it. */
const PAST_START = { startupUpHoldMs: Number.POSITIVE_INFINITY };
const RUNGS = 5;
/** kbit/s of the rungs at 30 fps, like the demo's 144p … 480p · best. */
const RUNG_KBPS = [640, 1_500, 2_700, 4_300, 8_500];

function sample(bufferLevel: number, extra: Partial<FeedbackSample> = {}): FeedbackSample {
  return {
    bufferLevel,
    droppedFrames: 0,
    renderDroppedFrames: 0,
    lateFrames: 0,
    decodeMs: 2,
    pageStallMs: 0,
    frameIntervalMs: 33,
    rungKbps: RUNG_KBPS,
    link: null,
    ...extra,
  };
}

/** kbit/s the controller's current step needs. */
function needs(controller: RungController): number {
  return RUNG_KBPS[controller.rung]! / FPS_DECIMATION_STEPS[controller.fpsStep]!;
}

/**
 * Plays a recorded trace of link capacity (kbit/s for video, one entry per report) against the controller: when
 * its step fits, the buffer fills and the acks show only what was sent (not limited); when it does not, the acks
 * show the capacity (limited) and the buffer drains. Returns the steps taken, one per report.
 */
function playTrace(controller: RungController, capacities: readonly number[]) {
  let level = 1;
  const steps: { rung: number; fpsStep: number; reason: string | null; fits: boolean }[] = [];
  capacities.forEach((capacity, i) => {
    const sending = needs(controller);
    const fits = sending <= capacity;
    level = Math.min(1.2, Math.max(0, level + (fits ? 0.15 : -0.25)));
    const link = fits
      ? { kbps: sending, limited: false, burstKbps: null }
      : { kbps: capacity, limited: true, burstKbps: null };
    const decision = controller.onFeedback(sample(level, { link }), i * REPORT_MS);
    steps.push({
      rung: controller.rung,
      fpsStep: controller.fpsStep,
      reason: decision?.reason ?? null,
      fits,
    });
  });
  return steps;
}

/** kbit/s a recorded step needs. */
const needs0 = (step: { rung: number; fpsStep: number }) =>
  RUNG_KBPS[step.rung]! / FPS_DECIMATION_STEPS[step.fpsStep]!;

const seconds = (s: number, kbps: number) => Array.from({ length: (s * 1000) / REPORT_MS }, () => kbps);

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
    expect(controller.onFeedback(sample(0.02), 20 * REPORT_MS)).toEqual({
      rung: 3,
      fpsStep: 0,
      reason: 'buffer-low',
    });
  });

  it('goes down at once on dropped frames, too many late frames, or a decode slower than the frame interval', () => {
    const held = { link: { kbps: 20_000, limited: true, burstKbps: null } };
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { droppedFrames: 1, ...held }), 0)).toEqual({
      rung: 2,
      fpsStep: 0,
      reason: 'drops',
    });
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { lateFrames: 5, ...held }), 0)?.reason).toBe(
      'drops',
    );
    const drained = new RungController(RUNGS, 3);
    drained.onFeedback(sample(1), 0);
    expect(drained.onFeedback(sample(0.05, { droppedFrames: 2 }), 100)?.reason).toBe('drops');
    const slowDecoder = new RungController(RUNGS, 3, PAST_START);
    for (const at of [0, 500]) expect(slowDecoder.onFeedback(sample(1, { decodeMs: 40 }), at)).toBeNull();
    expect(slowDecoder.onFeedback(sample(1, { decodeMs: 40 }), 1_000)?.reason).toBe('cpu');
    expect(new RungController(RUNGS, 3).onFeedback(sample(1, { lateFrames: 1, decodeMs: 10 }), 0)).toBeNull();
  });

  it('goes down on a server-side skip, then waits out the cool-down before going down again', () => {
    const controller = new RungController(RUNGS, 4);
    expect(controller.onServerSkip(0)).toEqual({ rung: 3, fpsStep: 0, reason: 'backpressure' });
    expect(controller.onServerSkip(200)).toBeNull();
    expect(controller.onFeedback(sample(0), 500)).toBeNull();
    expect(controller.onServerSkip(1_000)).toEqual({ rung: 2, fpsStep: 0, reason: 'backpressure' });
  });

  it('starts quickly: a report of hold per up-step until the first down-step, the full hold after it', () => {
    const controller = new RungController(RUNGS, 1);
    const ups: number[] = [];
    let now = 0;
    while (controller.rung < RUNGS - 1 && now < 10_000) {
      now += REPORT_MS;
      if (controller.onFeedback(sample(1), now)?.reason === 'buffer-high') ups.push(now);
    }
    // Three steps up within two seconds of the first report.
    expect(ups).toHaveLength(3);
    expect(ups.at(-1)).toBeLessThanOrEqual(2_500);
    expect(controller.onFeedback(sample(0.02), now + REPORT_MS)?.reason).toBe('buffer-low');
    now += REPORT_MS;
    const before = now;
    let decision = null;
    while (decision?.reason !== 'buffer-high') {
      now += REPORT_MS;
      decision = controller.onFeedback(sample(1), now);
    }
    expect(now - before).toBeGreaterThanOrEqual(2_000);
  });

  it('judges the buffer only once it has filled, or after a grace: it starts empty', () => {
    const controller = new RungController(RUNGS, 2);
    expect(controller.onFeedback(sample(0), 0)).toBeNull();
    expect(controller.onFeedback(sample(0.05), 1_000)).toBeNull();
    // Never filled within the grace (3 s): the link is that slow.
    expect(controller.onFeedback(sample(0.05), 3_000)?.reason).toBe('buffer-low');
    const filled = new RungController(RUNGS, 2);
    filled.onFeedback(sample(1), 0);
    expect(filled.onFeedback(sample(0.02), 500)?.reason).toBe('buffer-low');
  });

  it('goes up only after the buffer has stayed high for the hold time', () => {
    const controller = new RungController(RUNGS, 1, PAST_START);
    const decisions = Array.from({ length: 5 }, (_, i) => controller.onFeedback(sample(1), i * REPORT_MS));
    expect(decisions.slice(0, 4)).toEqual([null, null, null, null]);
    expect(decisions[4]).toEqual({ rung: 2, fpsStep: 0, reason: 'buffer-high' });
  });

  it('restarts the hold when a middling report breaks the run of good ones', () => {
    // Without smoothing, so one report is enough to break the run.
    const controller = new RungController(RUNGS, 1, { smoothing: 1, ...PAST_START });
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

  it('does not read the throughput of the step before a down-step as the link', () => {
    // Recorded on profile E (issue 9): after the drop to 3 Mbit/s, each down-step's acks (the old step draining,
    // then the sender's own lower rate) were still flagged limited for the meter's two seconds, and read as the
    // link they walked the viewer down to rung 0 at 15 fps. The link carried rung 1 all along.
    const controller = new RungController(RUNGS, 2, PAST_START);
    const limited = (kbps: number) => ({ link: { kbps, limited: true, burstKbps: null } });
    expect(controller.onFeedback(sample(1, limited(2_000)), 0)).toMatchObject({
      rung: 1,
      reason: 'throughput',
    });
    [1_700, 1_300, 1_100].forEach((kbps, i) => {
      expect(controller.onFeedback(sample(1, limited(kbps)), (i + 1) * REPORT_MS)).toBeNull();
    });
    // Two seconds on, the window holds rung 1 alone: held back still, it is the link again.
    expect(controller.onFeedback(sample(1, limited(1_000)), 4 * REPORT_MS)).toMatchObject({
      rung: 0,
      reason: 'throughput',
    });
  });

  it('reads a buffer above its target that dips by an audio chunk as good, and one under it as draining', () => {
    // The player's level moves by a 100 ms chunk (0.5 of a 200 ms target) as chunks arrive.
    const above = new RungController(RUNGS, 1, PAST_START);
    const levels = [1.6, 1.6, 1.6, 1.6, 1.3, 1.6, 1.6, 1.6, 1.6];
    const steps = levels.map((level, i) => above.onFeedback(sample(level), i * REPORT_MS));
    expect(steps.findIndex((step) => step !== null)).toBe(4);
    const under = new RungController(RUNGS, 1, PAST_START);
    const falling = [0.9, 0.9, 0.9, 0.9, 0.6, 0.9, 0.9, 0.9, 0.9, 0.9];
    const late = falling.map((level, i) => under.onFeedback(sample(level), i * REPORT_MS));
    // The dip restarts the hold: four more reports after it.
    expect(late.findIndex((step) => step !== null)).toBe(9);
  });

  it('backs off the probes of the step that failed and those above it, not of the steps below', () => {
    const controller = new RungController(RUNGS, 1, PAST_START);
    let now = 0;
    const report = (level: number) => {
      now += REPORT_MS;
      return controller.onFeedback(sample(level), now);
    };
    while (!report(1)) {}
    while (!report(1)) {}
    expect(controller.rung).toBe(3);
    // The probe to rung 3 fails: rung 3 and above wait twice as long, but rung 2 had held.
    expect(report(0.02)?.rung).toBe(2);
    expect(controller.upHoldMs).toBe(4_000);
    now += 1_000;
    expect(controller.onServerSkip(now)?.rung).toBe(1);
    expect(controller.upHoldMs).toBe(2_000);
  });

  it('forgets the backoff of a step once the link carries frames fast enough for it (a link that widened)', () => {
    const controller = new RungController(RUNGS, 1, PAST_START);
    let now = 0;
    const report = (level: number, burstKbps: number) => {
      now += REPORT_MS;
      return controller.onFeedback(sample(level, { link: { kbps: 1_500, limited: false, burstKbps } }), now);
    };
    // Two probes to rung 2 (2,700 kbit/s) fail while frames cross at 3 Mbit/s: its hold doubles twice.
    for (let failed = 0; failed < 2; failed++) {
      while (!report(1, 3_000)) {}
      expect(report(0.02, 3_000)?.rung).toBe(1);
    }
    expect(controller.upHoldMs).toBe(8_000);
    // 4 Mbit/s: more, but not half as much again, and 80 % of it (3,200) would fit: the hold stays.
    report(1, 4_000);
    expect(controller.upHoldMs).toBe(8_000);
    // At 20 Mbit/s the link has widened and every step fits: the holds go, the next probe waits the default.
    report(1, 20_000);
    expect(controller.upHoldMs).toBe(2_000);
  });

  it('lets a link that carries frames faster than a recent throughput reading lift its veto on up-steps', () => {
    const report = (controller: RungController, at: number, burstKbps: number | null) =>
      controller.onFeedback(sample(1, { link: { kbps: 700, limited: false, burstKbps } }), at);
    const climbs = (burstKbps: number | null) => {
      const controller = new RungController(RUNGS, 1, PAST_START);
      // A reading limited to 1,000 kbit/s (the window still spanning a narrow phase) moves it to rung 0.
      expect(
        controller.onFeedback(sample(1, { link: { kbps: 1_000, limited: true, burstKbps: null } }), 0),
      ).toMatchObject({ rung: 0, reason: 'throughput' });
      let at = 0;
      while (at < 4_000 && controller.rung === 0) {
        at += REPORT_MS;
        report(controller, at, burstKbps);
      }
      return controller.rung;
    };
    // Within the 5 s of that reading, rung 1 (1,500) does not fit 80 % of it, and frames crossing at 1 Mbit/s
    // agree; frames crossing at 20 Mbit/s say the link is wider now: the hold (2 s) is all that is left.
    expect(climbs(null)).toBe(0);
    expect(climbs(1_000)).toBe(0);
    expect(climbs(20_000)).toBe(1);
  });

  it('never probes a step that needs more than frames cross the link at, and probes it once they do', () => {
    const climbsIn20s = (burstKbps: number | null) => {
      const controller = new RungController(RUNGS, 1, PAST_START);
      for (let at = REPORT_MS; at <= 20_000; at += REPORT_MS)
        controller.onFeedback(sample(1, { link: { kbps: 1_500, limited: false, burstKbps } }), at);
      return controller.rung;
    };
    // Rung 2 needs 2,700 kbit/s: a link that carries frames at 2,000 never sees it tried, however full the buffer.
    expect(climbsIn20s(2_000)).toBe(1);
    // At 3,000 it fits (and 3 needs 4,300: not that one); without a burst rate nothing vetoes the climb.
    expect(climbsIn20s(3_000)).toBe(2);
    expect(climbsIn20s(null)).toBe(RUNGS - 1);
  });

  it('climbs a step a report when frames cross the link at twice what the step needs or more', () => {
    const msToTop = (burstKbps: number | null) => {
      const controller = new RungController(RUNGS, 0, PAST_START);
      for (let at = REPORT_MS; at <= 30_000; at += REPORT_MS) {
        controller.onFeedback(sample(1, { link: { kbps: 640, limited: false, burstKbps } }), at);
        if (controller.rung === RUNGS - 1) return at;
      }
      return null;
    };
    // 20 Mbit/s: every step up to 8,500 kbit/s needs under half of it; four steps, a report's hold each.
    expect(msToTop(20_000)).toBeLessThanOrEqual(4 * 2 * REPORT_MS);
    // Unknown, or 10 Mbit/s (the top needs more than half): the full hold, at least for the last step.
    expect(msToTop(null)).toBeGreaterThanOrEqual(4 * 2_000);
    expect(msToTop(10_000)! - msToTop(20_000)!).toBeGreaterThanOrEqual(2_000 - REPORT_MS);
  });

  it('does not step up on reports of slow decoding, however full the buffer, nor restart the hold for them', () => {
    const controller = new RungController(RUNGS, 1, PAST_START);
    const slow = { decodeMs: 30, frameIntervalMs: 33 };
    // Two slow reports in a row (a third would be a "cpu" move), spaced past the hold: no step up.
    expect(controller.onFeedback(sample(1, slow), 0)).toBeNull();
    expect(controller.onFeedback(sample(1, slow), 2_500)).toBeNull();
    expect(controller.rung).toBe(1);
    // Decoding keeps up again: the buffer has been steady all along, so the step comes on the next report.
    expect(controller.onFeedback(sample(1), 3_000)).toMatchObject({ rung: 2, reason: 'buffer-high' });
  });

  it('keeps the backoff of a probe that failed on a link as wide as now (not the link: a busy player, a pause)', () => {
    const controller = new RungController(RUNGS, 3, PAST_START);
    let now = 0;
    const report = (level: number) => {
      now += REPORT_MS;
      return controller.onFeedback(
        sample(level, { link: { kbps: 4_300, limited: false, burstKbps: 50_000 } }),
        now,
      );
    };
    while (!report(1)) {}
    expect(controller.rung).toBe(4);
    expect(report(0.02)?.rung).toBe(3);
    for (let i = 0; i < 4; i++) report(1);
    expect(controller.upHoldMs).toBe(4_000);
  });

  it("does not back off its link probes for a move the viewer's CPU caused", () => {
    const controller = new RungController(RUNGS, 1, { ...PAST_START, slowDecodeReports: 1 });
    let now = 0;
    while (!controller.onFeedback(sample(1), now)) now += REPORT_MS;
    now += REPORT_MS;
    expect(controller.onFeedback(sample(1, { decodeMs: 40 }), now)).toMatchObject({ rung: 1, reason: 'cpu' });
    expect(controller.upHoldMs).toBe(2_000);
  });

  it('does not count frames the player dropped for its own CPU against the link', () => {
    const controller = new RungController(RUNGS, 3);
    const held = { link: { kbps: 20_000, limited: true, burstKbps: null } };
    expect(
      controller.onFeedback(sample(1, { droppedFrames: 4, renderDroppedFrames: 4, ...held }), 0),
    ).toBeNull();
    expect(
      controller.onFeedback(sample(1, { droppedFrames: 5, renderDroppedFrames: 4, ...held }), 100)?.reason,
    ).toBe('drops');
  });

  it('does not step the link down for drops and late frames while the link keeps up (a busy player)', () => {
    const controller = new RungController(RUNGS, 4);
    const roomy = { link: { kbps: 8_500, limited: false, burstKbps: null } };
    for (let i = 0; i < 40; i++) {
      const trouble = { droppedFrames: i % 3, lateFrames: 6, ...roomy };
      expect(controller.onFeedback(sample(1, trouble), i * REPORT_MS)).toBeNull();
    }
    expect(controller.rung).toBe(4);
  });

  it('does not step down for what a page stall did (its drain, drops, acks and skips), once per 10 s', () => {
    const controller = new RungController(RUNGS, 4, PAST_START);
    for (let i = 0; i < 10; i++) controller.onFeedback(sample(1), i * REPORT_MS);
    // The page was held 350 ms: its buffer ran dry, the sender skipped frames and measured the stalled acks.
    const stalled = { link: { kbps: 900, limited: true, burstKbps: null }, droppedFrames: 3 };
    expect(controller.onFeedback(sample(0.02, { ...stalled, pageStallMs: 350 }), 5_000)).toBeNull();
    // Refilling within the grace: the smoothed level is still low, and that is the stall's too.
    expect(controller.onFeedback(sample(0.2), 5_500)).toBeNull();
    // The sender still skips frames while the acks catch up: fitted, not a move.
    expect(controller.onServerSkip(5_700)).toBeNull();
    expect(controller.onFeedback(sample(0.6), 6_500)).toBeNull();
    expect(controller.rung).toBe(4);
    // After the grace, a collapse is the link's again.
    expect(controller.onFeedback(sample(0.02), 7_500)?.reason).toBe('buffer-low');

    // A second stall within 10 s of the excused one is not excused: a page that busy is too busy for its step.
    const busy = new RungController(RUNGS, 4, PAST_START);
    busy.onFeedback(sample(1), 0);
    expect(busy.onFeedback(sample(0.02, { pageStallMs: 400 }), 500)).toBeNull();
    expect(busy.onFeedback(sample(1), 3_000)).toBeNull();
    expect(busy.onFeedback(sample(0.02, { pageStallMs: 400 }), 6_000)?.reason).toBe('buffer-low');
    // A short pause (a frame or two late) excuses nothing.
    const brief = new RungController(RUNGS, 4, PAST_START);
    brief.onFeedback(sample(1), 0);
    expect(brief.onFeedback(sample(0.02, { pageStallMs: 100 }), 500)?.reason).toBe('buffer-low');
  });

  it("caps the rung for a while after a move for the viewer's CPU, then probes again", () => {
    const controller = new RungController(RUNGS, 3, { slowDecodeReports: 1 });
    expect(controller.onFeedback(sample(1, { decodeMs: 40 }), 0)).toMatchObject({ rung: 2, reason: 'cpu' });
    let now = 0;
    while (now < 19_000) {
      now += REPORT_MS;
      controller.onFeedback(sample(1), now);
    }
    expect(controller.rung).toBe(2);
    while (now < 30_000) {
      now += REPORT_MS;
      controller.onFeedback(sample(1), now);
    }
    expect(controller.rung).toBeGreaterThan(2);
  });

  it('on a 20 → 3 → 20 Mbit/s step (issue 9, profile E), goes down within 2 s and is back on top within 15 s', () => {
    const controller = new RungController(RUNGS, 2);
    const steps = playTrace(controller, [
      ...seconds(20, 20_000),
      ...seconds(20, 3_000),
      ...seconds(20, 20_000),
    ]);
    const at = (s: number) => (s * 1000) / REPORT_MS;
    expect(steps[at(20) - 1]!.rung).toBe(4);
    const down = steps.slice(at(20)).findIndex((step) => needs0(step) <= 3_000);
    expect(down * REPORT_MS).toBeLessThanOrEqual(2_000);
    const top = steps.slice(at(40)).findIndex((step) => step.rung === 4 && step.fpsStep === 0);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top * REPORT_MS).toBeLessThanOrEqual(15_000);
  });

  it('on a drop, jumps straight to the highest rung that fits the measured throughput', () => {
    const controller = new RungController(RUNGS, 4);
    const steps = playTrace(controller, [...seconds(5, 20_000), ...seconds(5, 2_000)]);
    const drop = steps.slice(10);
    // One decision, on the first report after the drop, to rung 1 (1,500 ≤ 0.8 × 2,000), skipping 3 and 2.
    expect(drop[0]).toMatchObject({ rung: 1, reason: 'throughput' });
    expect(drop.slice(1).every((step) => step.rung === 1 && step.reason === null)).toBe(true);
  });

  it('on a recovery, climbs back to the top within 15 s, one probed step at a time', () => {
    const controller = new RungController(RUNGS, 4);
    const steps = playTrace(controller, [...seconds(5, 2_000), ...seconds(15, 20_000)]);
    const recovery = steps.slice(10);
    expect(recovery.at(-1)?.rung).toBe(4);
    const rungs = recovery.map((step) => step.rung);
    for (let i = 1; i < rungs.length; i++) expect(rungs[i]! - rungs[i - 1]!).toBeLessThanOrEqual(1);
  });

  it('below rung 0, decimates the frame rate (30 → 15 → 10 → 5) to what fits, and comes back up', () => {
    const controller = new RungController(RUNGS, 2);
    const steps = playTrace(controller, [...seconds(3, 300), ...seconds(25, 5_000)]);
    // 640 / 3 = 213 ≤ 0.8 × 300 = 240: rung 0 at 10 fps, in one jump.
    expect(steps[0]).toMatchObject({ rung: 0, fpsStep: 2, reason: 'throughput' });
    expect(steps.slice(0, 6).every((step) => step.fpsStep === 2)).toBe(true);
    // Back at the full rate on rung 3, the highest that fits (or probing rung 4 from it).
    expect(steps.at(-1)?.fpsStep).toBe(0);
    expect(steps.at(-1)?.rung).toBeGreaterThanOrEqual(3);
    expect(
      new RungController(RUNGS, 0).onFeedback(
        sample(1, { link: { kbps: 10, limited: true, burstKbps: null } }),
        0,
      ),
    ).toEqual({
      rung: 0,
      fpsStep: FPS_DECIMATION_STEPS.length - 1,
      reason: 'throughput',
    });
  });

  it('on a flapping link, holds a rung that fits the bad phases instead of chasing the good ones', () => {
    // 4 s at 6 Mbit/s, 3 s at 2.5 Mbit/s, for a minute: rung 2 (2,700) never fits the bad phase.
    const flapping = Array.from({ length: 9 }, () => [...seconds(4, 6_000), ...seconds(3, 2_500)]).flat();
    const steps = playTrace(new RungController(RUNGS, 4), flapping);
    const switches = steps.filter((step) => step.reason !== null).length;
    const overloaded = steps.filter((step) => !step.fits).length;
    expect(switches).toBeLessThan(12);
    expect(overloaded / steps.length).toBeLessThan(0.1);
    // Without the throughput signal (buffer and drops only), the same link keeps it switching and overloaded.
    const blind = new RungController(RUNGS, 4);
    let level = 1;
    let blindOverloaded = 0;
    flapping.forEach((capacity, i) => {
      const fits = needs(blind) <= capacity;
      if (!fits) blindOverloaded++;
      level = Math.min(1.2, Math.max(0, level + (fits ? 0.15 : -0.25)));
      blind.onFeedback(sample(level), i * REPORT_MS);
    });
    expect(blindOverloaded).toBeGreaterThan(overloaded * 2);
  });

  it('keeps a viewer under its height limit, and lets it climb only that far', () => {
    const controller = new RungController(RUNGS, 4);
    expect(controller.limitRung(2)).toEqual({ rung: 2, fpsStep: 0, reason: 'cpu' });
    for (let i = 0; i < 40; i++) controller.onFeedback(sample(1), i * REPORT_MS);
    expect(controller.rung).toBe(2);
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
