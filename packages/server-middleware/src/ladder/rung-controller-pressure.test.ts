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

const busy: ServerPressure = { saturated: true, outlier: false };

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
    const slow = { saturated: true, outlier: true };
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(limitedTo(2_000), 0, slow)).toEqual({
      rung: 1,
      fpsStep: 0,
      reason: 'throughput',
    });
    expect(controller.onServerSkip(2_000, slow)?.rung).toBe(0);
  });

  it('moves a viewer whose JPEG decode is too slow: its CPU, not the server', () => {
    const controller = new RungController(5, 3);
    expect(controller.onFeedback(sample({ decodeMs: 40 }), 0, busy)).toEqual({
      rung: 2,
      fpsStep: 0,
      reason: 'cpu',
    });
  });

  it('does not hold back up-steps', () => {
    const controller = new RungController(5, 2);
    let decision = null;
    for (let now = 0; now <= 2_500 && !decision; now += 500)
      decision = controller.onFeedback(sample(), now, busy);
    expect(decision).toEqual({ rung: 3, fpsStep: 0, reason: 'buffer-high' });
  });

  it('on an idle server, or without a pressure, moves as it always did', () => {
    for (const idle of [{ saturated: false, outlier: false }, undefined]) {
      const controller = new RungController(5, 3);
      expect(controller.onFeedback(limitedTo(1_000), 0, idle)).toEqual({
        rung: 0,
        fpsStep: 0,
        reason: 'throughput',
      });
      expect(controller.onServerSkip(2_000, idle)).toEqual({ rung: 0, fpsStep: 1, reason: 'backpressure' });
    }
  });

  it('a held down-step does not start the cool-down: once the server is idle, the next one goes at once', () => {
    const controller = new RungController(5, 3);
    expect(controller.onServerSkip(0, busy)).toBeNull();
    expect(controller.onServerSkip(100, { saturated: false, outlier: false })?.rung).toBe(2);
  });
});
