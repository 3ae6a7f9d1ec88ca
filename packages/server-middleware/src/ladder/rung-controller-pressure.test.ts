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
    frameIntervalMs: 33,
    rungKbps: RUNG_KBPS,
    link: null,
    ...extra,
  };
}

/** The link carries `kbps` and set the rate: the throughput rule's trigger. */
const limitedTo = (kbps: number) => sample({ link: { kbps, limited: true } });

function pressure(encoded: readonly number[], extra: Partial<ServerPressure> = {}): ServerPressure {
  return { saturated: true, outlier: false, encoded: (rung) => encoded.includes(rung), ...extra };
}

describe('RungController on a saturated server', () => {
  it('keeps a viewer like the others on its rung when the step down would open a rung', () => {
    const controller = new RungController(5, 3);
    const busy = pressure([3]);
    expect(controller.onFeedback(limitedTo(1_000), 0, busy)).toBeNull();
    expect(controller.onServerSkip(2_000, busy)).toBeNull();
    expect(controller.onFeedback(sample({ bufferLevel: 0.05 }), 4_000, busy)).toBeNull();
    expect(controller.onFeedback(sample({ droppedFrames: 3 }), 6_000, busy)).toBeNull();
    expect(controller.rung).toBe(3);
  });

  it('moves it down only as far as a rung that is already encoded', () => {
    const controller = new RungController(5, 4);
    // Throughput says rung 0 fits; rung 2 is the lowest encoded one at or above it.
    expect(controller.onFeedback(limitedTo(800), 0, pressure([4, 2]))).toEqual({
      rung: 2,
      fpsStep: 0,
      reason: 'throughput',
    });
    // One step down from 2 is rung 1, encoded for others now: no new encoder.
    expect(controller.onServerSkip(2_000, pressure([2, 1]))).toEqual({
      rung: 1,
      fpsStep: 0,
      reason: 'backpressure',
    });
  });

  it('still decimates the frame rate on rung 0, which only lessens the sending', () => {
    const controller = new RungController(5, 0);
    expect(controller.onFeedback(limitedTo(450), 0, pressure([0]))).toEqual({
      rung: 0,
      fpsStep: 1,
      reason: 'throughput',
    });
  });

  it('moves an outlier, whose own link is slow, down as on an idle server', () => {
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(limitedTo(2_000), 0, pressure([3], { outlier: true }))).toEqual({
      rung: 1,
      fpsStep: 0,
      reason: 'throughput',
    });
    expect(controller.onServerSkip(2_000, pressure([1], { outlier: true }))?.rung).toBe(0);
  });

  it('moves a viewer whose JPEG decode is too slow: its CPU, not the server', () => {
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(sample({ decodeMs: 40 }), 0, pressure([3]))).toEqual({
      rung: 2,
      fpsStep: 0,
      reason: 'cpu',
    });
  });

  it('does not hold back up-steps, even to a rung nobody watches', () => {
    const controller = new RungController(5, 2);
    const busy = pressure([2]);
    let decision = null;
    for (let now = 0; now <= 2_500 && !decision; now += 500)
      decision = controller.onFeedback(sample(), now, busy);
    expect(decision).toEqual({ rung: 3, fpsStep: 0, reason: 'buffer-high' });
  });

  it('on an idle server, or without a pressure, moves as it always did', () => {
    for (const idle of [pressure([3], { saturated: false }), undefined]) {
      const controller = new RungController(5, 3);
      expect(controller.onFeedback(limitedTo(1_000), 0, idle)).toEqual({
        rung: 0,
        fpsStep: 0,
        reason: 'throughput',
      });
      expect(controller.onServerSkip(2_000, idle)).toEqual({ rung: 0, fpsStep: 1, reason: 'backpressure' });
    }
  });

  it('a vetoed down-step does not start the cool-down: the next allowed one goes at once', () => {
    const controller = new RungController(5, 3);
    expect(controller.onServerSkip(0, pressure([3]))).toBeNull();
    expect(controller.onServerSkip(100, pressure([3, 2]))?.rung).toBe(2);
  });
});
