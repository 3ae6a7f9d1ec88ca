import { decodeMediaMessage } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { FrameLadder } from './frame-ladder';
import type { EncodedFrame, LadderFrame, RawFrame } from './frames';

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

function setup(maxInFlight = 2) {
  const encoder = manualEncoder();
  const delivered: { rung: number; frame: EncodedFrame; catchUp: boolean }[] = [];
  const ladder = new FrameLadder({
    qualities: [40, 70, 90],
    encode: encoder.encode,
    maxInFlight,
    deliver: (rung, encoded, catchUp) => delivered.push({ rung, frame: encoded, catchUp }),
    onError: (error) => {
      throw error;
    },
  });
  return { ladder, delivered, jobs: encoder.jobs };
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

  it('drops a frame for a rung whose encoder is busy instead of queueing it', () => {
    const { ladder, jobs } = setup(2);
    ladder.activate(0, null);
    for (let sequence = 0; sequence < 5; sequence++) ladder.push(frame(sequence));
    expect(jobs).toHaveLength(2);
    expect(ladder.stats()[0]).toMatchObject({ inFlight: 2, dropped: 3 });
  });

  it('never delivers a frame older than one already delivered when encodes finish out of order', async () => {
    const { ladder, delivered, jobs } = setup();
    ladder.activate(0, null);
    ladder.push(frame(1));
    ladder.push(frame(2));
    jobs[1]!.finish();
    await settle();
    jobs[0]!.finish();
    await settle();
    expect(delivered.map((entry) => entry.frame.sequence)).toEqual([2]);
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

  it('stops encoding a rung when its last viewer leaves', () => {
    const { ladder, jobs } = setup();
    ladder.activate(1, null);
    ladder.deactivate(1);
    ladder.push(frame(0));
    expect(jobs).toEqual([]);
    expect(ladder.activeRungs()).toEqual([]);
  });
});
