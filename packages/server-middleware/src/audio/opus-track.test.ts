import { DEFAULT_AUDIO_CHUNK_MS, decodeMediaMessage, decodeOpusPackets } from '@onair/protocol';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { resolveOptions } from '../options/live-stream-options';
import type { OpusEncoderRunConfig, OpusEncoderRunHandlers } from './opus-encoder-run';
import { type OpusListener, OpusTrack } from './opus-track';
import type { PcmChunk } from './pcm-timeline';

interface FakeEncoder {
  config: OpusEncoderRunConfig;
  handlers: OpusEncoderRunHandlers;
  write: Mock<(chunk: PcmChunk) => void>;
  stop: Mock<() => Promise<void>>;
  process: { pid: number; isRunning: boolean };
  chunksShed: number;
}

const CRASH = { code: 1, signal: null, error: null };

function setup() {
  const encoders: FakeEncoder[] = [];
  const track = new OpusTrack({
    ffmpegPath: 'ffmpeg',
    options: resolveOptions({ logger: false, idleTimeoutMs: 1_000, restartDelayMs: 100 }),
    videoId: 'show',
    startEncoder: (config, handlers) => {
      const encoder: FakeEncoder = {
        config,
        handlers,
        write: vi.fn(),
        stop: vi.fn(async () => {
          encoder.process.isRunning = false;
        }),
        process: { pid: 2_000 + encoders.length, isRunning: true },
        chunksShed: 0,
      };
      encoders.push(encoder);
      return encoder;
    },
  });
  return { track, encoders };
}

const listener = () => ({ receiveAudio: vi.fn<OpusListener['receiveAudio']>() });
const group = (timestamp: number) => ({
  timestamp,
  samples: 1920,
  packets: [Buffer.from([0xfc, 1, 2]), Buffer.from([0xfc, 3])],
});
const chunk: PcmChunk = { pcm: Buffer.alloc(19_200), timestamp: 5_000 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('OpusTrack', () => {
  it('starts no encoder until an Opus viewer is there and the channel has sound to encode', () => {
    const { track, encoders } = setup();
    track.push(chunk);
    expect(encoders).toHaveLength(0);
    track.add(listener());
    // A channel without audio never pushes: its Opus viewers cost no ffmpeg.
    expect(encoders).toHaveLength(0);
    expect(track.stats()).toMatchObject({ state: 'idle', listeners: 1, pid: null });
    track.push(chunk);
    expect(encoders).toHaveLength(1);
    expect(encoders[0]?.write).toHaveBeenCalledWith(chunk);
  });

  it('runs ONE encoder for every Opus viewer, feeds it the PCM, and sends each group framed once to all', () => {
    const { track, encoders } = setup();
    const [first, second] = [listener(), listener()];
    track.add(first);
    track.add(second);
    track.push(chunk);
    track.push(chunk);
    expect(encoders).toHaveLength(1);
    expect(encoders[0]?.config).toMatchObject({
      chunkMs: DEFAULT_AUDIO_CHUNK_MS,
      spec: { sampleRate: 48_000, channels: 2, kbps: 64, frameMs: 20 },
    });
    expect(encoders[0]?.write).toHaveBeenCalledTimes(2);

    encoders[0]?.handlers.onGroup(group(4_993.5));
    const message = first.receiveAudio.mock.calls[0]?.[0] as Buffer;
    expect(second.receiveAudio.mock.calls[0]?.[0]).toBe(message);
    const decoded = decodeMediaMessage(message);
    expect(decoded.ok && decoded.value).toMatchObject({
      kind: 'audio',
      timestamp: 4_993.5,
      sequence: 0,
      rungOrChannels: 2,
    });
    const packets = decoded.ok ? decodeOpusPackets(decoded.value.payload) : null;
    expect(packets?.ok && packets.value.map((packet) => [...packet])).toEqual([
      [0xfc, 1, 2],
      [0xfc, 3],
    ]);
    expect(track.stats()).toMatchObject({
      state: 'running',
      listeners: 2,
      pid: 2_000,
      messagesOut: 1,
      payloadBytesOut: 9,
    });
  });

  it('restarts a dead encoder with backoff; its viewers stay and hear the new one', async () => {
    const { track, encoders } = setup();
    const viewer = listener();
    track.add(viewer);
    track.push(chunk);
    encoders[0]?.handlers.onGroup(group(0));
    encoders[0]?.handlers.onExit(CRASH, false, 'boom');
    expect(track.stats()).toMatchObject({ state: 'backoff', restarts: 1 });
    track.push(chunk);
    await vi.advanceTimersByTimeAsync(100);
    expect(encoders).toHaveLength(2);
    encoders[1]?.handlers.onGroup(group(100));
    // What the dead run still reports belongs to no one.
    encoders[0]?.handlers.onGroup(group(50));
    const times = viewer.receiveAudio.mock.calls.map(([message]) => {
      const decoded = decodeMediaMessage(message);
      return decoded.ok ? [decoded.value.timestamp, decoded.value.sequence] : null;
    });
    expect(times).toEqual([
      [0, 0],
      [100, 1],
    ]);
  });

  it('stops the encoder idleTimeoutMs after the last Opus viewer leaves', async () => {
    const { track, encoders } = setup();
    const viewer = listener();
    track.add(viewer);
    track.push(chunk);
    expect(track.remove(viewer)).toBe(true);
    expect(track.remove(viewer)).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(encoders[0]?.stop).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(encoders[0]?.stop).toHaveBeenCalledOnce();
    expect(track.stats().state).toBe('idle');
  });

  it('close() stops the encoder and never starts one again', async () => {
    const { track, encoders } = setup();
    track.add(listener());
    track.push(chunk);
    await track.close();
    expect(encoders[0]?.stop).toHaveBeenCalledOnce();
    track.add(listener());
    track.push(chunk);
    expect(encoders).toHaveLength(1);
  });
});
