import {
  DEFAULT_AUDIO_CHUNK_MS,
  DEFAULT_FEEDBACK_INTERVAL_MS,
  DEFAULT_LADDER,
  PROTOCOL_VERSION,
  type VideoInfo,
} from '@onair/protocol';
import type { MockPicture } from './canvas-picture';
import {
  type MockRoomOptions,
  type ResolvedMockRoomOptions,
  resolveMockRoomOptions,
} from './mock-room-options';
import { defaultMockVideos } from './mock-videos';

export interface MockServerOptions {
  /** The catalog. Default: three sample videos ("ocean" with audio, "sunset", "forest-cam"). */
  videos?: VideoInfo[];
  /** JPEG qualities of the ladder. Default: the protocol's DEFAULT_LADDER. */
  ladder?: readonly number[];
  /** Rung a new viewer starts on. Default: the middle of the ladder, the lower one of two (the server's rule). */
  initialRung?: number;
  /** Sent in `welcome`. Default 500 ms. */
  feedbackIntervalMs?: number;
  /** Unacknowledged frames before the mock skips frames. Default 8. */
  ackWindow?: number;
  /** The version the mock speaks; set another to see the client refused. Default PROTOCOL_VERSION. */
  protocolVersion?: number;
  /** Send the tone for videos with `hasAudio`. Default true. */
  audio?: boolean;
  /**
   * The frames: `createCanvasPicture()` draws a moving picture in a browser. Default: a still JPEG per video
   * (a solid colour), the same bytes everywhere, for tests.
   */
  picture?: MockPicture;
  /**
   * The sound: `'tone'` a steady quiet 440 Hz, `'beep'` a beep on each second of the channel clock over a hum
   * (`beepChunk`, in step with `createCanvasPicture`'s flash). Default `'tone'`.
   */
  sound?: 'tone' | 'beep';
  audioChunkMs?: number;
  /** Delay before a connection opens. Default 5 ms. */
  openDelayMs?: number;
  /** Delay of every message to the client. Default 0 (still asynchronous, like a socket). */
  latencyMs?: number;
  /** The channel clock. Default Date.now (faked by `vi.useFakeTimers`). */
  now?: () => number;
  /**
   * Chat, reactions and viewer count: `select` is answered with `room`. False plays a server from before chat
   * (no `room`, chat messages refused as unknown). Default: on, as a chatter, empty rooms, one viewer.
   */
  room?: MockRoomOptions | false;
}

export type ResolvedMockOptions = Required<Omit<MockServerOptions, 'room' | 'picture'>> & {
  room: ResolvedMockRoomOptions | false;
  picture: MockPicture | null;
};

export function resolveMockOptions(options: MockServerOptions): ResolvedMockOptions {
  const ladder = options.ladder ?? DEFAULT_LADDER;
  return {
    videos: options.videos ?? defaultMockVideos(),
    ladder,
    initialRung: options.initialRung ?? middleRung(ladder),
    feedbackIntervalMs: options.feedbackIntervalMs ?? DEFAULT_FEEDBACK_INTERVAL_MS,
    ackWindow: options.ackWindow ?? 8,
    protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
    audio: options.audio ?? true,
    picture: options.picture ?? null,
    sound: options.sound ?? 'tone',
    audioChunkMs: options.audioChunkMs ?? DEFAULT_AUDIO_CHUNK_MS,
    openDelayMs: options.openDelayMs ?? 5,
    latencyMs: options.latencyMs ?? 0,
    now: options.now ?? (() => Date.now()),
    room: options.room === false ? false : resolveMockRoomOptions(options.room ?? {}),
  };
}

/**
 * The middle of the ladder, the lower of the two middles for an even one: the server's default `initialRung`
 * (`Math.floor((ladder.length - 1) / 2)` in @onair/server-middleware's options), so the mock starts where it does.
 */
function middleRung(ladder: readonly number[]): number {
  return Math.floor((ladder.length - 1) / 2);
}
