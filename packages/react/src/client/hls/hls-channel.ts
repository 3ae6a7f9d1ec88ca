import type { ReconnectOptions } from '../connection/reconnect-backoff';
import {
  ClientErrorCode,
  EMPTY_STATS,
  type LiveStreamError,
  type LiveStreamSnapshot,
} from '../state/snapshot';
import { type SnapshotStore, shallowEqual } from '../state/snapshot-store';
import type { HlsLoader } from './hls-js';
import { HlsPlayback, type HlsPlaybackState } from './hls-playback';

/**
 * The client's HLS side: plays the `hlsUrl` of the selected video from the catalog, and writes what playback
 * does into the client's snapshot while it is the active transport (the WebSocket session stays silent then).
 */
export class HlsChannel {
  readonly playback: HlsPlayback;
  private active = false;
  /** Why nothing can play, found before playback starts (no catalog, a video without HLS). */
  private problem: LiveStreamError | null = null;
  private state: HlsPlaybackState = {
    status: 'idle',
    levels: [],
    stats: EMPTY_STATS,
    error: null,
    audioBlocked: false,
  };

  constructor(
    private readonly store: SnapshotStore<LiveStreamSnapshot>,
    options: { loadHls: HlsLoader; reconnect: ReconnectOptions },
  ) {
    this.playback = new HlsPlayback({
      ...options,
      onChange: (state) => {
        this.state = state;
        this.publish();
      },
    });
  }

  get isActive(): boolean {
    return this.active;
  }

  start(): void {
    this.active = true;
    this.store.update({ transport: 'hls', hlsLevel: this.playback.chosenLevel });
    this.sync();
  }

  stop(): void {
    this.active = false;
    this.problem = null;
    this.playback.stop();
    this.store.update({ hlsLevels: [] });
  }

  /** The catalog or the selected video changed: play the right playlist, or say why none can play. */
  sync(): void {
    if (!this.active) return;
    const { catalog, catalogError, videoId } = this.store.get();
    const video = catalog?.find((entry) => entry.id === videoId);
    this.problem = null;
    if (!catalog && catalogError) {
      this.problem = {
        code: ClientErrorCode.ConnectionFailed,
        message: `could not load the catalog: ${catalogError}`,
        fatal: true,
      };
    } else if (video && !video.hlsUrl) {
      this.problem = {
        code: ClientErrorCode.HlsUnavailable,
        message: `"${video.title}" is not offered over HLS`,
        fatal: true,
      };
    }
    this.playback.load(this.problem ? null : (video?.hlsUrl ?? null));
    this.publish();
  }

  setLevel(level: number): void {
    this.store.update({ hlsLevel: level });
    this.playback.setLevel(level);
  }

  private publish(): void {
    if (!this.active) return;
    const { status, levels, stats, error, audioBlocked } = this.state;
    const waitingForCatalog = status === 'idle' && this.store.get().catalog === null;
    this.store.update({
      status: this.problem ? 'error' : waitingForCatalog ? 'connecting' : status,
      error: this.problem ?? error,
      hlsLevels: levels,
      audioBlocked,
    });
    if (!shallowEqual(stats, this.store.get().stats)) this.store.update({ stats });
  }
}
