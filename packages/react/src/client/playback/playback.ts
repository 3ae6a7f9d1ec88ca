import type { LiveStreamSnapshot } from '../state/snapshot';

/** What a playback says of itself: the part of the snapshot the playback switch writes from the active one. */
export type PlaybackState = Pick<LiveStreamSnapshot, 'status' | 'stats' | 'error' | 'audioBlocked'>;

/**
 * One way to bring the selected video's picture and sound to the viewer: over the WebSocket (`WsPlayback`) or
 * over HLS (`HlsPlayback`). The playback switch starts one at a time, gives it the viewer's controls, and is the
 * only writer of what it says into the snapshot, so a playback never checks whether it is the active one. A
 * third transport is a third implementation of this interface, and nothing else.
 */
export interface Playback<Surface extends HTMLElement = HTMLElement> {
  /** Names it on the player's root as `data-transport` (the snapshot's `transport`). */
  readonly name: string;
  /** For `useSyncExternalStore`-style reading, like the client itself. */
  subscribe(listener: () => void): () => void;
  getState(): PlaybackState;
  /** Starts playing the selected video. */
  start(): void;
  /** Stops playing and lets go of what it held (audio, decoders); it may be started again. */
  stop(): void;
  /** The selected video changed, or the catalog it is looked up in arrived. */
  sync(): void;
  /** Whether it has something to play for the selected video (what `auto` checks before falling back to it). */
  canPlay(): Promise<boolean>;
  /** Paused holds the picture; playing again resumes at the live edge. */
  setPaused(paused: boolean): void;
  setVolume(volume: number, muted: boolean): void;
  /** Starts audio the autoplay policy held back (call from a user gesture); `audioBlocked` says if it worked. */
  enableAudio(): Promise<void>;
  /**
   * Back to the live edge (the LIVE badge's click): over WebSocket the jitter buffer flushes to its newest frame,
   * over HLS the playhead seeks to the live sync position.
   */
  jumpToLive(): void;
  /** A rung of the JPEG ladder over WebSocket, an index in `hlsLevels` over HLS; 'auto' either way. */
  setQuality(choice: number | 'auto'): void;
  /** The element it draws or plays into; null detaches it. */
  attach(surface: Surface | null): void;
}
