import { describe, expect, it } from 'vitest';
import { type FeedbackSample, RungController, type ServerPressure } from './rung-controller';

const RUNG_KBPS = [640, 1_500, 2_700, 4_300, 8_500];

function sample(extra: Partial<FeedbackSample> = {}): FeedbackSample {
  return {
    bufferLevel: 1,
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

/** The link carries `kbps` and set the rate: the throughput rule's trigger. */
const limitedTo = (kbps: number) => sample({ link: { kbps, limited: true, burstKbps: null } });

/** A saturated server whose channel encodes `encoded`. */
const busyWith = (encoded: readonly number[], outlier = false): ServerPressure => ({
  saturated: true,
  outlier,
  encoded: (rung) => encoded.includes(rung),
});
const busy = busyWith([0, 1, 2, 3, 4]);
const idle: ServerPressure = { saturated: false, outlier: false, encoded: () => false };

describe('RungController on a saturated server', () => {
  it('holds a viewer like the others on its step whatever its link seems to do', () => {
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(limitedTo(1_000), 0, busy)).toBeNull();
    expect(controller.onServerSkip(2_000, busy)).toBeNull();
    expect(controller.onFeedback(sample({ bufferLevel: 0.05 }), 4_000, busy)).toBeNull();
    expect(controller.onFeedback(sample({ droppedFrames: 3 }), 6_000, busy)).toBeNull();
    expect(controller.rung).toBe(3);
  });

  it('holds it on rung 0 at its frame rate too', () => {
    const controller = new RungController(5, 0);
    expect(controller.onFeedback(limitedTo(450), 0, busy)).toBeNull();
    expect(controller.onServerSkip(2_000, busy)).toBeNull();
    expect(controller.fpsStep).toBe(0);
  });

  it('moves an outlier, whose own link is slow, down as on an idle server', () => {
    const slow = busyWith([3], true);
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(limitedTo(2_000), 0, slow)).toEqual({
      rung: 1,
      fpsStep: 0,
      reason: 'throughput',
    });
    expect(controller.onServerSkip(2_000, slow)?.rung).toBe(0);
  });

  it('moves a viewer whose JPEG decode is too slow: its CPU, not the server', () => {
    const controller = new RungController(5, 3, { startupUpHoldMs: Number.POSITIVE_INFINITY });
    // Three slow reports in a row: one or two are a hiccup.
    expect(controller.onFeedback(sample({ decodeMs: 40 }), 0, busy)).toBeNull();
    expect(controller.onFeedback(sample({ decodeMs: 40 }), 500, busy)).toBeNull();
    expect(controller.onFeedback(sample({ decodeMs: 40 }), 1_000, busy)).toEqual({
      rung: 2,
      fpsStep: 0,
      reason: 'cpu',
    });
  });

  it('gives no quick start on a saturated server: up-steps take the full hold', () => {
    const controller = new RungController(5, 1);
    expect(controller.onFeedback(sample(), 0, busy)).toBeNull();
    expect(controller.onFeedback(sample(), 500, busy)).toBeNull();
    expect(controller.onFeedback(sample(), 1_500, busy)).toBeNull();
    expect(controller.onFeedback(sample(), 2_000, busy)?.reason).toBe('buffer-high');
    // The same reports on an idle server: up at the second.
    const quick = new RungController(5, 1);
    quick.onFeedback(sample(), 0, idle);
    expect(quick.onFeedback(sample(), 500, idle)?.reason).toBe('buffer-high');
  });

  it('goes up to rungs already encoded, skipping those nobody watches, and opens none', () => {
    const controller = new RungController(5, 1);
    const climb = (encoded: readonly number[], from: number) => {
      let decision = null;
      for (let now = from; now <= from + 2_500 && !decision; now += 500)
        decision = controller.onFeedback(sample(), now, busyWith(encoded));
      return decision;
    };
    expect(climb([1, 3], 0)).toEqual({ rung: 3, fpsStep: 0, reason: 'buffer-high' });
    expect(climb([3], 10_000)).toBeNull();
    expect(controller.rung).toBe(3);
  });

  it('comes back to the full frame rate on rung 0, which opens nothing', () => {
    const controller = new RungController(5, 0);
    controller.onFeedback(limitedTo(450), 0, idle);
    expect(controller.fpsStep).toBe(1);
    let decision = null;
    for (let now = 6_000; now <= 9_000 && !decision; now += 500)
      decision = controller.onFeedback(sample(), now, busyWith([0]));
    expect(decision).toEqual({ rung: 0, fpsStep: 0, reason: 'buffer-high' });
  });

  it('on an idle server, or without a pressure, moves as it always did', () => {
    for (const pressure of [idle, undefined]) {
      const controller = new RungController(5, 3);
      expect(controller.onFeedback(limitedTo(1_000), 0, pressure)).toEqual({
        rung: 0,
        fpsStep: 0,
        reason: 'throughput',
      });
      expect(controller.onServerSkip(2_000, pressure)).toEqual({
        rung: 0,
        fpsStep: 1,
        reason: 'backpressure',
      });
    }
  });

  it('a held down-step does not start the cool-down: once the server is idle, the next one goes at once', () => {
    const controller = new RungController(5, 3);
    expect(controller.onServerSkip(0, busy)).toBeNull();
    expect(controller.onServerSkip(100, idle)?.rung).toBe(2);
  });
});
