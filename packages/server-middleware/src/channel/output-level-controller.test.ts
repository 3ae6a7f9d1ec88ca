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
    controller.frame(at, shed(at), 1000 / fps);
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

/**
 * `durationMs` of a decoder whose frames (of a `fps` stream) reach the pacer `arrivalsPerSecond` times a second,
 * each shed when `shed(at)` says so, while ffmpeg is blocked writing to us in `waitShare` of the samples (one
 * every 50 ms); returns the decisions.
 */
function runSampled(
  controller: OutputLevelController,
  from: number,
  durationMs: number,
  stream: { fps: number; arrivalsPerSecond: number; waitShare: number },
  shed: (at: number) => boolean,
): { at: number; level: number }[] {
  const changes: { at: number; level: number }[] = [];
  const arrivalMs = 1000 / stream.arrivalsPerSecond;
  let nextArrival = from;
  for (let at = from, sample = 0; at < from + durationMs; at += 50, sample++) {
    controller.writeWaits(at, 1, sample % 10 < stream.waitShare * 10 ? 1 : 0);
    for (; nextArrival <= at; nextArrival += arrivalMs)
      controller.frame(nextArrival, shed(nextArrival), 1000 / stream.fps);
    const level = controller.decide(at);
    if (level !== null) changes.push({ at, level });
  }
  return changes;
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

  it('steps down when encodes too slow to send are a quarter of the frames, though the decoder keeps up', () => {
    const controller = controllerOf(4);
    // A 10 fps stream: every frame reaches the pacer on time and ffmpeg waits for us 70 % of the time (it keeps up easily), but
    // one frame in three is encoded too slowly to be sent.
    const changes: { at: number; level: number }[] = [];
    for (let at = 0, frame = 0; at < 10_000; at += 50) {
      controller.writeWaits(at, 1, (at / 50) % 10 < 7 ? 1 : 0);
      if (at % 100 === 0) {
        controller.frame(at, false, 100);
        if (frame++ % 3 === 0) controller.encodeShed(at, 1);
      }
      const level = controller.decide(at);
      if (level !== null) changes.push({ at, level });
    }
    expect(controller.decoderSpeed(10_000)).toBeGreaterThan(1);
    expect(changes.map((change) => change.level)).toEqual([1, 2, 3]);
    expect(controller.cause(10_000)).toBe('encoder');
    // A few slow encodes are not enough.
    const calm = controllerOf(4);
    expect(run(calm, 0, 10_000, 30, () => false).length).toBe(0);
    for (let at = 0; at < 10_000; at += 1000) calm.encodeShed(at, 1);
    expect(calm.decide(10_000)).toBeNull();
  });

  describe('tells a slow decoder from a busy event loop', () => {
    const halfLate = (at: number) => at % 200 < 100;

    it('keeps the level when ffmpeg keeps up but the server reads it late (a busy event loop)', () => {
      const controller = controllerOf(4);
      // 27 of 30 frames a second get read, half of them too late; ffmpeg spends 70 % of its time waiting for us.
      const stream = { fps: 30, arrivalsPerSecond: 27, waitShare: 0.7 };
      expect(runSampled(controller, 0, 30_000, stream, halfLate)).toEqual([]);
      expect(controller.level).toBe(0);
      expect(controller.behind(30_000)).toBe(true);
      expect(controller.cause(30_000)).toBe('event-loop');
      // 0.9 s of media in the 0.3 s ffmpeg was not waiting: it could run three times faster than real time.
      expect(controller.decoderSpeed(30_000)).toBeGreaterThan(2.5);
    });

    it('steps down as before when the decoder itself is slower than real time', () => {
      const controller = controllerOf(4);
      // 20 frames a second of a 30 fps stream, ffmpeg never waiting for us: two thirds of real time.
      const stream = { fps: 30, arrivalsPerSecond: 20, waitShare: 0 };
      expect(runSampled(controller, 0, 2_500, stream, halfLate)).toEqual([]);
      expect(controller.cause(2_500)).toBe('decoder');
      expect(controller.decoderSpeed(2_500)).toBeCloseTo(0.67, 1);
      const changes = runSampled(controller, 2_500, 7_500, stream, halfLate);
      expect(changes.map((change) => change.level)).toEqual([1, 2, 3]);
    });

    it('steps down when a slow decoder meets a busy event loop: only the time ffmpeg does not wait counts', () => {
      const controller = controllerOf(4);
      // ffmpeg waits for us 30 % of the time, and in the other 70 % produces only 0.6 s of media (speed 0.86).
      const stream = { fps: 30, arrivalsPerSecond: 18, waitShare: 0.3 };
      expect(runSampled(controller, 0, 2_500, stream, halfLate)).toEqual([]);
      expect(controller.decoderSpeed(2_500)).toBeCloseTo(0.86, 1);
      const changes = runSampled(controller, 2_500, 7_500, stream, halfLate);
      expect(changes.map((change) => change.level)).toEqual([1, 2, 3]);
    });

    it('restarts the same level when the server reads so late that nearly nothing reaches air, lower if again soon', () => {
      const controller = controllerOf(4);
      const stream = { fps: 30, arrivalsPerSecond: 25, waitShare: 0.8 };
      const changes = runSampled(controller, 0, 7_000, stream, () => true);
      expect(changes.map((change) => change.level)).toEqual([0, 1]);
      // The first restart comes after the settle time; needed again within 10 s, it goes one level down: the
      // server cannot read this level in real time even on average.
      expect(changes[0]?.at).toBe(3_000);
      expect(changes[1]?.at).toBe(6_000);
    });

    it('blames the decoder for a stall, unless ffmpeg was waiting for us all along', () => {
      const stopped = controllerOf(4);
      runSampled(stopped, 0, 4_000, { fps: 30, arrivalsPerSecond: 30, waitShare: 0.5 }, () => false);
      // No frame from 4 s on, ffmpeg not waiting for us (stopped, or stuck on its input).
      expect(
        runSampled(stopped, 4_000, 1_500, { fps: 30, arrivalsPerSecond: 0.01, waitShare: 0 }, () => false),
      ).toEqual([{ at: 5_000, level: 1 }]);
      const unread = controllerOf(4);
      runSampled(unread, 0, 4_000, { fps: 30, arrivalsPerSecond: 30, waitShare: 0.5 }, () => false);
      expect(
        runSampled(unread, 4_000, 1_500, { fps: 30, arrivalsPerSecond: 0.01, waitShare: 1 }, () => false),
      ).toEqual([{ at: 5_000, level: 0 }]);
    });

    it("judges lateness as the decoder's when its waits cannot be sampled (not Linux)", () => {
      const controller = controllerOf(4);
      const changes = run(controller, 0, 4_000, 30, halfLate);
      expect(changes.map((change) => change.level)).toEqual([1]);
      expect(controller.decoderSpeed(4_000)).toBeNull();
      expect(controller.cause(4_000)).toBe('decoder');
    });
  });
});
