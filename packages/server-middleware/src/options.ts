import { DEFAULT_AUDIO_CHUNK_MS, DEFAULT_FEEDBACK_INTERVAL_MS, DEFAULT_LADDER } from '@onair/protocol';
import type { AuthorizeContext, AuthorizeResult } from './access/authorize-hook';
import { type HlsOptions, type ResolvedHlsOptions, resolveHlsOptions } from './hls/hls-options';
import {
  type ResolvedRoomOptions,
  ROOM_OPTION_NAMES,
  type RoomOptions,
  resolveRoomOptions,
} from './room/room-options';

/** Any console-like logger. `details` is a plain object of context (video id, pid, exit code). */
export interface LiveStreamLogger {
  error(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  debug?(message: string, details?: Record<string, unknown>): void;
}

/**
 * Every option of `liveStream(videos, options)`: one flat object, each with its type, default and limits.
 * Checked when `liveStream` is called; a bad value throws a `TypeError` naming the option.
 */
export interface LiveStreamOptions extends RoomOptions {
  /** Origin of the channel clock, in ms since the Unix epoch (or a Date). Default `0`: timestamps are Unix ms. */
  epoch?: number | Date;
  /** Highest frame rate a channel outputs; faster sources are decimated by ffmpeg. Default 30, 1–120. */
  maxFps?: number;
  /** Scale sources taller than this down (keeping the aspect ratio). Default `null` (source size), 16–4320. */
  maxHeight?: number | null;
  /** JPEG qualities, lowest first; rung n is `ladder[n]`. Default `DEFAULT_LADDER` (40–90); 1–16 rungs, 1–100. */
  ladder?: readonly number[];
  /** The rung a new viewer starts on. Default: the middle of the ladder. */
  initialRung?: number;
  /** Length of each audio message in ms. Default `DEFAULT_AUDIO_CHUNK_MS` (100), 10–1000. */
  audioChunkMs?: number;
  /** Video frames sent to a viewer and not yet acknowledged before frames are skipped. Default 10, 1–120. */
  ackWindow?: number;
  /**
   * Per-viewer cap on bytes waiting in the server's socket buffer (`ws.bufferedAmount`). Video is skipped above
   * half of it, audio above all of it, so a viewer that stops reading costs at most this much memory.
   * Default 2 MiB, 64 KiB–256 MiB.
   */
  maxBufferedBytes?: number;
  /** JPEG encodes of one rung running at once; frames beyond it are dropped for that rung. Default 2, 1–16. */
  maxEncodesInFlight?: number;
  /** Ping interval; a viewer that has not answered the previous ping is terminated. Default 10 000, 50–600 000. */
  heartbeatMs?: number;
  /** How long a channel keeps decoding after its last viewer leaves. Default 10 000 ms, 0–86 400 000. */
  idleTimeoutMs?: number;
  /** Start every channel at once and keep it running without viewers. Default `false`. */
  eager?: boolean;
  /** How often players are asked to send `feedback`. Default `DEFAULT_FEEDBACK_INTERVAL_MS` (500), 50–10 000. */
  feedbackIntervalMs?: number;
  /** Longest an ffprobe run may take (the synchronous start-up probe included). Default 10 000 ms, 500–120 000. */
  probeTimeoutMs?: number;
  /** First delay before a failed channel decoder is restarted; doubles per failure. Default 500 ms, 10–60 000. */
  restartDelayMs?: number;
  /** Longest delay between restarts of a failing decoder. Default 10 000 ms, ≥ `restartDelayMs`, ≤ 600 000. */
  maxRestartDelayMs?: number;
  /** Width of thumbnails (height follows the aspect ratio). Default 320, 16–3840. */
  thumbnailWidth?: number;
  /** How long a thumbnail is reused and may be cached by browsers. Default 5 000 ms, 0–3 600 000. */
  thumbnailMaxAgeMs?: number;
  /**
   * Asked before a WebSocket upgrade completes and on each `select` (role `viewer`), on joining a room (roles
   * `chatter` and `moderator`, for `room.canChat` / `canModerate`), and on every REST request of the chat
   * routes. Default: everyone may watch and chat, nobody may moderate.
   */
  authorize?: (context: AuthorizeContext) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Allowed `Origin` headers for WebSocket upgrades (exact strings, e.g. `https://example.com`), or a predicate.
   * Requests without an Origin header (non-browser clients) are let through. Default: any origin.
   */
  origin?: readonly string[] | ((origin: string) => boolean);
  /**
   * HLS packaging (one ffmpeg per channel, started by the first HLS request): `true` for the defaults, or
   * `HlsOptions`. Default `false`: no HLS routes, catalog `hlsUrl: null`.
   */
  hls?: boolean | HlsOptions;
  /** Where server-side errors and warnings go. Default: `console.error`/`console.warn`; `false` silences it. */
  logger?: LiveStreamLogger | false;
}

/** Options after defaults, as the rest of the package reads them. */
export interface ResolvedOptions {
  epochMs: number;
  maxFps: number;
  maxHeight: number | null;
  ladder: readonly number[];
  initialRung: number;
  audioChunkMs: number;
  ackWindow: number;
  maxBufferedBytes: number;
  maxEncodesInFlight: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  eager: boolean;
  feedbackIntervalMs: number;
  probeTimeoutMs: number;
  restartDelayMs: number;
  maxRestartDelayMs: number;
  thumbnailWidth: number;
  thumbnailMaxAgeMs: number;
  authorize: LiveStreamOptions['authorize'] | undefined;
  isOriginAllowed: (origin: string) => boolean;
  logger: LiveStreamLogger;
  room: ResolvedRoomOptions;
  /** Null when HLS is off. */
  hls: ResolvedHlsOptions | null;
}

const OPTION_NAMES = new Set<string>([
  'epoch',
  'maxFps',
  'maxHeight',
  'ladder',
  'initialRung',
  'audioChunkMs',
  'ackWindow',
  'maxBufferedBytes',
  'maxEncodesInFlight',
  'heartbeatMs',
  'idleTimeoutMs',
  'eager',
  'feedbackIntervalMs',
  'probeTimeoutMs',
  'restartDelayMs',
  'maxRestartDelayMs',
  'thumbnailWidth',
  'thumbnailMaxAgeMs',
  'authorize',
  'origin',
  'logger',
  'hls',
  ...ROOM_OPTION_NAMES,
] satisfies (keyof LiveStreamOptions)[]);

const MAX_LADDER_RUNGS = 16;

const consoleLogger: LiveStreamLogger = {
  error: (message, details) => console.error(`[onair] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[onair] ${message}`, details ?? ''),
};

const silentLogger: LiveStreamLogger = { error() {}, warn() {} };

function optionError(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return new TypeError(`liveStream: option "${name}" must be ${expected}, got ${shown}`);
}

function integerOption(
  options: LiveStreamOptions,
  name: keyof LiveStreamOptions,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw optionError(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function numberOption(
  options: LiveStreamOptions,
  name: keyof LiveStreamOptions,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw optionError(name, `a number from ${min} to ${max}`, value);
  }
  return value;
}

function resolveEpoch(value: LiveStreamOptions['epoch']): number {
  if (value === undefined) return 0;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw optionError('epoch', 'a finite number of ms since the Unix epoch or a valid Date', value);
  }
  return ms;
}

function resolveLadder(value: LiveStreamOptions['ladder']): readonly number[] {
  if (value === undefined) return DEFAULT_LADDER;
  const expected = `an array of 1 to ${MAX_LADDER_RUNGS} ascending integer JPEG qualities from 1 to 100`;
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_LADDER_RUNGS) {
    throw optionError('ladder', expected, value);
  }
  value.forEach((quality: unknown, index) => {
    const previous = index > 0 ? value[index - 1] : 0;
    if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw optionError('ladder', expected, value);
    }
    if (previous !== undefined && quality <= previous) throw optionError('ladder', expected, value);
  });
  return Object.freeze([...value]);
}

function resolveOrigin(value: LiveStreamOptions['origin']): (origin: string) => boolean {
  if (value === undefined) return () => true;
  if (typeof value === 'function') return (origin) => value(origin) === true;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw optionError('origin', 'an array of origin strings or a function', value);
  }
  const allowed = new Set(value);
  return (origin) => allowed.has(origin);
}

function resolveLogger(value: LiveStreamOptions['logger']): LiveStreamLogger {
  if (value === undefined) return consoleLogger;
  if (value === false) return silentLogger;
  if (typeof value !== 'object' || value === null)
    throw optionError('logger', 'a logger object or false', value);
  if (typeof value.error !== 'function' || typeof value.warn !== 'function') {
    throw optionError('logger', 'an object with error() and warn() methods', value);
  }
  return value;
}

/** Applies defaults and checks every option; throws a `TypeError` naming the first bad one. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('liveStream: options must be an object');
  }
  for (const key of Object.keys(input)) {
    if (!OPTION_NAMES.has(key)) throw new TypeError(`liveStream: unknown option "${key}"`);
  }
  const options = input as LiveStreamOptions;

  const ladder = resolveLadder(options.ladder);
  const maxHeight = options.maxHeight == null ? null : integerOption(options, 'maxHeight', 0, 16, 4320);
  const restartDelayMs = integerOption(options, 'restartDelayMs', 500, 10, 60_000);
  const maxRestartDelayMs = integerOption(
    options,
    'maxRestartDelayMs',
    Math.max(10_000, restartDelayMs),
    restartDelayMs,
    600_000,
  );
  if (options.eager !== undefined && typeof options.eager !== 'boolean') {
    throw optionError('eager', 'a boolean', options.eager);
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw optionError('authorize', 'a function', options.authorize);
  }

  return {
    epochMs: resolveEpoch(options.epoch),
    maxFps: numberOption(options, 'maxFps', 30, 1, 120),
    maxHeight,
    ladder,
    initialRung: integerOption(
      options,
      'initialRung',
      Math.floor((ladder.length - 1) / 2),
      0,
      ladder.length - 1,
    ),
    audioChunkMs: integerOption(options, 'audioChunkMs', DEFAULT_AUDIO_CHUNK_MS, 10, 1000),
    ackWindow: integerOption(options, 'ackWindow', 10, 1, 120),
    maxBufferedBytes: integerOption(
      options,
      'maxBufferedBytes',
      2 * 1024 * 1024,
      64 * 1024,
      256 * 1024 * 1024,
    ),
    maxEncodesInFlight: integerOption(options, 'maxEncodesInFlight', 2, 1, 16),
    heartbeatMs: integerOption(options, 'heartbeatMs', 10_000, 50, 600_000),
    idleTimeoutMs: integerOption(options, 'idleTimeoutMs', 10_000, 0, 86_400_000),
    eager: options.eager ?? false,
    feedbackIntervalMs: integerOption(
      options,
      'feedbackIntervalMs',
      DEFAULT_FEEDBACK_INTERVAL_MS,
      50,
      10_000,
    ),
    probeTimeoutMs: integerOption(options, 'probeTimeoutMs', 10_000, 500, 120_000),
    restartDelayMs,
    maxRestartDelayMs,
    thumbnailWidth: integerOption(options, 'thumbnailWidth', 320, 16, 3840),
    thumbnailMaxAgeMs: integerOption(options, 'thumbnailMaxAgeMs', 5_000, 0, 3_600_000),
    authorize: options.authorize,
    isOriginAllowed: resolveOrigin(options.origin),
    logger: resolveLogger(options.logger),
    room: resolveRoomOptions(options),
    hls: resolveHlsOptions(options.hls),
  };
}
