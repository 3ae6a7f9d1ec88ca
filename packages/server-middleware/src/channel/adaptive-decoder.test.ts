import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { RawFrame } from '../ladder/frames';
import { normalizeVideoInputs, type VideoSource } from '../source/video-source';
import { AdaptiveDecoder, type AdaptiveDecoderHandlers } from './adaptive-decoder';
import type { DecoderRunConfig, DecoderRunHandlers } from './decoder-run';
import { outputLevels } from './output-levels';

const [FILE] = normalizeVideoInputs(['/videos/clip.mp4']) as [VideoSource];
const FORMAT = { width: 1920, height: 1080, fps: 60, hasAudio: true, durationSec: 600 };
const CRASH = { code: 1, signal: null, error: null };

interface FakeRun {
  config: DecoderRunConfig;
  handlers: DecoderRunHandlers;
  stop: Mock<() => Promise<void>>;
  /** What the run says it has decoded of its sound (`DecoderRun.audioDecodedUntil`). */
  decodedUntil: number | null;
}

function frame(timestamp: number): RawFrame {
  return { data: Buffer.alloc(0), width: 1920, height: 1080, timestamp };
}

/** `waiting`: what the fake `/proc` says of every run: ffmpeg blocked writing to us (true), not, or unknown (null). */
function setup(probe = { waiting: false as boolean | null }, format = FORMAT) {
  const runs: FakeRun[] = [];
  const handlers = {
    onFrame: vi.fn<AdaptiveDecoderHandlers['onFrame']>(),
    onAudio: vi.fn<AdaptiveDecoderHandlers['onAudio']>(),
    onExit: vi.fn<AdaptiveDecoderHandlers['onExit']>(),
  };
  const decoder = new AdaptiveDecoder(
    {
      ffmpegPath: 'ffmpeg',
      source: FILE,
      format,
      levels: outputLevels(format),
      adaptive: true,
      audioChunkMs: 100,
      now: () => Date.now(),
      writeWait: () =>
        probe.waiting === null
          ? null
          : { take: () => ({ samples: 10, waiting: probe.waiting ? 10 : 0 }), close: () => {} },
      startRun: (config, runHandlers) => {
        const run: FakeRun = {
          config,
          handlers: runHandlers,
          stop: vi.fn(async () => {}),
          decodedUntil: null,
        };
        runs.push(run);
        return {
          process: { pid: runs.length, isRunning: true },
          stop: run.stop,
          get audioDecodedUntil() {
            return run.decodedUntil;
          },
        };
      },
    },
    handlers,
  );
  return { decoder, runs, handlers };
}

/**
 * `ms` of a 60 fps run, 50 ms at a time: `frames` delivers the step's three frames, and its audio goes out on time,
 * decoded no further than it was sent.
 */
function playRun(run: FakeRun, from: number, ms: number, frames: (at: number) => void): void {
  for (let at = from; at < from + ms; at += 50) {
    vi.setSystemTime(at);
    frames(at);
    if (at % 100 === 0) {
      run.decodedUntil = at + 100;
      run.handlers.onAudio({ timestamp: at, pcm: Buffer.alloc(4) });
    }
    vi.advanceTimersByTime(0);
    vi.setSystemTime(at + 50);
    vi.advanceTimersToNextTimer();
  }
}

/** `ms` of a 60 fps run whose frames all arrive too late (shed), with its audio on time. */
function slowRun(run: FakeRun, from: number, ms: number): void {
  playRun(run, from, ms, (at) => {
    for (const late of [300, 280, 260]) run.handlers.onShed(frame(at - late), late);
  });
}

/** `ms` of a 60 fps run whose frames and audio are all on time. */
function onTimeRun(run: FakeRun, from: number, ms: number): void {
  playRun(run, from, ms, (at) => {
    for (const offset of [0, 17, 33]) run.handlers.onFrame(frame(at + offset), 0);
  });
}

/** Moves the clock on in 50 ms steps, with nothing from any run, until the decoder has started a second run. */
function stallUntilChange(runs: FakeRun[]): void {
  for (let steps = 0; runs.length < 2 && steps < 200; steps++) {
    vi.setSystemTime(Date.now() + 50);
    vi.advanceTimersToNextTimer();
  }
  expect(runs).toHaveLength(2);
}

/** `ms` of a 60 fps run from which the server reads 50 frames a second, every other one too late. */
function lateReadRun(run: FakeRun, from: number, ms: number): void {
  for (let at = from; at < from + ms; at += 20) {
    vi.setSystemTime(at);
    if ((at / 20) % 2 === 0) run.handlers.onShed(frame(at - 150), 150);
    else run.handlers.onFrame(frame(at), 0);
    vi.advanceTimersByTime(0);
    vi.setSystemTime(at + 20);
    vi.advanceTimersToNextTimer();
  }
}

describe('AdaptiveDecoder', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at full output, passes frames on air and says how far behind the newest is', () => {
    const { decoder, runs, handlers } = setup();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.config).toMatchObject({ output: { fps: 60, height: 1080 }, firstFrameTime: 10_300 });
    runs[0]?.handlers.onFrame(frame(10_000), 0);
    vi.advanceTimersByTime(40);
    expect(handlers.onFrame).toHaveBeenCalledOnce();
    expect(decoder.stats()).toMatchObject({ lagMs: 40, framesShed: 0, level: 0, behind: false });
  });

  it('counts shed frames, then starts a run at a lower level and switches to it at its first frame on time', () => {
    const { decoder, runs, handlers } = setup();
    const [first] = runs as [FakeRun];
    slowRun(first, 10_000, 3_500);
    expect(decoder.stats().framesShed).toBeGreaterThan(100);
    expect(decoder.stats().behind).toBe(true);
    expect(runs).toHaveLength(2);
    const second = runs[1] as FakeRun;
    // Everything shed: two levels at once, 60 → 15 fps.
    expect(second.config.output).toEqual({ fps: 15, width: 1920, height: 1080 });
    // Starts on the audio chunk grid at or before the newest audio sent: no gap in the sound.
    expect((second.config.firstFrameTime - 10_000) % 100).toBe(0);
    expect(second.config.firstFrameTime).toBeLessThanOrEqual(Date.now());
    expect(first.stop).not.toHaveBeenCalled();
    // The very first frame went on air, late: a picture rather than none; then, with nothing else on air, one
    // frame less than a second late each second (3.5 s of it).
    const aired = handlers.onFrame.mock.calls.length;
    expect(aired).toBe(4);

    const audioBefore = handlers.onAudio.mock.calls.length;
    // The new run's first chunks repeat what went out: dropped as duplicates; then it carries the sound.
    second.handlers.onAudio({ timestamp: second.config.firstFrameTime, pcm: Buffer.alloc(4) });
    expect(handlers.onAudio.mock.calls.length).toBe(audioBefore);
    const now = Date.now();
    second.handlers.onFrame(frame(now), 0);
    expect(first.stop).toHaveBeenCalledOnce();
    expect(handlers.onFrame).toHaveBeenCalledTimes(aired + 1);
    expect(decoder.stats()).toMatchObject({ level: 2, output: { fps: 15 }, levelChanges: 1 });
    // What the old run still delivers after the switch is ignored.
    first.handlers.onFrame(frame(now + 10), 0);
    expect(handlers.onFrame).toHaveBeenCalledTimes(aired + 1);
  });

  it("holds the new run's sound that is ahead until the old run's reaches it: no chunk missing across a change", () => {
    const { runs, handlers } = setup();
    const [first] = runs as [FakeRun];
    slowRun(first, 10_000, 3_500);
    const second = runs[1] as FakeRun;
    const sent = () => handlers.onAudio.mock.calls.map(([chunk]) => chunk.timestamp);
    const next = (sent().at(-1) as number) + 100;
    // The new run is quicker to its chunks than the old one, which has not sent `next` yet.
    second.handlers.onAudio({ timestamp: next + 100, pcm: Buffer.alloc(4) });
    second.handlers.onAudio({ timestamp: next + 200, pcm: Buffer.alloc(4) });
    expect(sent().at(-1)).toBe(next - 100);
    first.handlers.onAudio({ timestamp: next, pcm: Buffer.alloc(4) });
    first.handlers.onAudio({ timestamp: next + 100, pcm: Buffer.alloc(4) });
    second.handlers.onFrame(frame(Date.now()), 0);
    second.handlers.onAudio({ timestamp: next + 300, pcm: Buffer.alloc(4) });
    const stamps = sent();
    expect(stamps.slice(-5)).toEqual([next - 100, next, next + 100, next + 200, next + 300]);
    expect(stamps.slice(1).filter((stamp, index) => stamp - (stamps[index] as number) !== 100)).toEqual([]);
  });

  it('starts a change no further ahead than the old run has decoded its sound, so a stall leaves no hole', () => {
    // A run whose frames all come late while its sound is sent on time, decoded `bufferedMs` beyond what was sent;
    // returns the clock when the decoder started a second run. Its chunks fall between the decoder's judging ticks
    // (every 250 ms), so the sound sent is always 25–100 ms ahead when it judges.
    const lateUntilChange = (runs: FakeRun[], bufferedMs: number): number => {
      const run = runs[0] as FakeRun;
      for (let at = Date.now(); runs.length < 2 && at < 30_000; at += 25) {
        if (at % 50 === 25) for (const late of [300, 280, 260]) run.handlers.onShed(frame(at - late), late);
        if (at % 100 === 25) {
          run.decodedUntil = at + 100 + bufferedMs;
          run.handlers.onAudio({ timestamp: at, pcm: Buffer.alloc(4) });
        }
        vi.advanceTimersByTime(25);
      }
      expect(runs).toHaveLength(2);
      return Date.now();
    };
    // Nothing decoded beyond the sound sent: were the new run to start the usual 300 ms ahead and the old one
    // stall now, the switch would come with up to that much silence before it.
    const bare = setup().runs;
    lateUntilChange(bare, 0);
    expect(bare[1]?.config.firstFrameTime).toBe(bare[0]?.decodedUntil);

    // Half a second of sound decoded ahead: the new run starts on the grid 300–400 ms ahead, within it.
    vi.setSystemTime(20_000);
    const buffered = setup().runs;
    const changedAt = lateUntilChange(buffered, 500);
    const start = buffered[1]?.config.firstFrameTime as number;
    expect(start % 100).toBe(25);
    expect(start - changedAt).toBeGreaterThanOrEqual(300);
    expect(start).toBeLessThanOrEqual(buffered[0]?.decodedUntil as number);
  });

  it('moves a change that would start at a loop end of the file back onto the grid: the sound has no hole', () => {
    // A 12 s file: its loop ends at channel time 12 000. The run stalls with its sound sent to 11 900, inside the
    // last 250 ms, where a start would snap to the file's start, off the audio grid.
    const { runs, handlers } = setup(undefined, { ...FORMAT, durationSec: 12 });
    const [first] = runs as [FakeRun];
    onTimeRun(first, 10_300, 1_600);
    const sent = () => handlers.onAudio.mock.calls.map(([chunk]) => chunk.timestamp);
    expect(sent().at(-1)).toBe(11_800);
    stallUntilChange(runs);
    const second = runs[1] as FakeRun;
    // Back, clear of the end: the chunks it repeats are dropped, and it carries the sound on from 11 900.
    expect(second.config).toMatchObject({ firstFrameTime: 11_700, seekSec: 11.7 });
    for (let at = 11_700; at <= 12_500; at += 100)
      second.handlers.onAudio({ timestamp: at, pcm: Buffer.alloc(4) });
    const stamps = sent();
    expect(stamps.slice(-8)).toEqual([11_800, 11_900, 12_000, 12_100, 12_200, 12_300, 12_400, 12_500]);
    expect(stamps.slice(1).filter((stamp, index) => stamp - (stamps[index] as number) !== 100)).toEqual([]);
  });

  it('treats a crash of either run as the end of the decoder, stopping the other', () => {
    const { runs, handlers } = setup();
    slowRun(runs[0] as FakeRun, 10_000, 3_500);
    expect(runs).toHaveLength(2);
    runs[1]?.handlers.onExit(CRASH, false, 'boom');
    expect(runs[0]?.stop).toHaveBeenCalled();
    expect(handlers.onExit).toHaveBeenCalledWith(CRASH, false, 'boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores the exit of a run it stopped, and stop() ends every run', async () => {
    const { decoder, runs, handlers } = setup();
    slowRun(runs[0] as FakeRun, 10_000, 3_500);
    runs[0]?.handlers.onExit(CRASH, true, '');
    expect(handlers.onExit).not.toHaveBeenCalled();
    await decoder.stop();
    expect(runs[0]?.stop).toHaveBeenCalled();
    expect(runs[1]?.stop).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps its level while ffmpeg waits for a busy server to read it, shedding what arrives late', () => {
    const probe = { waiting: true as boolean | null };
    const { decoder, runs } = setup(probe);
    lateReadRun(runs[0] as FakeRun, 10_000, 6_000);
    expect(runs).toHaveLength(1);
    expect(decoder.stats()).toMatchObject({
      level: 0,
      behind: true,
      behindCause: 'event-loop',
      levelChanges: 0,
    });
    expect(decoder.stats().framesShed).toBeGreaterThan(100);
    expect(decoder.stats().decoderSpeed).toBeGreaterThan(1);

    // The same late frames from a decoder that does not wait for us: it is the slow one, and the level drops.
    probe.waiting = false;
    lateReadRun(runs[0] as FakeRun, 16_000, 3_000);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.config.output).toMatchObject({ fps: 30 });
  });

  it('puts nothing more than a second late on air, however long nothing has gone on air', () => {
    const { runs, handlers } = setup();
    const [first] = runs as [FakeRun];
    first.handlers.onFrame(frame(Date.now()), 0);
    for (let at = 10_050; at < 13_000; at += 50) {
      vi.setSystemTime(at);
      first.handlers.onShed(frame(at - 1_500), 1_500);
    }
    expect(handlers.onFrame).toHaveBeenCalledOnce();
  });

  it("judges lateness as the decoder's when the system cannot say whether ffmpeg waits", () => {
    const { decoder, runs } = setup({ waiting: null });
    lateReadRun(runs[0] as FakeRun, 10_000, 3_500);
    expect(runs).toHaveLength(2);
    expect(decoder.stats()).toMatchObject({ behindCause: 'decoder', decoderSpeed: null });
  });
});
