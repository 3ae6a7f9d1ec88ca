import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuthorizeContext, AuthorizeResult } from '../access/authorize-hook';
import type { RungSpec } from '../ladder/rung-plan';
import { type CorsOption, type CorsPolicy, corsOption } from './cors-option';
import { LIVE_STREAM_DEFAULTS } from './defaults';
import { type HlsOptions, type ResolvedHlsOptions, resolveHlsOptions } from './hls-options';
import { type LadderEntry, ladderOption } from './ladder-option';
import { type LiveStreamLogger, resolveLogger } from './logger';
import {
  type NumberBounds,
  numberOption,
  optionError,
  type RateLimit,
  rateLimitOption,
  refuseUnknownOptions,
} from './option-checks';
import {
  type ResolvedRoomOptions,
  ROOM_OPTION_NAMES,
  type RoomOptions,
  resolveRoomOptions,
} from './room-options';

export type { LiveStreamLogger } from './logger';

/**
 * Every option of `liveStream(videos, options)`: one flat object, each with its type, default and limits.
 * Checked when `liveStream` is called; a bad value throws a `TypeError` naming the option, and so does an
 * unknown name. The defaults, and the part of the package that reads each option, are `LIVE_STREAM_DEFAULTS`
 * and `ROOM_DEFAULTS` (`options/defaults.ts`).
 */
export interface LiveStreamOptions extends RoomOptions {
  /** Origin of the channel clock, in ms since the Unix epoch (or a Date). Default 0: timestamps are Unix ms. */
  epoch?: number | Date;
  /** Highest frame rate a channel outputs; faster sources are decimated by ffmpeg. Default 30, 1–120. */
  maxFps?: number;
  /** Scale sources taller than this down (keeping the aspect ratio). Default null (source size), 16–4320. */
  maxHeight?: number | null;
  /**
   * Most pixels per second a channel decodes to (width × height × frame rate, after `maxFps` and `maxHeight`):
   * what one machine can turn into JPEG rungs live. A source over it is scaled down to fit (aspect ratio and frame
   * rate kept) or refused, as `overPixelRate` says; the catalog gives the size served. null: no cap.
   * Default 124 416 000 (1920 × 1080 × 60), 1 000 000–4 000 000 000.
   */
  maxPixelRate?: number | null;
  /**
   * What a source over `maxPixelRate` gets: `'scale'` (served smaller, a warning logged) or `'refuse'` (a file
   * makes `liveStream()` throw, another input fails its channel, either way naming the input). Default scale.
   */
  overPixelRate?: 'scale' | 'refuse';
  /**
   * The rungs: each a picture height and a JPEG quality (`{ height, quality }`; no height: the source's), or a
   * plain JPEG quality at the source's size (the ladder of qualities from before sizes). Each channel caps the
   * heights at its own, merges rungs that become the same, and orders them by bitrate (`stream.rungs`). 1–16
   * rungs, heights 16–4320, qualities 1–100. Default [{ height: 144, quality: 40 }, { height: 240, quality: 50 },
   * { height: 360, quality: 50 }, { height: 480, quality: 50 }, { height: 480, quality: 70 }, { height: 720,
   * quality: 70 }, { quality: 85 }].
   */
  ladder?: readonly LadderEntry[];
  /**
   * The rung a new viewer starts on, on each channel's own ladder (capped to its top rung). Default: the middle
   * of the channel's ladder (the lower one of two).
   */
  initialRung?: number;
  /**
   * Length of each audio message in ms. Default `DEFAULT_AUDIO_CHUNK_MS` (40), 10–1000. The player holds a chunk
   * and a margin, so shorter chunks mean less latency; each message costs CPU, so a large fan-out may take 100.
   */
  audioChunkMs?: number;
  /** Video frames sent to a viewer and not yet acknowledged before frames are skipped. Default 16, 1–120. */
  ackWindow?: number;
  /**
   * Per-viewer cap on bytes waiting in the server's socket buffer (`ws.bufferedAmount`). Video is skipped above
   * half of it, audio above all of it, so a viewer that stops reading costs at most this much memory.
   * Default 2 097 152 (2 MiB), 64 KiB–256 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * JPEG encodes of one rung running at once; beyond it the newest frame waits for one to finish, and older
   * waiting ones are dropped for that rung. Default 2, 1–16.
   */
  maxEncodesInFlight?: number;
  /** Ping interval; a viewer that has not answered the previous ping is terminated. Default 10 000, 50–600 000. */
  heartbeatMs?: number;
  /**
   * How long a new socket may take to send a valid `hello`; after that it is closed with 4002. Sockets that have
   * not said hello are not counted in `stats().viewers`. Default 5 000 ms, 100–120 000.
   */
  helloTimeoutMs?: number;
  /**
   * Sockets open at once from one client address; the next one is closed with 4003 (after a fatal
   * `ONAIR_RATE_LIMITED`). The address is the host app's `req.ip`: the socket's peer, or the client named by
   * `X-Forwarded-For` when the host sets Express's `trust proxy`. Loopback addresses are never limited (the host
   * itself, or a local proxy the app does not trust). Default 20, 1–1 000 000.
   */
  maxSocketsPerAddress?: number;
  /**
   * Control requests per socket (`hello`, `catalog`, `select`, `quality`, `feedback`, `viewer-limits`, and
   * messages that cannot be read): a token bucket of `burst`, refilled with `sustained` per `windowMs`. Past it,
   * the newest `catalog`, `select`, `quality`, `feedback` and `viewer-limits` wait for the next token (older ones
   * of the same type are dropped) and the rest are refused with `ONAIR_RATE_LIMITED`, at most once a second.
   * Default { burst: 20, sustained: 10, windowMs: 1 000 }.
   */
  controlRateLimit?: RateLimit;
  /** How long a channel keeps decoding after its last viewer leaves. Default 10 000 ms, 0–86 400 000. */
  idleTimeoutMs?: number;
  /** Start every channel at once and keep it running without viewers. Default false. */
  eager?: boolean;
  /** How often players are asked to send `feedback`. Default `DEFAULT_FEEDBACK_INTERVAL_MS` (500), 50–10 000. */
  feedbackIntervalMs?: number;
  /**
   * Longest an ffprobe run (the synchronous start-up probe included) or a thumbnail grab may take.
   * Default 10 000 ms, 500–120 000.
   */
  probeTimeoutMs?: number;
  /**
   * First delay before a failed channel decoder (or HLS packager) is restarted; doubles per failure.
   * Default 500 ms, 10–60 000.
   */
  restartDelayMs?: number;
  /** Longest delay between restarts of a failing decoder. Default 10 000 ms, ≥ `restartDelayMs`, ≤ 600 000. */
  maxRestartDelayMs?: number;
  /** Width of thumbnails (height follows the aspect ratio). Default 320, 16–3840. */
  thumbnailWidth?: number;
  /** How long a thumbnail is reused and may be cached by browsers. Default 5 000 ms, 0–3 600 000. */
  thumbnailMaxAgeMs?: number;
  /**
   * Asked before a WebSocket upgrade completes, on each `select` and on every catalog, thumbnail and HLS request
   * (role `viewer`: the catalog lists only what it admits, and a refused request starts no ffmpeg), on joining a
   * room (roles `chatter` and `moderator`, for `room.canChat` / `canModerate`), and on every REST request of the
   * chat routes, and (role `broadcaster`) on every `<mount>/streams` request that creates, starts, ends or removes
   * a stream. Default: everyone may watch and chat, nobody may moderate or manage streams.
   */
  authorize?: (context: AuthorizeContext) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Lets `POST <mount>/streams` name an ffmpeg `input` (a file path, URL, device or lavfi graph). ffmpeg reads
   * whatever the server's user can, so only turn this on when every caller `authorize` grants `broadcaster` is
   * trusted with the server's files and network. `live.streams.create()` always may. Default false: such a
   * request is refused (403 `ONAIR_FORBIDDEN`).
   */
  allowStreamInputs?: boolean;
  /**
   * Keep every broadcast (browser or RTMP) as a Matroska file to replay once its stream ended, unless the stream
   * says otherwise (`record` in `streams.create()` or the REST body). Default false.
   */
  record?: boolean;
  /**
   * Where recordings are written, one folder per recording (created when needed). The files stay when a stream is
   * removed or the server closes: they are the host's. Default null: `onair-recordings` in the OS temporary
   * directory.
   */
  recordingsDir?: string | null;
  /**
   * Allowed `Origin` headers for WebSocket upgrades (exact strings, e.g. `https://example.com`), or a predicate.
   * Requests without an Origin header (non-browser clients) are let through. Default: any origin.
   */
  origin?: readonly string[] | ((origin: string) => boolean);
  /**
   * CORS for the catalog, thumbnails and HLS (playlists and segments), so a player on another origin can load
   * them: `true` answers `Access-Control-Allow-Origin: *` without credentials (a token then travels in the URL's
   * query); a list of origins (exact strings) or a predicate answers only those, naming the origin and allowing
   * credentials (cookies); `false` sends no CORS headers. `OPTIONS` preflights are answered 204. The chat REST
   * routes and the WebSocket (see `origin`) are not covered. Default true.
   */
  cors?: CorsOption;
  /**
   * HLS packaging (one ffmpeg per channel, started by the first HLS request): `true` for the defaults, or
   * `HlsOptions`. Default false: no HLS routes, catalog `hlsUrl: null`.
   */
  hls?: boolean | HlsOptions;
  /**
   * Where the server's messages go, by level (see `LiveStreamLogger`): `(message, details)` methods like the
   * console's or winston's, or a pino logger (wrapped in `pinoLogger`, which a bunyan logger needs by hand).
   * Default: `console.error` and `console.warn`; `false` silences it.
   */
  logger?: LiveStreamLogger | false;
}

/** Options after defaults, as the rest of the package reads them. */
export interface ResolvedOptions {
  epochMs: number;
  maxFps: number;
  maxHeight: number | null;
  /** Null: no cap. */
  maxPixelRate: number | null;
  overPixelRate: 'scale' | 'refuse';
  ladder: readonly RungSpec[];
  /** Null: the middle of each channel's ladder. */
  initialRung: number | null;
  audioChunkMs: number;
  ackWindow: number;
  maxBufferedBytes: number;
  maxEncodesInFlight: number;
  heartbeatMs: number;
  helloTimeoutMs: number;
  maxSocketsPerAddress: number;
  controlRateLimit: RateLimit;
  idleTimeoutMs: number;
  eager: boolean;
  feedbackIntervalMs: number;
  probeTimeoutMs: number;
  restartDelayMs: number;
  maxRestartDelayMs: number;
  thumbnailWidth: number;
  thumbnailMaxAgeMs: number;
  authorize: LiveStreamOptions['authorize'] | undefined;
  allowStreamInputs: boolean;
  record: boolean;
  /** Absolute. */
  recordingsDir: string;
  isOriginAllowed: (origin: string) => boolean;
  /** Null: no CORS headers. */
  cors: CorsPolicy | null;
  logger: LiveStreamLogger;
  room: ResolvedRoomOptions;
  /** Null when HLS is off. */
  hls: ResolvedHlsOptions | null;
}

const OPTION_NAMES = new Set<string>([
  'epoch',
  'maxFps',
  'maxHeight',
  'maxPixelRate',
  'overPixelRate',
  'ladder',
  'initialRung',
  'audioChunkMs',
  'ackWindow',
  'maxBufferedBytes',
  'maxEncodesInFlight',
  'heartbeatMs',
  'helloTimeoutMs',
  'maxSocketsPerAddress',
  'controlRateLimit',
  'idleTimeoutMs',
  'eager',
  'feedbackIntervalMs',
  'probeTimeoutMs',
  'restartDelayMs',
  'maxRestartDelayMs',
  'thumbnailWidth',
  'thumbnailMaxAgeMs',
  'authorize',
  'allowStreamInputs',
  'record',
  'recordingsDir',
  'origin',
  'cors',
  'logger',
  'hls',
  ...ROOM_OPTION_NAMES,
] satisfies (keyof LiveStreamOptions)[]);

/** Limits of the numeric options with a fixed range; integers unless `integer: false`. */
const NUMBER_BOUNDS = {
  maxFps: { min: 1, max: 120, integer: false },
  maxHeight: { min: 16, max: 4320 },
  maxPixelRate: { min: 1_000_000, max: 4_000_000_000 },
  audioChunkMs: { min: 10, max: 1000 },
  ackWindow: { min: 1, max: 120 },
  maxBufferedBytes: { min: 64 * 1024, max: 256 * 1024 * 1024 },
  maxEncodesInFlight: { min: 1, max: 16 },
  heartbeatMs: { min: 50, max: 600_000 },
  helloTimeoutMs: { min: 100, max: 120_000 },
  maxSocketsPerAddress: { min: 1, max: 1_000_000 },
  idleTimeoutMs: { min: 0, max: 86_400_000 },
  feedbackIntervalMs: { min: 50, max: 10_000 },
  probeTimeoutMs: { min: 500, max: 120_000 },
  restartDelayMs: { min: 10, max: 60_000 },
  thumbnailWidth: { min: 16, max: 3840 },
  thumbnailMaxAgeMs: { min: 0, max: 3_600_000 },
} as const satisfies Partial<Record<keyof LiveStreamOptions, NumberBounds>>;

type BoundedOption = Exclude<keyof typeof NUMBER_BOUNDS, 'maxHeight' | 'maxPixelRate'>;

function resolveEpoch(value: LiveStreamOptions['epoch']): number {
  if (value === undefined) return LIVE_STREAM_DEFAULTS.epoch;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw optionError('epoch', 'a finite number of ms since the Unix epoch or a valid Date', value);
  }
  return ms;
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

function resolveMaxPixelRate(value: LiveStreamOptions['maxPixelRate']): number | null {
  if (value === null) return null;
  return numberOption('maxPixelRate', value, LIVE_STREAM_DEFAULTS.maxPixelRate, NUMBER_BOUNDS.maxPixelRate);
}

function resolveOverPixelRate(value: LiveStreamOptions['overPixelRate']): 'scale' | 'refuse' {
  if (value === undefined) return LIVE_STREAM_DEFAULTS.overPixelRate;
  if (value !== 'scale' && value !== 'refuse')
    throw optionError('overPixelRate', '"scale" or "refuse"', value);
  return value;
}

/** Applies defaults and checks every option; throws a `TypeError` naming the first bad one. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('liveStream: options must be an object');
  }
  refuseUnknownOptions(input, OPTION_NAMES);
  const options = input as LiveStreamOptions;
  const bounded = (name: BoundedOption) =>
    numberOption(name, options[name], LIVE_STREAM_DEFAULTS[name], NUMBER_BOUNDS[name]);

  const ladder = ladderOption(options.ladder, LIVE_STREAM_DEFAULTS.ladder);
  const maxHeight =
    options.maxHeight == null
      ? LIVE_STREAM_DEFAULTS.maxHeight
      : numberOption('maxHeight', options.maxHeight, 0, NUMBER_BOUNDS.maxHeight);
  const restartDelayMs = bounded('restartDelayMs');
  const maxRestartDelayMs = numberOption(
    'maxRestartDelayMs',
    options.maxRestartDelayMs,
    Math.max(LIVE_STREAM_DEFAULTS.maxRestartDelayMs, restartDelayMs),
    { min: restartDelayMs, max: 600_000 },
  );
  if (options.eager !== undefined && typeof options.eager !== 'boolean') {
    throw optionError('eager', 'a boolean', options.eager);
  }
  if (options.allowStreamInputs !== undefined && typeof options.allowStreamInputs !== 'boolean') {
    throw optionError('allowStreamInputs', 'a boolean', options.allowStreamInputs);
  }
  if (options.record !== undefined && typeof options.record !== 'boolean') {
    throw optionError('record', 'a boolean', options.record);
  }
  const { recordingsDir } = options;
  if (
    recordingsDir !== undefined &&
    recordingsDir !== null &&
    (typeof recordingsDir !== 'string' || recordingsDir.trim() === '' || recordingsDir.includes('\0'))
  ) {
    throw optionError('recordingsDir', 'a folder path or null', recordingsDir);
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw optionError('authorize', 'a function', options.authorize);
  }

  return {
    epochMs: resolveEpoch(options.epoch),
    maxFps: bounded('maxFps'),
    maxHeight,
    maxPixelRate: resolveMaxPixelRate(options.maxPixelRate),
    overPixelRate: resolveOverPixelRate(options.overPixelRate),
    ladder,
    initialRung:
      options.initialRung === undefined
        ? null
        : numberOption('initialRung', options.initialRung, 0, { min: 0, max: ladder.length - 1 }),
    audioChunkMs: bounded('audioChunkMs'),
    ackWindow: bounded('ackWindow'),
    maxBufferedBytes: bounded('maxBufferedBytes'),
    maxEncodesInFlight: bounded('maxEncodesInFlight'),
    heartbeatMs: bounded('heartbeatMs'),
    helloTimeoutMs: bounded('helloTimeoutMs'),
    maxSocketsPerAddress: bounded('maxSocketsPerAddress'),
    controlRateLimit: rateLimitOption(
      'controlRateLimit',
      options.controlRateLimit,
      LIVE_STREAM_DEFAULTS.controlRateLimit,
    ),
    idleTimeoutMs: bounded('idleTimeoutMs'),
    eager: options.eager ?? LIVE_STREAM_DEFAULTS.eager,
    feedbackIntervalMs: bounded('feedbackIntervalMs'),
    probeTimeoutMs: bounded('probeTimeoutMs'),
    restartDelayMs,
    maxRestartDelayMs,
    thumbnailWidth: bounded('thumbnailWidth'),
    thumbnailMaxAgeMs: bounded('thumbnailMaxAgeMs'),
    authorize: options.authorize,
    allowStreamInputs: options.allowStreamInputs ?? LIVE_STREAM_DEFAULTS.allowStreamInputs,
    record: options.record ?? LIVE_STREAM_DEFAULTS.record,
    recordingsDir: resolve(
      recordingsDir ?? LIVE_STREAM_DEFAULTS.recordingsDir ?? join(tmpdir(), 'onair-recordings'),
    ),
    isOriginAllowed: resolveOrigin(options.origin),
    cors: corsOption(options.cors, LIVE_STREAM_DEFAULTS.cors),
    logger: resolveLogger(options.logger),
    room: resolveRoomOptions(options),
    hls: resolveHlsOptions(options.hls),
  };
}
