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
}

function frame(timestamp: number): RawFrame {
  return { data: Buffer.alloc(0), width: 1920, height: 1080, timestamp };
}

/** `waiting`: what the fake `/proc` says of every run: ffmpeg blocked writing to us (true), not, or unknown (null). */
function setup(probe = { waiting: false as boolean | null }) {
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
      format: FORMAT,
      levels: outputLevels(FORMAT),
      adaptive: true,
      audioChunkMs: 100,
      now: () => Date.now(),
      writeWait: () =>
        probe.waiting === null
          ? null
          : { take: () => ({ samples: 10, waiting: probe.waiting ? 10 : 0 }), close: () => {} },
      startRun: (config, runHandlers) => {
        const run: FakeRun = { config, handlers: runHandlers, stop: vi.fn(async () => {}) };
        runs.push(run);
        return { process: { pid: runs.length, isRunning: true }, stop: run.stop };
      },
    },
    handlers,
  );
  return { decoder, runs, handlers };
}

/** `ms` of a 60 fps run whose frames all arrive too late (shed), with its audio on time. */
function slowRun(run: FakeRun, from: number, ms: number): void {
  for (let at = from; at < from + ms; at += 50) {
    vi.setSystemTime(at);
    run.handlers.onShed(frame(at - 300), 300);
    run.handlers.onShed(frame(at - 280), 280);
    run.handlers.onShed(frame(at - 260), 260);
    if (at % 100 === 0) run.handlers.onAudio({ timestamp: at, pcm: Buffer.alloc(4) });
    vi.advanceTimersByTime(0);
    vi.setSystemTime(at + 50);
    vi.advanceTimersToNextTimer();
  }
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
