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

/** How the client gets hls.js; the default is the dynamic import in `load-hls.ts`. */
export type HlsLoader = () => Promise<HlsConstructor>;
