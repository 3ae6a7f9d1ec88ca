import { DEFAULT_VIDEO_BUFFER_MS, VIDEO_ID_PATTERN } from '@onair/protocol';
import type { ReconnectOptions } from './connection/reconnect-backoff';
import type { HlsLoader } from './hls/hls-js';
import type { AutoFallbackOptions } from './playback/auto-fallback';
import type { RoomOptions } from './room/room-store';
import { isTransportMode, type TransportMode } from './state/transport-mode';
import type { Transport } from './transport/transport';

/** What `new LiveStreamClient(options)` (and `<LiveStreamProvider>`) takes; defaults in `DEFAULT_CLIENT_OPTIONS`. */
export interface LiveStreamClientOptions {
  /** The server's mount path ("/live") or an absolute URL ("http://host:3000/live"). */
  url: string;
  /** Default: the browser WebSocket. `@onair/react/mock` has an in-memory one. */
  transport?: Transport;
  /** Playout delay of video when there is no audio clock, 0–10 000 ms. Default 150 ms. */
  videoBufferMs?: number;
  /**
   * Playout delay of audio, the master clock when the stream has audio, 0–10 000 ms. Default 120 ms; never less
   * than one of the stream's audio chunks and 80 ms.
   */
  audioBufferMs?: number;
  /**
   * How far behind the live edge (ms, 0–60 000) the picture may be before the LIVE badge says how far behind it
   * is. Default: 1 500 ms over WebSocket, twice hls.js's target latency over HLS.
   */
  liveThresholdMs?: number;
  /** Frames per second this viewer asks for (1–120); the server decimates. Default: the channel's rate. */
  videoFps?: number;
  /** Video to select once connected; null waits for `select`. Default: the first video of the catalog. */
  initialVideoId?: string | null;
  /** Backoff of reconnects (and of HLS recovery). Default 500 ms doubling to 10 s, half of it jitter, forever. */
  reconnect?: Partial<ReconnectOptions>;
  /** Used for the catalog fallback `GET <url>/videos`. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Chat and reaction limits of this client (ack timeout, list and overlay bounds). */
  room?: Partial<RoomOptions>;
  /** WebSocket (`ws`, default), HLS (`hls`), or WebSocket falling back to HLS (`auto`). */
  transportMode?: TransportMode;
  /** When `auto` gives up on the WebSocket. Default 2 failed attempts or 5 s without a welcome. */
  autoFallback?: Partial<AutoFallbackOptions>;
  /** How hls.js is loaded. Default: `import('hls.js/light')` on first HLS playback (e.g. swap in a CDN build). */
  loadHls?: HlsLoader;
}

type DefaultedOption =
  | 'videoBufferMs'
  | 'audioBufferMs'
  | 'transportMode'
  | 'reconnect'
  | 'room'
  | 'autoFallback';

/** The options that have a default value, complete: what the client runs with. */
export type ResolvedClientOptions = {
  readonly [Name in DefaultedOption]-?: Readonly<Required<NonNullable<LiveStreamClientOptions[Name]>>>;
};

/**
 * Every default of the client, in one object: what it uses for an option left out (or `undefined`). The JSDoc
 * of each option and the README quote it; each entry names who reads it.
 */
export const DEFAULT_CLIENT_OPTIONS: ResolvedClientOptions = Object.freeze({
  // The WebSocket playback's local clock. The protocol's number, shared with `onair watch`.
  videoBufferMs: DEFAULT_VIDEO_BUFFER_MS,
  // The WebSocket playback's audio worklet (its priming size).
  audioBufferMs: 120,
  // The playback switch.
  transportMode: 'ws',
  // The socket's reconnects (ReconnectingConnection) and HLS recovery (HlsRecoveryPolicy).
  reconnect: Object.freeze({
    initialDelayMs: 500,
    maxDelayMs: 10_000,
    factor: 2,
    jitter: 0.5,
    maxAttempts: Number.POSITIVE_INFINITY,
  }),
  // The room store.
  room: Object.freeze({
    chatAckTimeoutMs: 10_000,
    maxChatMessages: 200,
    maxFloatingReactions: 30,
    reactionLifetimeMs: 3_000,
  }),
  // The playback switch in `auto` mode (AutoFallback).
  autoFallback: Object.freeze({ attempts: 2, timeoutMs: 5_000 }),
});

// The public names each default had before there was one object.
export { DEFAULT_VIDEO_BUFFER_MS };
export const DEFAULT_AUDIO_BUFFER_MS = DEFAULT_CLIENT_OPTIONS.audioBufferMs;
export const DEFAULT_RECONNECT_OPTIONS = DEFAULT_CLIENT_OPTIONS.reconnect;
export const DEFAULT_ROOM_OPTIONS = DEFAULT_CLIENT_OPTIONS.room;
export const DEFAULT_AUTO_FALLBACK_OPTIONS = DEFAULT_CLIENT_OPTIONS.autoFallback;

/** The options with every default filled in; an option given as `undefined` counts as left out. */
export function resolveClientOptions(options: LiveStreamClientOptions): ResolvedClientOptions {
  const defaults = DEFAULT_CLIENT_OPTIONS;
  return {
    videoBufferMs: options.videoBufferMs ?? defaults.videoBufferMs,
    audioBufferMs: options.audioBufferMs ?? defaults.audioBufferMs,
    transportMode: options.transportMode ?? defaults.transportMode,
    reconnect: withDefaults(defaults.reconnect, options.reconnect),
    room: withDefaults(defaults.room, options.room),
    autoFallback: withDefaults(defaults.autoFallback, options.autoFallback),
  };
}

function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  const merged = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = given?.[key];
    if (value !== undefined) merged[key] = value as T[keyof T];
  }
  return merged;
}

/** Longest playout delay accepted: beyond it a "live" player is no longer live. */
const MAX_BUFFER_MS = 10_000;

/** Largest live threshold accepted. */
const MAX_LIVE_THRESHOLD_MS = 60_000;

/** The WebSocket playback's live threshold when `liveThresholdMs` is left out. */
export const DEFAULT_WS_LIVE_THRESHOLD_MS = 1_500;

/** What each `reconnect` field accepts, and how the error says it. */
const RECONNECT_RULES: Record<keyof ReconnectOptions, { accepts(value: number): boolean; must: string }> = {
  initialDelayMs: { accepts: (value) => Number.isFinite(value) && value >= 0, must: 'be a number of ms ≥ 0' },
  maxDelayMs: { accepts: (value) => Number.isFinite(value) && value >= 0, must: 'be a number of ms ≥ 0' },
  factor: { accepts: (value) => Number.isFinite(value) && value >= 1, must: 'be a number ≥ 1' },
  jitter: { accepts: (value) => value >= 0 && value <= 1, must: 'be between 0 and 1' },
  maxAttempts: {
    accepts: (value) => value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0),
    must: 'be a whole number ≥ 0, or Infinity',
  },
};

/** Throws a TypeError naming the bad option, so a misconfigured app fails when it builds the client. */
export function validateClientOptions(options: LiveStreamClientOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('LiveStreamClient: options are required');
  if (typeof options.url !== 'string') throw new TypeError('LiveStreamClient: `url` must be a string');
  validateKnobs(options);
  const { initialVideoId } = options;
  if (
    initialVideoId != null &&
    (typeof initialVideoId !== 'string' || !VIDEO_ID_PATTERN.test(initialVideoId))
  ) {
    throw new TypeError(
      `LiveStreamClient: \`initialVideoId\` ${JSON.stringify(initialVideoId)} is not a video id`,
    );
  }
  validateReconnect(options.reconnect);
  for (const [name, value] of Object.entries(group('room', options.room))) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new TypeError(`LiveStreamClient: \`room.${name}\` must be a positive integer`);
  }
  if (options.transportMode !== undefined && !isTransportMode(options.transportMode)) {
    throw new TypeError('LiveStreamClient: `transportMode` must be "ws", "hls" or "auto"');
  }
  for (const [name, value] of Object.entries(group('autoFallback', options.autoFallback))) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new TypeError(`LiveStreamClient: \`autoFallback.${name}\` must be a positive integer`);
  }
  const { liveThresholdMs } = options;
  if (
    liveThresholdMs !== undefined &&
    !(Number.isFinite(liveThresholdMs) && liveThresholdMs >= 0 && liveThresholdMs <= MAX_LIVE_THRESHOLD_MS)
  ) {
    throw new TypeError(
      `LiveStreamClient: \`liveThresholdMs\` must be between 0 and ${MAX_LIVE_THRESHOLD_MS} ms`,
    );
  }
  if (options.loadHls !== undefined && typeof options.loadHls !== 'function') {
    throw new TypeError('LiveStreamClient: `loadHls` must be a function');
  }
  if (options.transport !== undefined && typeof options.transport?.open !== 'function') {
    throw new TypeError('LiveStreamClient: `transport` must have an open(url, handlers) method');
  }
}

function validateReconnect(reconnect: Partial<ReconnectOptions> | undefined): void {
  const given = group('reconnect', reconnect);
  for (const name of Object.keys(RECONNECT_RULES) as (keyof ReconnectOptions)[]) {
    const value = given[name];
    const rule = RECONNECT_RULES[name];
    if (value !== undefined && !(typeof value === 'number' && rule.accepts(value))) {
      throw new TypeError(`LiveStreamClient: \`reconnect.${name}\` must ${rule.must}`);
    }
  }
}

/** A nested option (`room`, `reconnect`, `autoFallback`): an object, or left out. */
function group<T extends object>(name: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`LiveStreamClient: \`${name}\` must be an object`);
  }
  return value;
}

export function validateKnobs(
  knobs: Pick<LiveStreamClientOptions, 'videoBufferMs' | 'audioBufferMs' | 'videoFps'>,
) {
  for (const name of ['videoBufferMs', 'audioBufferMs'] as const) {
    const value = knobs[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= MAX_BUFFER_MS)) {
      throw new TypeError(`LiveStreamClient: \`${name}\` must be between 0 and ${MAX_BUFFER_MS} ms`);
    }
  }
  const { videoFps } = knobs;
  if (videoFps !== undefined && !(Number.isFinite(videoFps) && videoFps >= 1 && videoFps <= 120)) {
    throw new TypeError('LiveStreamClient: `videoFps` must be between 1 and 120');
  }
}
