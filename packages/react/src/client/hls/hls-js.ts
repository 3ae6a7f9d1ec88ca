import type { HlsLevel } from '../state/snapshot';

// Everything the player knows of hls.js the library: the part of its API it uses, how it is loaded, how it is
// configured for a live channel, whether it can run here, and its renditions as the quality menu shows them.

/**
 * The part of hls.js the player uses, written out so the client depends on a shape, not on the module: hls.js is
 * only ever loaded with a dynamic import (SSR-safe, and pages that stay on WebSocket never download it), and
 * tests drive the player with a fake of this shape.
 */
export interface HlsLevelInfo {
  readonly width: number;
  readonly height: number;
  /** Declared bandwidth of the rendition (BANDWIDTH in the master playlist), bits per second. */
  readonly bitrate: number;
}

export interface HlsErrorData {
  readonly type: string;
  readonly details: string;
  readonly fatal: boolean;
  /** The URL that failed to load (network errors). */
  readonly url?: string;
  /** The answer to a failed load: `code` is the HTTP status, 0 when the browser gave none (CORS, no network). */
  readonly response?: {
    readonly url?: string;
    readonly code?: number;
    readonly text?: string;
    readonly data?: unknown;
  };
  /** The XMLHttpRequest (or fetch Response) of a failed load. */
  readonly networkDetails?: unknown;
}

export type HlsEventListener = (event: string, data: unknown) => void;

export interface HlsInstance {
  readonly levels: readonly HlsLevelInfo[];
  /** The level playing; setting it locks that level (-1 hands the choice back to the ABR controller). */
  currentLevel: number;
  /** Where playback should be to sit `liveSyncDuration(Count)` behind the live edge; null before a playlist. */
  readonly liveSyncPosition: number | null;
  /** Seconds behind the live edge of the playlist. */
  readonly latency: number;
  /** Seconds behind the live edge hls.js aims for; null before a playlist. */
  readonly targetLatency?: number | null;
  /** Wall-clock time of the playhead, from EXT-X-PROGRAM-DATE-TIME. */
  readonly playingDate: Date | null;
  on(event: string, listener: HlsEventListener): void;
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  startLoad(startPosition?: number): void;
  recoverMediaError(): void;
  swapAudioCodec(): void;
  destroy(): void;
}

export interface HlsConstructor {
  new (config: Record<string, unknown>): HlsInstance;
  isSupported(): boolean;
  readonly Events: {
    readonly MANIFEST_PARSED: string;
    readonly LEVEL_SWITCHED: string;
    readonly FRAG_BUFFERED: string;
    readonly ERROR: string;
  };
  readonly ErrorTypes: { readonly NETWORK_ERROR: string; readonly MEDIA_ERROR: string };
}

/** How the client gets hls.js; the default is the dynamic import of `loadHlsJs`. */
export type HlsLoader = () => Promise<HlsConstructor>;

let loading: Promise<HlsConstructor> | null = null;

/**
 * hls.js, imported on first use only: nothing at module scope, so the kit renders on the server, and a page
 * that never plays HLS never downloads it (Vite and tsup keep a dynamic import as its own chunk). Its light build:
 * our playlists have muxed audio, no subtitles, DRM, CMCD or interstitials, and everything we call is in it, for
 * about two thirds of the download (issue 11).
 */
export function loadHlsJs(): Promise<HlsConstructor> {
  loading ??= import('hls.js/light').then(
    // hls.js types `on` with its own event map; the player only relies on the structural subset above.
    (module) => module.default as unknown as HlsConstructor,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * hls.js settings for a live channel (issue 11: a viewer joining a running channel sat 3.3–3.8 s behind, twice a
 * cold join). A warm join started `liveSyncDurationCount` target durations before the end of the first playlist it
 * loaded, which was already up to a segment old, plus the start-up time, and stayed there: hls.js only catches up
 * (up to 1.5×, `maxLiveSyncPlaybackRate`, barely audible, while more than 1 s is buffered) in `lowLatencyMode`,
 * which was off. Now it is on, and the target is 1.5 target durations behind the live edge hls.js estimates (the
 * newest segment's end plus the playlist's age): the playhead needs the next segment by the time it reaches the
 * end of the newest, which is one segment plus the listing and download delay behind the clock, so one target
 * duration stalled on a busy machine and 1.5 leaves half a segment for that delay. `lowLatencyMode` also makes
 * hls.js hold a request open for the next segment (the server's blocking playlist reload,
 * `EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES`) instead of polling once a target duration, so each segment arrives
 * as soon as it is listed. After a stall hls.js adds 1 s to its target (`liveSyncOnStallIncrease`), up to one target
 * duration. hls.js catches up only within one target duration of its target (further is "DVR playback" to it), so
 * a start that took seconds (a busy machine: 5.4 s behind, flat, with a limit of five) is left to the jump back
 * to the edge, which comes past four target durations behind the newest segment's end.
 */
export const HLS_LIVE_CONFIG = {
  liveSyncDurationCount: 1.5,
  liveMaxLatencyDurationCount: 4,
  maxLiveSyncPlaybackRate: 1.5,
  // A live player never seeks back far: keep the back buffer small so memory stays flat over hours.
  backBufferLength: 10,
  // Blocking playlist reload; our playlists have no partial segments, so nothing else of LL-HLS applies.
  lowLatencyMode: true,
} as const;

/** hls.js over Media Source Extensions, the browser's own HLS, or nothing that can play it. */
export type HlsEngineKind = 'hls.js' | 'native' | 'unsupported';

export interface HlsEngineSupport {
  /** `Hls.isSupported()`: MSE or ManagedMediaSource with H.264/AAC. */
  hlsJsSupported: boolean;
  /** `video.canPlayType('application/vnd.apple.mpegurl')` is not empty. */
  canPlayNativeHls: boolean;
}

/**
 * hls.js whenever it can run, native HLS only where it cannot (iOS Safari before ManagedMediaSource). Desktop
 * Chromium answers `canPlayType` "maybe" for HLS on some builds without really playing it, so that answer is
 * never trusted on its own; and hls.js on Safari 17+ uses ManagedMediaSource, which keeps ABR and stats ours.
 */
export function chooseHlsEngine(support: HlsEngineSupport): HlsEngineKind {
  if (support.hlsJsSupported) return 'hls.js';
  return support.canPlayNativeHls ? 'native' : 'unsupported';
}

export function canPlayNativeHls(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}

/** The renditions of the master playlist, named for the quality menu. */
export function toHlsLevels(levels: readonly HlsLevelInfo[]): HlsLevel[] {
  const heights = levels.map((level) => level.height);
  return levels.map((level, index) => {
    const bitrateKbps = Math.round(level.bitrate / 1000);
    const shared = heights.filter((height) => height === level.height).length > 1;
    const label =
      level.height > 0
        ? shared
          ? `${level.height}p ${bitrateKbps} kbps`
          : `${level.height}p`
        : `${bitrateKbps} kbps`;
    return { index, label, width: level.width, height: level.height, bitrateKbps };
  });
}
