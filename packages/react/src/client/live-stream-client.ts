import { VIDEO_ID_PATTERN } from '@onair/protocol';
import { CatalogLoader } from './catalog/catalog-loader';
import { type LiveStreamEndpoints, resolveEndpoints } from './connection/endpoints';
import { HlsChannel } from './hls/hls-channel';
import { loadHlsJs } from './hls/hls-js';
import {
  DEFAULT_CLIENT_OPTIONS,
  type LiveStreamClientOptions,
  resolveClientOptions,
  validateClientOptions,
  validateKnobs,
} from './options';
import { Playout } from './playout/playout';
import type { RoomSnapshot } from './room/room-snapshot';
import { RoomStore, type SendChatResult } from './room/room-store';
import { ProtocolSession } from './session/protocol-session';
import { initialSnapshot, type LiveStreamSnapshot } from './state/snapshot';
import { SnapshotStore } from './state/snapshot-store';
import { isTransportMode, type TransportMode } from './transport/transport-mode';
import { TransportSwitch } from './transport/transport-switch';
import { createWebSocketTransport } from './transport/websocket-transport';

/** Playout knobs that can change while connected. */
export interface LiveStreamKnobs {
  videoBufferMs?: number;
  audioBufferMs?: number;
  videoFps?: number;
}

/**
 * The framework-free player: one connection to an OnAir server and the playout of what it sends. UIs read it
 * with `subscribe`/`getSnapshot` (made for `useSyncExternalStore`). The constructor has no side effects (no
 * socket, no DOM, no AudioContext), so a client can be built during SSR and connected in an effect.
 */
export class LiveStreamClient {
  private readonly store: SnapshotStore<LiveStreamSnapshot>;
  private readonly serverSnapshot: LiveStreamSnapshot;
  private readonly playout: Playout;
  private readonly session: ProtocolSession;
  private readonly room: RoomStore;
  private readonly hls: HlsChannel;
  private readonly catalog: CatalogLoader;
  private readonly transports: TransportSwitch;
  private endpoints: LiveStreamEndpoints;

  constructor(private readonly options: LiveStreamClientOptions) {
    validateClientOptions(options);
    const settings = resolveClientOptions(options);
    const transport = options.transport ?? createWebSocketTransport();
    const mode = settings.transportMode;
    this.serverSnapshot = initialSnapshot(transport.name, mode);
    this.store = new SnapshotStore(this.serverSnapshot);
    const { reconnect } = settings;
    this.hls = new HlsChannel(this.store, { loadHls: options.loadHls ?? loadHlsJs, reconnect });
    this.endpoints = resolveEndpoints(options.url, pageUrl());
    this.playout = new Playout({
      videoBufferMs: settings.videoBufferMs,
      audioBufferMs: settings.audioBufferMs,
      onPlaybackState: (state) => this.session.playbackChanged(state),
      onAudioState: () => this.store.update({ audioBlocked: this.playout.audioBlocked }),
    });
    this.room = new RoomStore((message) => this.session.sendIfConnected(message), settings.room);
    this.session = new ProtocolSession(this.store, this.playout, this.room, {
      transport,
      reconnect,
      initialVideoId: options.initialVideoId,
      videoFps: options.videoFps,
      assetUrl: (path) => this.endpoints.assetUrl(path),
      onConnectionState: (state) => this.transports.connectionState(state),
    });
    this.catalog = new CatalogLoader({
      store: this.store,
      fetch: options.fetch ?? (typeof fetch === 'function' ? fetch : undefined),
      videosUrl: () => this.endpoints.videosUrl,
      apply: (videos) => this.session.applyCatalog(videos),
    });
    this.transports = new TransportSwitch(
      {
        store: this.store,
        session: this.session,
        hls: this.hls,
        transportName: transport.name,
        url: options.url,
        autoFallback: settings.autoFallback,
        loadCatalog: () => this.loadCatalog(),
      },
      mode,
    );
    if (options.initialVideoId) this.store.update({ videoId: options.initialVideoId });
    this.serverSnapshot = this.store.get();
  }

  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);
  readonly getSnapshot = (): LiveStreamSnapshot => this.store.get();
  /** The snapshot before any connection: what SSR renders and hydration starts from. */
  readonly getServerSnapshot = (): LiveStreamSnapshot => this.serverSnapshot;

  /** The room of the selected video (chat, reactions, viewer count), for `useSyncExternalStore` like the above. */
  readonly subscribeRoom = (listener: () => void): (() => void) => this.room.subscribe(listener);
  readonly getRoomSnapshot = (): RoomSnapshot => this.room.getSnapshot();
  readonly getServerRoomSnapshot = (): RoomSnapshot => this.room.getServerSnapshot();

  /**
   * Sends a chat message to the selected video's room. It shows at once as pending (with a fresh clientId);
   * refused here, with the reason, when empty, too long, or while the chat is not open.
   */
  sendChat(text: string, displayName?: string): SendChatResult {
    if (typeof text !== 'string') throw new TypeError('sendChat: `text` must be a string');
    return this.room.sendChat(text, displayName);
  }

  /** Resends a failed chat message with the same clientId, so the server stores it once. */
  retryChat(clientId: string): void {
    this.room.retryChat(clientId);
  }

  /** Moderators: deletes a chat message for everyone. */
  deleteChat(messageId: string): void {
    this.room.deleteChat(messageId);
  }

  /** Moderators: pins a chat message, or unpins with null. */
  pinChat(messageId: string | null): void {
    this.room.pinChat(messageId);
  }

  /** Sends a reaction (x, y in 0..1 over the picture) and floats it at once; false when nothing was sent. */
  react(emoji: string, x?: number, y?: number): boolean {
    return this.room.react(emoji, x, y);
  }

  /** Dismisses the room's last error (a refused reaction or moderation). */
  clearRoomError(): void {
    this.room.clearError();
  }

  /**
   * WebSocket, HLS, or WebSocket falling back to HLS. While connected, a new mode starts over with it (the
   * selected video stays).
   */
  setTransportMode(mode: TransportMode): void {
    if (!isTransportMode(mode))
      throw new TypeError(`setTransportMode: ${JSON.stringify(mode)} is not ws, hls or auto`);
    if (mode === this.transports.mode) return;
    this.transports.setMode(mode);
    this.store.update({ transportMode: mode });
    if (this.transports.isStarted) this.reconnect();
  }

  /** Opens the connection (or starts HLS, with the socket beside it for the room); also after `close`. */
  connect(): void {
    if (this.transports.isStarted) return;
    this.endpoints = resolveEndpoints(this.options.url, pageUrl());
    this.transports.start(this.endpoints.socketUrl);
  }

  /** Closes the connection and releases audio. The client stays usable: `connect` opens it again. */
  close(): void {
    this.transports.stop();
    this.playout.dispose();
    this.store.update({ audioBlocked: false });
  }

  /** Starts over after an error: a new connection, the same video. */
  reconnect(): void {
    this.close();
    this.connect();
  }

  /** Switches to a video (the server answers with `stream`, then media). */
  select(videoId: string): void {
    if (typeof videoId !== 'string' || !VIDEO_ID_PATTERN.test(videoId)) {
      throw new TypeError(`select: ${JSON.stringify(videoId)} is not a video id`);
    }
    this.session.select(videoId);
    this.hls.sync();
  }

  /**
   * Locks this viewer to one rung of the ladder, or hands the choice back to the server ('auto'). Over HLS, the
   * number is an index in `hlsLevels` and 'auto' is hls.js's bandwidth estimate.
   */
  setQuality(rung: number | 'auto'): void {
    if (rung !== 'auto' && !(Number.isInteger(rung) && rung >= 0 && rung <= 255)) {
      throw new TypeError(`setQuality: ${JSON.stringify(rung)} is not a rung or 'auto'`);
    }
    if (this.hls.isActive) {
      this.hls.setLevel(rung === 'auto' ? -1 : rung);
      return;
    }
    // Shown at once so a quality menu does not snap back; the server's `quality-changed` confirms it.
    if (rung === 'auto') this.store.update({ qualityMode: 'auto' });
    else this.store.update({ qualityMode: 'locked', rung, quality: this.store.get().ladder[rung] ?? null });
    this.session.setQuality(rung);
  }

  /** Resumes at the live edge (a live player has nothing to catch up on). */
  play(): void {
    this.store.update({ playing: true });
    this.playout.setPaused(false);
    this.hls.playback.setPaused(false);
    void this.enableAudio();
  }

  /** Holds the last frame and silences audio; frames still arriving are acked and discarded. */
  pause(): void {
    this.store.update({ playing: false });
    this.playout.setPaused(true);
    this.hls.playback.setPaused(true);
  }

  togglePlay(): void {
    if (this.store.get().playing) this.pause();
    else this.play();
  }

  setMuted(muted: boolean): void {
    this.store.update({ muted });
    this.playout.setVolume(this.store.get().volume, muted);
    this.hls.playback.setVolume(this.store.get().volume, muted);
    if (!muted) void this.enableAudio();
  }

  toggleMuted(): void {
    this.setMuted(!this.store.get().muted);
  }

  /** 0 to 1; raising the volume of a muted player unmutes it, as media players do. */
  setVolume(volume: number): void {
    if (!Number.isFinite(volume)) throw new TypeError(`setVolume: ${volume} is not a number`);
    const clamped = Math.min(1, Math.max(0, volume));
    const muted = clamped > 0 ? false : this.store.get().muted;
    this.store.update({ volume: clamped, muted });
    this.playout.setVolume(clamped, muted);
    this.hls.playback.setVolume(clamped, muted);
  }

  /** Starts audio the autoplay policy held back. Call it from a user gesture (a click, a key press). */
  async enableAudio(): Promise<void> {
    if (this.hls.isActive) {
      // HLS publishes its own audioBlocked; a refusal leaves it set and the button offered.
      await this.hls.playback.enableAudio().catch(() => {});
      return;
    }
    try {
      await this.playout.enableAudio();
    } catch {
      // Still blocked (no gesture): the snapshot keeps saying so and the player keeps offering the button.
    } finally {
      this.store.update({ audioBlocked: this.playout.audioBlocked });
    }
  }

  /** The canvas frames are drawn on; null detaches it. */
  attachCanvas(canvas: HTMLCanvasElement | null): void {
    this.playout.attachCanvas(canvas);
  }

  /** The `<video>` HLS plays into; null detaches it. */
  attachVideo(video: HTMLVideoElement | null): void {
    this.hls.playback.attachVideo(video);
  }

  /** Changes the playout knobs without reconnecting; a new `videoFps` goes out with a new `select`. */
  updateOptions(knobs: LiveStreamKnobs): void {
    validateKnobs(knobs);
    this.playout.setBufferTargets(
      knobs.videoBufferMs ?? DEFAULT_CLIENT_OPTIONS.videoBufferMs,
      knobs.audioBufferMs ?? DEFAULT_CLIENT_OPTIONS.audioBufferMs,
    );
    this.session.setVideoFps(knobs.videoFps);
  }

  /** `GET <url>/videos` unless the catalog is known; the socket's catalog wins when both arrive. */
  loadCatalog(): Promise<void> {
    return this.catalog.load();
  }
}

function pageUrl(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.href;
}
