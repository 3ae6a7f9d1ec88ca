import { decodeMediaMessage } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { FrameLadder } from './frame-ladder';
import type { EncodedFrame, LadderFrame, RawFrame } from './frames';
import type { ChannelRung } from './rung-plan';

interface Job {
  quality: number;
  sequence: number;
  finish(): void;
}

/** An encoder whose encodes finish when the test says so, in any order. */
function manualEncoder() {
  const jobs: Job[] = [];
  // The ladder always hands its encoder a LadderFrame; the encoder type only promises a RawFrame.
  const encode = (raw: RawFrame, quality: number) =>
    new Promise<Buffer>((resolve) => {
      const { sequence } = raw as LadderFrame;
      jobs.push({ quality, sequence, finish: () => resolve(Buffer.from(`q${quality}s${sequence}`)) });
    });
  return { jobs, encode };
}

function frame(sequence: number): LadderFrame {
  return { data: Buffer.alloc(12), width: 2, height: 2, timestamp: 1_000 + sequence * 33, sequence };
}

const rung = (height: number, quality: number): ChannelRung => ({
  width: height,
  height,
  quality,
  label: `${height}p`,
  modelKbps: height * quality,
});

/** A scaler that counts its calls and keeps the frame's sequence (the manual encoder reads it). */
function countingScaler() {
  const calls: number[] = [];
  const scale = async (raw: RawFrame, width: number, height: number) => {
    calls.push(height);
    return { ...raw, width, height, data: Buffer.alloc(width * height * 3) };
  };
  return { calls, scale };
}

function setup(maxInFlight = 2, rungs = [rung(2, 40), rung(2, 70), rung(2, 90)]) {
  const encoder = manualEncoder();
  const scaler = countingScaler();
  const delivered: { rung: number; frame: EncodedFrame; catchUp: boolean }[] = [];
  const ladder = new FrameLadder({
    rungs,
    fps: 30,
    scale: scaler.scale,
    encode: encoder.encode,
    maxInFlight,
    deliver: (rung, encoded, catchUp) => delivered.push({ rung, frame: encoded, catchUp }),
    onError: (error) => {
      throw error;
    },
  });
  return { ladder, delivered, jobs: encoder.jobs, scales: scaler.calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FrameLadder', () => {
  it('encodes only the rungs that have viewers, once per frame whatever their number', async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(1, null);
    ladder.activate(1, null);
    ladder.push(frame(0));
    expect(jobs.map((job) => job.quality)).toEqual([70]);
    jobs[0]!.finish();
    await settle();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ rung: 1, catchUp: false });
  });

  it('builds the full media message (header + JPEG) once, with the rung and the channel timestamp', async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(2, null);
    ladder.push(frame(5));
    jobs[0]!.finish();
    await settle();
    const decoded = decodeMediaMessage(delivered[0]!.frame.message);
    expect(decoded.ok && decoded.value).toMatchObject({
      kind: 'video',
      rungOrChannels: 2,
      sequence: 5,
      timestamp: 1_165,
    });
    expect(decoded.ok && Buffer.from(decoded.value.payload).toString()).toBe('q90s5');
  });

  it('keeps the newest frame waiting for a rung whose encoder is busy, and drops the older ones instead of queueing them', async () => {
    const { ladder, delivered, jobs } = setup(2);
    ladder.activate(0, null);
    for (let sequence = 0; sequence < 5; sequence++) ladder.push(frame(sequence));
    expect(jobs).toHaveLength(2);
    expect(ladder.stats()[0]).toMatchObject({ inFlight: 2, dropped: 2 });
    // An encode finishes: the waiting frame, the newest, is encoded next.
    jobs[0]!.finish();
    await settle();
    expect(jobs.map((job) => job.sequence)).toEqual([0, 1, 4]);
    jobs[1]!.finish();
    jobs[2]!.finish();
    await settle();
    expect(delivered.map((entry) => entry.frame.sequence)).toEqual([0, 1, 4]);
    expect(ladder.stats()[0]).toMatchObject({ inFlight: 0, dropped: 2, encoded: 3 });
  });

  it('encodes every frame of a lump that comes at once (a broadcaster sends three every 100 ms)', async () => {
    const { ladder, delivered, jobs } = setup(2);
    ladder.activate(0, null);
    for (let lump = 0; lump < 3; lump++) {
      for (let index = 0; index < 3; index++) ladder.push(frame(lump * 3 + index));
      // The encoder keeps up between lumps: each encode finishes before the next lump.
      while (jobs.some((job) => !delivered.some((entry) => entry.frame.sequence === job.sequence))) {
        for (const job of jobs) job.finish();
        await settle();
      }
    }
    expect(delivered.map((entry) => entry.frame.sequence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ladder.stats()[0]).toMatchObject({ dropped: 0 });
  });

  it('forgets a waiting frame when the rung loses its last viewer or the decoder restarts', async () => {
    const { ladder, jobs } = setup(1);
    ladder.activate(0, null);
    ladder.push(frame(0));
    ladder.push(frame(1));
    ladder.deactivate(0);
    jobs[0]!.finish();
    await settle();
    expect(jobs).toHaveLength(1);
    ladder.activate(0, null);
    ladder.push(frame(2));
    ladder.push(frame(3));
    ladder.reset();
    jobs[1]!.finish();
    await settle();
    expect(jobs).toHaveLength(2);
  });

  it('encodes a frame that waited after a decoder restart when an encode of the old run finishes', async () => {
    const { ladder, delivered, jobs } = setup(1);
    ladder.activate(0, null);
    ladder.push(frame(0));
    ladder.reset();
    // The new run's first frame finds the old run's encode still running, and waits for it.
    ladder.push(frame(1));
    expect(jobs).toHaveLength(1);
    jobs[0]!.finish();
    await settle();
    expect(jobs.map((job) => job.sequence)).toEqual([0, 1]);
    jobs[1]!.finish();
    await settle();
    expect(delivered.map((entry) => entry.frame.sequence)).toEqual([1]);
  });

  it('never delivers a frame older than one already delivered when encodes finish out of order, and counts it', async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(0, null);
    ladder.push(frame(1));
    ladder.push(frame(2));
    jobs[1]!.finish();
    await settle();
    jobs[0]!.finish();
    await settle();
    expect(delivered.map((entry) => entry.frame.sequence)).toEqual([2]);
    expect(ladder.stats()[0]).toMatchObject({ dropped: 1, encoded: 1 });
  });

  it("hands a new viewer the rung's newest frame, and encodes the channel's newest for an idle rung", async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(0, null);
    ladder.push(frame(3));
    jobs[0]!.finish();
    await settle();
    expect(ladder.activate(0, frame(3))?.sequence).toBe(3);

    expect(ladder.activate(2, frame(3))).toBeNull();
    expect(jobs.at(-1)).toMatchObject({ quality: 90, sequence: 3 });
    jobs.at(-1)!.finish();
    await settle();
    expect(delivered.at(-1)).toMatchObject({ rung: 2, catchUp: true });
  });

  it('discards encodes that started before a reset (decoder restart)', async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(0, null);
    ladder.push(frame(0));
    ladder.reset();
    jobs[0]!.finish();
    await settle();
    expect(delivered).toEqual([]);
    expect(ladder.activate(0, null)).toBeNull();
  });

  it('scales each frame once per watched height, however many rungs share it, and encodes each from it', async () => {
    // A 2x2 source (frame()), rungs at 1 px twice, 2 px (the source: never scaled).
    const { ladder, jobs, scales } = setup(2, [rung(1, 40), rung(1, 70), rung(2, 50)]);
    for (const index of [0, 1, 2]) ladder.activate(index, null);
    for (let sequence = 0; sequence < 3; sequence++) {
      ladder.push(frame(sequence));
      await settle();
      for (const job of jobs.splice(0)) job.finish();
      await settle();
    }
    expect(scales).toEqual([1, 1, 1]);
    expect(ladder.scales().get(1)).toBe(3);
    expect(ladder.stats().map((stats) => stats.encoded)).toEqual([3, 3, 3]);
  });

  it('never scales a frame up: a rung above the decoded size is encoded from the frame as it is', async () => {
    // A 2x2 frame (the channel decoding below its source's size) for rungs of 4 and 2 px, and one of 1 px.
    const { ladder, jobs, scales, delivered } = setup(2, [rung(1, 40), rung(2, 50), rung(4, 90)]);
    for (const index of [0, 1, 2]) ladder.activate(index, null);
    ladder.push(frame(0));
    await settle();
    for (const job of jobs.splice(0)) job.finish();
    await settle();
    expect(scales).toEqual([1]);
    expect(delivered.map((entry) => entry.rung).sort()).toEqual([0, 1, 2]);
  });

  it('reuses the scaled newest frame for a catch-up encode at the same height', async () => {
    const { ladder, jobs, scales } = setup(2, [rung(1, 40), rung(1, 70)]);
    ladder.activate(0, null);
    ladder.push(frame(4));
    ladder.activate(1, frame(4));
    await settle();
    expect(scales).toEqual([1]);
    expect(jobs.map((job) => [job.quality, job.sequence])).toEqual([
      [40, 4],
      [70, 4],
    ]);
  });

  it('replaces the model bitrate with measured sizes, and scales unmeasured rungs by how far off the model was', async () => {
    const { ladder, jobs } = setup(2, [rung(2, 40), rung(2, 90)]);
    expect(ladder.kbps()).toEqual([80, 180]);
    ladder.activate(0, null);
    ladder.push(frame(7));
    await settle();
    jobs[0]!.finish();
    await settle();
    // 'q40s7' is 5 bytes: 1.2 kbit/s at 30 fps; rung 1 gets the model's figure times the same correction.
    const measured = (5 * 8 * 30) / 1000;
    expect(ladder.kbps()[0]).toBeCloseTo(measured);
    expect(ladder.kbps()[1]).toBeCloseTo((180 * measured) / 80);
  });

  it('stops encoding a rung when its last viewer leaves', () => {
    const { ladder, jobs } = setup();
    ladder.activate(1, null);
    expect([ladder.encodes(0), ladder.encodes(1), ladder.encodes(9)]).toEqual([false, true, false]);
    ladder.deactivate(1);
    expect(ladder.encodes(1)).toBe(false);
    ladder.push(frame(0));
    expect(jobs).toEqual([]);
    expect(ladder.activeRungs()).toEqual([]);
  });
});
