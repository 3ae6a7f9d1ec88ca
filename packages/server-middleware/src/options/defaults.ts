import { DEFAULT_AUDIO_CHUNK_MS, DEFAULT_FEEDBACK_INTERVAL_MS, DEFAULT_REACTIONS } from '@onair/protocol';

/**
 * The one place each default lives, one object per options set (as hls.js' `hlsDefaultConfig`): the resolvers
 * read them from here, and the JSDoc of each option and the README's options tables quote these values
 * (`defaults.test.ts` holds the README to them). Each key names the part of the package that reads it.
 */
export const LIVE_STREAM_DEFAULTS = Object.freeze({
  /** Used by `channel/` (the timeline) and `hls/` (segment numbers): timestamps are Unix ms. */
  epoch: 0,
  /** Used by `channel/output-format.ts` (the decoder's `fps` filter). */
  maxFps: 30,
  /** Used by `channel/output-format.ts` (the decoder's `scale` filter); null keeps the source's size. */
  maxHeight: null,
  /**
   * 124 416 000 pixels/s: 1080p at 60 fps. Used by `channel/output-format.ts`: any 1080p source at any `maxFps`
   * passes untouched; a 4K or 8K file (whose 8K decode delivered 0.7 fps and 934 MB RSS, issue 10) is scaled to fit.
   */
  maxPixelRate: 124_416_000,
  /** Used by `channel/format-probe.ts`: scale a source over `maxPixelRate` down, or refuse it. */
  overPixelRate: 'scale',
  /**
   * Used by `ladder/rung-plan.ts` (each channel's rungs, capped at its height), `ladder/frame-ladder.ts` and
   * `viewer/viewer-rung.ts`. From ~0.6 Mbit/s (144p) to the source at high quality; 720p exists only for taller
   * sources (on the 480p demo it merges into 480p q70).
   */
  ladder: Object.freeze([
    Object.freeze({ height: 144, quality: 40 }),
    Object.freeze({ height: 240, quality: 50 }),
    Object.freeze({ height: 360, quality: 50 }),
    Object.freeze({ height: 480, quality: 50 }),
    Object.freeze({ height: 480, quality: 70 }),
    Object.freeze({ height: 720, quality: 70 }),
    Object.freeze({ quality: 85 }),
  ]),
  /** Used by `channel/` (the decoder's audio chunks) and the `stream` message. */
  audioChunkMs: DEFAULT_AUDIO_CHUNK_MS,
  /**
   * Used by `viewer/send-window.ts`, and told to players in `welcome`. 16 (was 10): the player acks every fourth
   * frame, so acks cost each viewer half what they did on the server (they were 14 % of its time per viewer in a
   * fan-out profile), and 16 frames in flight (0.53 s at 30 fps) leave room on a 150 ms link.
   */
  ackWindow: 16,
  /** 2 MiB. Used by `viewer/media-sender.ts` (half of it for video) and `viewer/viewer-socket.ts`. */
  maxBufferedBytes: 2_097_152,
  /** Used by `ladder/frame-ladder.ts`. */
  maxEncodesInFlight: 2,
  /** Used by `viewer/heartbeat.ts`. */
  heartbeatMs: 10_000,
  /** Used by `viewer/viewer-session.ts`: a socket without a valid hello by then is closed (4002). */
  helloTimeoutMs: 5_000,
  /** Used by `viewer/sockets-per-address.ts` (the address as `trust proxy` resolves it; loopback never limited). */
  maxSocketsPerAddress: 20,
  /**
   * Used by `viewer/control-throttle.ts` (one bucket per socket): `hello`, `catalog`, `select`, `quality`,
   * `feedback`, `viewer-limits` and unreadable messages; chat and reactions have their own.
   */
  controlRateLimit: Object.freeze({ burst: 20, sustained: 10, windowMs: 1_000 }),
  /** Used by `channel/channel.ts`. */
  idleTimeoutMs: 10_000,
  /** Used by `channel/channel.ts`. */
  eager: false,
  /** Told to players in `welcome` (`viewer/stream-messages.ts`). */
  feedbackIntervalMs: DEFAULT_FEEDBACK_INTERVAL_MS,
  /** Used by `ffmpeg/probe.ts` (the start-up and background probes) and `catalog/thumbnails.ts` (a grab). */
  probeTimeoutMs: 10_000,
  /** Used by the restart backoff of `channel/` and `hls/`. */
  restartDelayMs: 500,
  /** Used by the restart backoff of `channel/` and `hls/`; never below `restartDelayMs`. */
  maxRestartDelayMs: 10_000,
  /** Used by `catalog/thumbnails.ts`. */
  thumbnailWidth: 320,
  /** Used by `catalog/thumbnails.ts` and the thumbnail route's `Cache-Control` (`http/catalog-routes.ts`). */
  thumbnailMaxAgeMs: 5_000,
  /** Used by `http/stream-routes.ts`: `POST <mount>/streams` may not name an ffmpeg input. */
  allowStreamInputs: false,
  /** Used by `recording/recordings.ts`: whether a broadcast is recorded when its stream does not say (`record`). */
  record: false,
  /** Used by `recording/recordings.ts`; null: a folder `onair-recordings` in the OS temporary directory. */
  recordingsDir: null,
  /** Used by `http/cors.ts` (the catalog, thumbnail and HLS routes): any origin, no credentials. */
  cors: true,
} as const);

/** The rung a new viewer starts on when `initialRung` is not given: the middle of the ladder (lower on a tie). */
export function middleRung(rungCount: number): number {
  return Math.floor((rungCount - 1) / 2);
}

/** The chat, reaction and presence options of `liveStream()`. `hub` defaults to a `memoryHub()` it owns. */
export const ROOM_DEFAULTS = Object.freeze({
  /** Used by `room/room-member.ts` (the socket) and `room/room-actions.ts` (REST), to accept an emoji. */
  reactions: DEFAULT_REACTIONS,
  /** Used by `room/room-member.ts` (one bucket per socket) and `http/sender-rate-limits.ts` (per REST sender). */
  chatRateLimit: Object.freeze({ burst: 5, sustained: 20, windowMs: 30_000 }),
  /** Used by `room/room-member.ts` (one bucket per socket) and `http/sender-rate-limits.ts` (per REST sender). */
  reactionRateLimit: Object.freeze({ burst: 10, sustained: 5, windowMs: 1_000 }),
  /** Used by `room/viewer-count-throttle.ts`. */
  viewerCountIntervalMs: 1_000,
} as const);

/** `liveStream(videos, { hls })`: the defaults `hls: true` takes. */
export const HLS_DEFAULTS = Object.freeze({
  /** Used by `hls/renditions.ts` (one H.264 rendition per height, never above the source's). */
  ladder: Object.freeze([360, 480, 720]),
  /** Used by `ffmpeg/hls-package-process.ts` (segment length and keyframe interval) and `hls/start-plan.ts`. */
  segmentSeconds: 1,
  /** Used by `ffmpeg/hls-package-process.ts` and `hls/hls-packager.ts` (segments listed per playlist). */
  windowSegments: 6,
  /** Used by `hls/hls-packager.ts`. */
  idleTimeoutMs: 30_000,
  /** Used by `http/hls-routes.ts` (how long a playlist request waits before its 503). */
  firstSegmentTimeoutMs: 15_000,
} as const);

/** `memoryHub()` and `redisHub()`. */
export const HUB_DEFAULTS = Object.freeze({
  /** Used by `hub/memory-hub.ts` (an array per stream) and `hub/redis-hub.ts` (`XADD MAXLEN ~`). */
  historySize: 100,
  /** Used by `hub/redis-hub.ts` (every key and the pub/sub channel). */
  keyPrefix: 'onair:',
  /** Used by `hub/redis-presence.ts`; each instance refreshes its counts every third of it. */
  presenceTtlMs: 15_000,
} as const);
