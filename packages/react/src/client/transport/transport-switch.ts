import type { HlsChannel } from '../hls/hls-channel';
import type { ProtocolSession } from '../session/protocol-session';
import { ClientErrorCode, type LiveStreamSnapshot } from '../state/snapshot';
import type { SnapshotStore } from '../state/snapshot-store';
import { AutoFallback, type AutoFallbackOptions } from './auto-fallback';
import type { TransportMode } from './transport-mode';

export interface TransportSwitchDeps {
  store: SnapshotStore<LiveStreamSnapshot>;
  session: ProtocolSession;
  hls: HlsChannel;
  /** The WebSocket transport's name, shown as `data-transport` while it plays. */
  transportName: string;
  /** The `url` option, for the error when it cannot be resolved. */
  url: string;
  autoFallback: AutoFallbackOptions;
  loadCatalog(): Promise<void>;
}

/**
 * Which transport carries the picture, and the socket beside it. `ws` (and `auto` until it falls back) plays
 * media over the socket; `hls` plays the playlist while the socket, with its usual reconnects, carries the room
 * only (`select` with `media: false`), so chat, reactions and the viewer count work beside either. Once `auto`
 * has fallen back it stays on HLS: the socket may come back later, but only for the room, so the picture does
 * not jump between transports.
 */
export class TransportSwitch {
  private started = false;
  private readonly fallback: AutoFallback;

  constructor(
    private readonly deps: TransportSwitchDeps,
    private current: TransportMode,
  ) {
    this.fallback = new AutoFallback(deps.autoFallback, () => void this.fallBackToHls());
  }

  get mode(): TransportMode {
    return this.current;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Takes effect at the next `start`. */
  setMode(mode: TransportMode): void {
    this.current = mode;
  }

  /** `socketUrl` null: the `url` option could not be resolved (a relative URL without a page). */
  start(socketUrl: string | null): void {
    if (this.started) return;
    this.started = true;
    const { session, store } = this.deps;
    if (this.current === 'hls') {
      this.startHls();
      if (socketUrl !== null) session.start(socketUrl);
      return;
    }
    session.setMedia(true);
    store.update({ transport: this.deps.transportName });
    if (socketUrl === null) {
      session.fail(
        ClientErrorCode.ConnectionFailed,
        `cannot resolve "${this.deps.url}" without a page URL`,
        true,
      );
      return;
    }
    if (this.current === 'auto') this.fallback.arm();
    session.start(socketUrl);
  }

  stop(): void {
    this.started = false;
    this.fallback.disarm();
    this.deps.hls.stop();
    this.deps.session.stop();
    this.deps.session.setMedia(true);
  }

  /** What the session learned of its socket: `auto` judges the WebSocket by it. */
  connectionState(state: 'welcomed' | 'failed'): void {
    if (state === 'welcomed') this.fallback.connected();
    else this.fallback.connectionFailed();
  }

  private startHls(): void {
    this.deps.session.setMedia(false);
    this.deps.hls.start();
    void this.deps.loadCatalog().then(() => this.deps.hls.sync());
  }

  /** `auto` with a WebSocket that does not connect: switch to HLS, if the video offers it. */
  private async fallBackToHls(): Promise<void> {
    await this.deps.loadCatalog();
    const { catalog, videoId, connected } = this.deps.store.get();
    if (!this.started || connected || this.deps.hls.isActive || this.current !== 'auto') return;
    if (!catalog?.find((video) => video.id === videoId)?.hlsUrl) return;
    this.fallback.disarm();
    // The socket keeps retrying with its backoff, now for the room only.
    this.startHls();
  }
}
