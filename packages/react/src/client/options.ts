import { DEFAULT_VIDEO_BUFFER_MS, VIDEO_ID_PATTERN } from '@onair/protocol';
import type { ReconnectOptions } from './connection/reconnect-backoff';
import type { HlsLoader } from './hls/hls-types';
import type { RoomOptions } from './room/room-store';
import type { AutoFallbackOptions } from './transport/auto-fallback';
import type { Transport } from './transport/transport';
import { isTransportMode, type TransportMode } from './transport/transport-mode';

export interface LiveStreamClientOptions {
  /** The server's mount path ("/live") or an absolute URL ("http://host:3000/live"). */
  url: string;
  /** Default: the browser WebSocket. `@onair/react/mock` has an in-memory one. */
  transport?: Transport;
  /** Playout delay of video when there is no audio clock. Default 150 ms. */
  videoBufferMs?: number;
  /** Playout delay of audio, the master clock when the stream has audio. Default 200 ms. */
  audioBufferMs?: number;
  /** Frames per second this viewer asks for; the server decimates. Default: the channel's rate. */
  videoFps?: number;
  /** Video to select once connected; null waits for `select`. Default: the first video of the catalog. */
  initialVideoId?: string | null;
  reconnect?: Partial<ReconnectOptions>;
  /** Used for the catalog fallback `GET <url>/videos`. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Chat and reaction limits of this client (ack timeout, list and overlay bounds). */
  room?: Partial<RoomOptions>;
  /** WebSocket (`ws`, default), HLS (`hls`), or WebSocket falling back to HLS (`auto`). */
  transportMode?: TransportMode;
  /** When `auto` gives up on the WebSocket. Default 2 failed attempts or 5 s without a welcome. */
  autoFallback?: Partial<AutoFallbackOptions>;
  /** How hls.js is loaded. Default: `import('hls.js')` on first HLS playback (e.g. swap in a CDN build). */
  loadHls?: HlsLoader;
}

// The video default is the protocol's, shared with `onair watch`; kept in this module's exports for the public API.
export { DEFAULT_VIDEO_BUFFER_MS };
export const DEFAULT_AUDIO_BUFFER_MS = 200;
/** Longest playout delay accepted: beyond it a "live" player is no longer live. */
const MAX_BUFFER_MS = 10_000;

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
  for (const [name, value] of Object.entries(options.room ?? {})) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new TypeError(`LiveStreamClient: \`room.${name}\` must be a positive integer`);
  }
  if (options.transportMode !== undefined && !isTransportMode(options.transportMode)) {
    throw new TypeError('LiveStreamClient: `transportMode` must be "ws", "hls" or "auto"');
  }
  for (const [name, value] of Object.entries(options.autoFallback ?? {})) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new TypeError(`LiveStreamClient: \`autoFallback.${name}\` must be a positive integer`);
  }
  if (options.loadHls !== undefined && typeof options.loadHls !== 'function') {
    throw new TypeError('LiveStreamClient: `loadHls` must be a function');
  }
  if (options.transport !== undefined && typeof options.transport?.open !== 'function') {
    throw new TypeError('LiveStreamClient: `transport` must have an open(url, handlers) method');
  }
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
