import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChildExit, OpusEncodeProcess } from '../ffmpeg';
import { OpusEncoderRun } from './opus-encoder-run';
import type { PacketGroup } from './opus-grouper';
import { SINE_CBR_OPUS } from './sine-cbr.fixture';

/** An encoder child without ffmpeg: what the run writes is kept, what it reads is what the test pushes. */
function fakeChild() {
  let exit: (value: ChildExit) => void = () => {};
  const written: Buffer[] = [];
  let running = true;
  const child = {
    pid: 4_242,
    get isRunning() {
      return running;
    },
    exited: new Promise<ChildExit>((resolve) => {
      exit = (value) => {
        running = false;
        resolve(value);
      };
    }),
    stderrTail: () => '',
    kill: vi.fn((signal?: NodeJS.Signals) => exit({ code: null, signal: signal ?? 'SIGTERM', error: null })),
    // A stdin that never drains: writableLength grows as ffmpeg would leave it unread.
    input: new Writable({
      highWaterMark: 1 << 30,
      write: (chunk: Buffer, _encoding, _done) => written.push(chunk),
    }),
    output: new PassThrough(),
  } satisfies OpusEncodeProcess;
  return { child, written };
}

const spec = { sampleRate: 48_000, channels: 2, kbps: 64, frameMs: 20 };

function start() {
  const { child, written } = fakeChild();
  const groups: PacketGroup[] = [];
  const onExit = vi.fn<(exit: ChildExit, requested: boolean, stderrTail: string) => void>();
  const run = new OpusEncoderRun(
    { ffmpegPath: 'ffmpeg', spec, chunkMs: 100, spawn: () => child },
    { onGroup: (group) => groups.push(group), onExit },
  );
  return { run, child, written, groups, onExit };
}

/** The fixture's packets, as separate byte runs (as ffmpeg writes them, one flush a packet). */
function fixturePackets(): Buffer[] {
  return [0, 1, 2, 3, 4, 5].map((n) => SINE_CBR_OPUS.subarray(n * 160, (n + 1) * 160));
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('OpusEncoderRun', () => {
  it('writes the PCM, and hands out the packets as groups timed on the channel clock', async () => {
    const { run, child, written, groups } = start();
    run.write({ pcm: Buffer.alloc(19_200), timestamp: 1_000 });
    expect(written).toHaveLength(1);
    const packets = fixturePackets();
    // Four packets (80 ms): not a whole 100 ms message yet.
    for (const packet of packets.slice(0, 4)) child.output.write(packet);
    await vi.advanceTimersByTimeAsync(0);
    expect(groups).toEqual([]);
    child.output.write(packets[4]);
    await vi.advanceTimersByTimeAsync(0);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ timestamp: 1_000 - 312 / 48, samples: 4_800 });
    expect(groups[0]?.packets).toHaveLength(5);
  });

  it('sends a short group once the output has been quiet a few ms, instead of waiting for more sound', async () => {
    const { run, child, groups } = start();
    run.write({ pcm: Buffer.alloc(19_200), timestamp: 1_000 });
    for (const packet of fixturePackets().slice(0, 2)) child.output.write(packet);
    await vi.advanceTimersByTimeAsync(1);
    expect(groups).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(groups.map((group) => group.packets.length)).toEqual([2]);
  });

  it('drops PCM rather than queue more than half a second the encoder has not read', () => {
    const { run, child } = start();
    for (let i = 0; i < 10; i++) run.write({ pcm: Buffer.alloc(19_200), timestamp: i * 100 });
    // Five chunks fill the 500 ms (96 000 bytes); the sixth still goes (the queue is not over it), then no more.
    expect(child.input.writableLength).toBe(6 * 19_200);
    expect(run.chunksShed).toBe(4);
  });

  it('kills an encoder that writes something other than the packets asked for, and reports it as a failure', async () => {
    const { child, onExit } = start();
    child.output.write(Buffer.from('not Opus, not at all '.repeat(8)));
    await vi.advanceTimersByTimeAsync(0);
    expect(child.kill).toHaveBeenCalledWith('SIGKILL');
    expect(onExit).toHaveBeenCalledWith(
      expect.objectContaining({ signal: 'SIGKILL' }),
      false,
      'the encoder wrote something other than 160-byte Opus packets of 960 samples (at byte 0)',
    );
  });

  it('reports a stop it asked for as requested, and takes no writes after', async () => {
    const { run, written, onExit } = start();
    await run.stop();
    expect(onExit).toHaveBeenCalledWith(expect.anything(), true, '');
    run.write({ pcm: Buffer.alloc(19_200), timestamp: 0 });
    expect(written).toHaveLength(0);
  });
});
