import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { PendingProbe, ProbeResult } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import { type LiveStreamOptions, resolveOptions } from '../options/live-stream-options';
import { normalizeVideoInputs, type VideoSource } from '../source/video-source';
import { Channel, type ChannelViewer } from './channel';
import type { DecoderRunConfig, DecoderRunHandlers } from './decoder-run';

const [FILE, CAMERA] = normalizeVideoInputs(['/videos/clip.mp4', 'rtsp://camera/1']) as [
  VideoSource,
  VideoSource,
];
const PROBED: ProbeResult = { durationSec: 10, width: 320, height: 240, fps: 25, hasAudio: true };
const CRASH = { code: 1, signal: null, error: null };

interface FakeDecoder {
  config: DecoderRunConfig;
  handlers: DecoderRunHandlers;
  process: { pid: number; isRunning: boolean };
  audioDecodedUntil: null;
  stop: Mock<() => Promise<void>>;
}

type FakeViewer = { [Name in keyof ChannelViewer]: Mock<ChannelViewer[Name]> };

function viewer(): FakeViewer {
  return {
    receiveVideo: vi.fn<ChannelViewer['receiveVideo']>(),
    receiveAudio: vi.fn<ChannelViewer['receiveAudio']>(),
    channelReady: vi.fn<ChannelViewer['channelReady']>(),
    channelFailed: vi.fn<ChannelViewer['channelFailed']>(),
  };
}

function frame(timestamp: number): RawFrame {
  return { data: Buffer.alloc(320 * 240 * 3), width: 320, height: 240, timestamp };
}

function setup(
  options: LiveStreamOptions = {},
  source = FILE,
  probe: ProbeResult | null = PROBED,
  encode: (frame: RawFrame, quality: number) => Promise<Buffer> = async () => Buffer.from('jpeg'),
  loopBusy = 0.1,
) {
  const decoders: FakeDecoder[] = [];
  const probes: { resolve(result: ProbeResult): void; reject(error: Error): void; cancel: () => void }[] = [];
  const channel = new Channel(source, probe, {
    tools: { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' },
    options: resolveOptions({ logger: false, idleTimeoutMs: 1_000, restartDelayMs: 100, ...options }),
    encode,
    decoderWriteWait: () => null,
    measureLoop: () => () => loopBusy,
    startDecoder: (config, handlers) => {
      const decoder: FakeDecoder = {
        config,
        handlers,
        process: { pid: 1_000 + decoders.length, isRunning: true },
        audioDecodedUntil: null,
        stop: vi.fn(async () => {
          decoder.process.isRunning = false;
        }),
      };
      decoders.push(decoder);
      return decoder;
    },
    probe: (): PendingProbe => {
      let resolve: (result: ProbeResult) => void = () => {};
      let reject: (error: Error) => void = () => {};
      const result = new Promise<ProbeResult>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      const cancel = vi.fn(() => reject(new Error('cancelled')));
      probes.push({ resolve, reject, cancel });
      return { result, cancel };
    },
  });
  const latest = () => {
    const decoder = decoders.at(-1);
    if (!decoder) throw new Error('no decoder started');
    return decoder;
  };
  return { channel, decoders, probes, latest };
}

describe('Channel', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(3_500);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts one decoder for its first viewer, at the live position of the file, and none before', () => {
    const { channel, decoders, latest } = setup();
    channel.wake();
    vi.advanceTimersByTime(60_000);
    expect(decoders).toHaveLength(0);
    expect(channel.state).toBe('idle');

    vi.setSystemTime(3_500);
    channel.join(viewer(), 0);
    channel.join(viewer(), 2);
    expect(decoders).toHaveLength(1);
    expect(latest().config).toMatchObject({
      source: FILE,
      format: { width: 320, height: 240, fps: 25, hasAudio: true, durationSec: 10 },
      // A start-up lead ahead of the clock, so the first frames are held rather than shed as late.
      seekSec: 3.8,
      firstFrameTime: 3_800,
    });
    expect(channel.state).toBe('starting');
  });

  it('lowers its output level when JPEG encodes are so slow by themselves that they finish too late to send', async () => {
    // Each encode takes 260 ms of a starved CPU: it finishes after LATE_ENCODE_MS and is shed, frame after frame.
    const slowEncode = () =>
      new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from('jpeg')), 260));
    const { channel, decoders, latest } = setup({}, FILE, PROBED, slowEncode);
    channel.join(viewer(), 0);
    const first = latest();
    for (let i = 0; i < 200 && decoders.length === 1; i++) {
      first.handlers.onFrame(frame(Date.now()), 12);
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(channel.stats().encodesShed).toBeGreaterThan(0);
    // A new decoder run at a lower output level took over the work.
    expect(decoders.length).toBeGreaterThan(1);
    expect(latest().config.output.fps).toBeLessThan(25);
  });

  it('keeps its output level when slow encodes ran beside a busy event loop (it held their results back)', async () => {
    const slowEncode = () =>
      new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from('jpeg')), 260));
    const { channel, decoders, latest } = setup({}, FILE, PROBED, slowEncode, 0.95);
    channel.join(viewer(), 0);
    for (let i = 0; i < 150; i++) {
      latest().handlers.onFrame(frame(Date.now()), 12);
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(channel.stats().encodesShed).toBeGreaterThan(5);
    expect(decoders).toHaveLength(1);
  });

  it('keeps its output level when encodes finish late only because they started late', async () => {
    // A quick encode (10 ms) of frames that already waited 300 ms: a busy event loop, not a starved encoder.
    const quickEncode = () =>
      new Promise<Buffer>((resolve) => setTimeout(() => resolve(Buffer.from('jpeg')), 10));
    const { channel, decoders, latest } = setup({}, FILE, PROBED, quickEncode);
    channel.join(viewer(), 0);
    for (let i = 0; i < 150; i++) {
      latest().handlers.onFrame(frame(Date.now() - 300), 12);
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(channel.stats().encodesShed).toBeGreaterThan(5);
    expect(decoders).toHaveLength(1);
  });

  it('runs once frames arrive, fanning them out and counting them', async () => {
    const { channel, latest } = setup();
    const watcher = viewer();
    channel.join(watcher, 1);
    latest().handlers.onFrame(frame(3_500), 12);
    latest().handlers.onAudio({ timestamp: 3_500, pcm: Buffer.alloc(4) });
    await vi.advanceTimersByTimeAsync(0);
    expect(channel.state).toBe('running');
    expect(watcher.receiveVideo).toHaveBeenCalledOnce();
    expect(watcher.receiveAudio).toHaveBeenCalledOnce();
    expect(channel.newestFrame()?.timestamp).toBe(3_500);
    expect(channel.stats()).toEqual({
      id: 'clip',
      state: 'running',
      viewers: 1,
      activeRungs: [1],
      encoders: 1,
      encodesInFlight: 0,
      framesIn: 1,
      audioChunksIn: 1,
      restarts: 0,
      lagMs: 0,
      behind: false,
      behindCause: null,
      // The fake system cannot tell whether the decoder waits for us.
      decoderSpeed: null,
      framesShed: 0,
      encodesShed: 0,
      output: { level: 0, fps: 25, width: 320, height: 240, changes: 0 },
      decoder: { pid: 1_000, running: true },
      // No viewer asked for Opus: its encoder never started.
      opus: expect.objectContaining({ state: 'idle', listeners: 0, pid: null, messagesOut: 0 }),
      rungs: expect.any(Array),
    });
  });

  it('starts at once when eager and keeps decoding without viewers', () => {
    const { channel, decoders } = setup({ eager: true });
    channel.wake();
    expect(decoders).toHaveLength(1);
    vi.advanceTimersByTime(60_000);
    expect(channel.state).toBe('starting');
    expect(decoders[0]?.stop).not.toHaveBeenCalled();
  });

  it('stops its decoder idleTimeoutMs after the last viewer leaves, and starts a fresh one for the next', () => {
    const { channel, decoders, latest } = setup();
    const first = viewer();
    const second = viewer();
    channel.join(first, 0);
    channel.join(second, 0);
    latest().handlers.onFrame(frame(3_500), 0);
    channel.leave(first);
    // Frames keep coming on time: a decoder that delivers nothing for a second would be shed to a lower level.
    for (let at = 3_540; at <= 8_500; at += 40) {
      vi.advanceTimersByTime(40);
      latest().handlers.onFrame(frame(at), 0);
    }
    expect(channel.state).toBe('running');
    expect(decoders).toHaveLength(1);
    channel.leave(second);
    for (let at = 8_540; at < 9_500; at += 40) {
      vi.advanceTimersByTime(40);
      latest().handlers.onFrame(frame(at), 0);
    }
    vi.advanceTimersByTime(39);
    expect(channel.state).toBe('running');
    vi.advanceTimersByTime(1);
    expect(channel.state).toBe('idle');
    expect(latest().stop).toHaveBeenCalledOnce();
    expect(channel.newestFrame()).toBeNull();
    expect(channel.stats().decoder).toEqual({ pid: null, running: false });

    channel.join(viewer(), 0);
    expect(decoders).toHaveLength(2);
  });

  it('keeps decoding for a viewer who comes back within the idle timeout', () => {
    const { channel, decoders } = setup();
    const watcher = viewer();
    channel.join(watcher, 0);
    channel.leave(watcher);
    vi.advanceTimersByTime(900);
    channel.join(watcher, 0);
    vi.advanceTimersByTime(5_000);
    expect(channel.state).toBe('starting');
    expect(decoders).toHaveLength(1);
  });

  it('tells its viewers ONAIR_CHANNEL_FAILED when the decoder dies, restarts it, and tells them when it is back', () => {
    const { channel, decoders, latest } = setup();
    const watcher = viewer();
    channel.join(watcher, 0);
    latest().handlers.onFrame(frame(3_500), 0);
    latest().handlers.onExit(CRASH, false, 'Invalid data found');
    expect(watcher.channelFailed).toHaveBeenCalledWith('ffmpeg exited with code 1');
    expect(channel.state).toBe('backoff');
    expect(channel.newestFrame()).toBeNull();
    expect(channel.stats()).toMatchObject({ restarts: 1, decoder: { pid: null, running: false } });

    vi.advanceTimersByTime(100);
    expect(decoders).toHaveLength(2);
    expect(channel.state).toBe('starting');
    expect(watcher.channelReady).not.toHaveBeenCalled();
    latest().handlers.onFrame(frame(3_600), 0);
    latest().handlers.onFrame(frame(3_640), 0);
    expect(watcher.channelReady).toHaveBeenCalledOnce();
    expect(channel.state).toBe('running');
  });

  it('backs off longer for a decoder that keeps dying, and starts over after one that ran healthily', () => {
    const { channel, decoders, latest } = setup({ restartDelayMs: 100, maxRestartDelayMs: 1_000 });
    channel.join(viewer(), 0);
    const restartAfter = () => {
      latest().handlers.onExit(CRASH, false, '');
      const before = decoders.length;
      let waited = 0;
      while (decoders.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      return waited;
    };
    expect([restartAfter(), restartAfter(), restartAfter()]).toEqual([100, 200, 400]);
    latest().handlers.onFrame(frame(0), 0);
    vi.advanceTimersByTime(10_001);
    expect(restartAfter()).toBe(100);
  });

  it('ignores an exit it asked for', () => {
    const { channel, latest } = setup();
    const watcher = viewer();
    channel.join(watcher, 0);
    channel.leave(watcher);
    vi.advanceTimersByTime(1_000);
    latest().handlers.onExit({ code: null, signal: 'SIGTERM', error: null }, true, '');
    expect(channel.stats().restarts).toBe(0);
    expect(channel.state).toBe('idle');
  });

  it('probes an input in the background: probing, then decoding, and viewers told the format', async () => {
    const { channel, decoders, probes } = setup({}, CAMERA, null);
    const watcher = viewer();
    channel.join(watcher, 0);
    expect(channel.state).toBe('probing');
    expect(channel.format).toBeNull();
    probes[0]?.resolve(PROBED);
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.channelReady).toHaveBeenCalledOnce();
    expect(decoders).toHaveLength(1);
    expect(decoders[0]?.config).toMatchObject({ seekSec: null, firstFrameTime: 3_500 });
    expect(channel.format).toMatchObject({ durationSec: null });
    expect(channel.state).toBe('starting');
  });

  it('treats a failed probe as a failure: viewers told, retried after the backoff', async () => {
    const { channel, probes } = setup({}, CAMERA, null);
    const watcher = viewer();
    channel.join(watcher, 0);
    probes[0]?.reject(new Error('Connection refused'));
    await vi.advanceTimersByTimeAsync(0);
    expect(watcher.channelFailed).toHaveBeenCalledWith('probe failed: Connection refused');
    expect(channel.state).toBe('backoff');
    await vi.advanceTimersByTimeAsync(100);
    expect(probes).toHaveLength(2);
    expect(channel.state).toBe('probing');
  });

  it('close() stops the decoder and a running probe, lets its viewers go, and never starts again', async () => {
    const { channel, decoders, latest } = setup();
    channel.join(viewer(), 0);
    await channel.close();
    expect(latest().stop).toHaveBeenCalledOnce();
    expect(channel.state).toBe('closed');
    expect(channel.viewerCount).toBe(0);
    channel.join(viewer(), 0);
    expect(decoders).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);

    const probing = setup({}, CAMERA, null);
    probing.channel.join(viewer(), 0);
    await probing.channel.close();
    expect(probing.probes[0]?.cancel).toHaveBeenCalledOnce();
  });
});
