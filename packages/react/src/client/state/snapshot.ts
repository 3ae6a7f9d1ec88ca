import type {
  AudioCodec,
  ErrorCode,
  QualityChangedMessage,
  StreamMessage,
  StreamStatusMessage,
  VideoInfo,
} from '@onair/protocol';
import type { TransportMode } from './transport-mode';

/** What the player is doing, as `data-state` on its root. */
export type LiveStreamStatus = 'idle' | 'connecting' | 'live' | 'buffering' | 'reconnecting' | 'error';

/** The `stream` message the server sent for the current video, without its `type`. */
export type StreamInfo = Omit<StreamMessage, 'type'>;

export type QualityMode = QualityChangedMessage['mode'];

/** One rendition of the HLS master playlist, as the quality menu offers it. */
export interface HlsLevel {
  /** Index in `hls.levels`: what `setQuality` takes. */
  index: number;
  /** "480p"; with the bitrate added when two renditions share a height ("480p 900 kbps"). */
  label: string;
  width: number;
  height: number;
  bitrateKbps: number;
}

/**
 * Errors the client raises itself, beside the server's `ErrorCode`s. Same prefix, so a log search finds both.
 * - `ONAIR_CONNECTION_FAILED`: reconnecting gave up (attempts exhausted) or the URL cannot be resolved.
 * - `ONAIR_BAD_SERVER_MESSAGE`: the server sent a message the protocol decoders refuse.
 * - `ONAIR_HLS_UNAVAILABLE`: HLS was asked for, but the video has no `hlsUrl` or the browser cannot play HLS.
 * - `ONAIR_HLS_FAILED`: HLS playback gave up recovering (attempts exhausted), or hls.js could not be loaded.
 * A failed HTTP catalog is not an error of the player: it shows in `catalogError`.
 */
export const ClientErrorCode = {
  ConnectionFailed: 'ONAIR_CONNECTION_FAILED',
  BadServerMessage: 'ONAIR_BAD_SERVER_MESSAGE',
  HlsUnavailable: 'ONAIR_HLS_UNAVAILABLE',
  HlsFailed: 'ONAIR_HLS_FAILED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export interface LiveStreamError {
  code: ErrorCode | ClientErrorCode;
  message: string;
  /** True when the client stopped (or never started) playing because of it. */
  fatal: boolean;
}

export interface LiveStreamStats {
  /** Frames put on screen over the last second. */
  fps: number;
  rung: number | null;
  /** JPEG quality of the rung (ladder[rung]); null over HLS. */
  quality: number | null;
  /** Over HLS: the rendition playing ("480p"), whose index is `rung`. Null over WebSocket. */
  level: string | null;
  /** Video buffered ahead of the playhead (at a reduced rate, a frame stands until the next one is due). */
  bufferMs: number;
  /**
   * `Date.now() − timestamp` of the frame on screen: glass-to-glass delay when the server's channel epoch is 0
   * (the default) and both clocks agree, e.g. server and browser on one machine or NTP-synced. Null before the
   * first frame.
   */
  latencyMs: number | null;
  /** Media bytes received over the last second, in kilobits per second. */
  bitrateKbps: number;
  /** Frames never shown since the stream started. */
  droppedFrames: number;
  /** Frames shown after their time since the stream started. */
  lateFrames: number;
  /** JPEG decode time per frame over the last report interval (overlapping decodes counted once). */
  decodeMs: number;
  /**
   * Of `droppedFrames`, those the player dropped because its own decode or render could not keep up (a busy
   * CPU), not because they came late: reported to the server as `feedback.renderDroppedFrames`.
   */
  renderDroppedFrames: number;
  /** The frame rate this player asked the server not to exceed (`viewer-limits`) because its CPU lags; null: none. */
  maxFps: number | null;
  /**
   * How the sound plays: `worklet` (AudioWorklet ring buffer), `scheduled` (AudioBufferSourceNodes, where there is
   * no AudioWorklet: plain http on a LAN address), `element` (HLS's `<video>`), or `none` (no audio).
   */
  audioPath: AudioPath;
  /** The codec the server sends audio in (`stream.audio.codec`); null without audio or over HLS. */
  audioCodec: AudioCodec | null;
  /** `playing` while sound is heard, `silent` while the stream has audio and none plays, `none` without audio. */
  audioState: AudioState;
  /** Milliseconds of silence inserted after the sound first started (underruns, stalls) since the stream started. */
  audioGapMs: number;
  /** Milliseconds of sound played since the stream started. */
  audioPlayedMs: number;
  /**
   * The audio playout delay in use now, ms: `audioBufferMs` and what underruns added to it. Null without an audio
   * path.
   */
  audioDelayMs: number | null;
  /**
   * How far behind the live edge the picture on screen is, ms: WebSocket, the channel clock now minus the frame
   * shown; HLS, hls.js's distance to the live edge. Null before anything plays.
   */
  liveDistanceMs: number | null;
  /** Whether `liveDistanceMs` is within the live threshold (`liveThresholdMs`); true before anything plays. */
  atLiveEdge: boolean;
  /**
   * How far behind the live edge the sound heard is, ms (WebSocket: the channel clock now minus the audio clock,
   * which the picture follows). Null while no sound plays, and over HLS.
   */
  audioDistanceMs: number | null;
}

/** How the sound of the stream reaches the speakers; see `LiveStreamStats.audioPath`. */
export type AudioPath = 'worklet' | 'scheduled' | 'element' | 'none';

/** Whether sound is heard; see `LiveStreamStats.audioState`. */
export type AudioState = 'playing' | 'silent' | 'none';

/** Everything a UI needs, as one immutable object: a new object only when something in it changed. */
export interface LiveStreamSnapshot {
  status: LiveStreamStatus;
  /**
   * What plays: the active playback's name (`data-transport`), "hls", or the name of the `Transport` the
   * WebSocket playback runs on ("ws", "mock"). What was asked for is `transportMode`.
   */
  transport: string;
  /** What was asked for: WebSocket, HLS, or WebSocket falling back to HLS ("auto"). */
  transportMode: TransportMode;
  /** The server welcomed us on the current connection. */
  connected: boolean;
  /** Retry number of the reconnect under way; 0 when connected. */
  reconnectAttempt: number;
  /** Null until the catalog arrives (over the socket, or `GET <url>/videos` as the fallback). */
  catalog: readonly VideoInfo[] | null;
  catalogError: string | null;
  /** The video asked for (it plays once the server answers with `stream`). */
  videoId: string | null;
  stream: StreamInfo | null;
  /**
   * The selected video is not on air, as the server said (`stream-status`): `scheduled`, `ended`, `cancelled`,
   * `removed`, or `live` while it waits for its broadcaster. Null while it plays or is being asked for.
   */
  offAir: StreamStatusMessage['status'] | null;
  /** JPEG qualities of the server's ladder (from `welcome`). */
  ladder: readonly number[];
  rung: number | null;
  quality: number | null;
  /** The rung's label for people ("480p · high", from `stream.rungs`); null from servers that send no rungs. */
  rungLabel: string | null;
  qualityMode: QualityMode;
  /** Over HLS: the renditions of the master playlist, for the quality menu. Empty over WebSocket. */
  hlsLevels: readonly HlsLevel[];
  /** Over HLS: the level the viewer locked, or -1 for automatic (hls.js picks by bandwidth). */
  hlsLevel: number;
  playing: boolean;
  muted: boolean;
  /** 0 to 1. */
  volume: number;
  /** The stream has audio but the browser's autoplay policy holds it until a user gesture (`enableAudio`). */
  audioBlocked: boolean;
  stats: LiveStreamStats;
  error: LiveStreamError | null;
}

export const EMPTY_STATS: LiveStreamStats = Object.freeze({
  fps: 0,
  rung: null,
  quality: null,
  level: null,
  bufferMs: 0,
  latencyMs: null,
  bitrateKbps: 0,
  droppedFrames: 0,
  lateFrames: 0,
  decodeMs: 0,
  renderDroppedFrames: 0,
  maxFps: null,
  audioPath: 'none',
  audioCodec: null,
  audioState: 'none',
  audioGapMs: 0,
  audioPlayedMs: 0,
  audioDelayMs: null,
  liveDistanceMs: null,
  atLiveEdge: true,
  audioDistanceMs: null,
});

export function initialSnapshot(transport: string, transportMode: TransportMode): LiveStreamSnapshot {
  return Object.freeze({
    status: 'idle',
    transport: transportMode === 'hls' ? 'hls' : transport,
    transportMode,
    connected: false,
    reconnectAttempt: 0,
    catalog: null,
    catalogError: null,
    videoId: null,
    stream: null,
    offAir: null,
    ladder: [],
    rung: null,
    quality: null,
    rungLabel: null,
    qualityMode: 'auto',
    hlsLevels: [],
    hlsLevel: -1,
    playing: true,
    muted: false,
    volume: 1,
    audioBlocked: false,
    stats: EMPTY_STATS,
    error: null,
  });
}
