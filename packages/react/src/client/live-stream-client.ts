import { VIDEO_ID_PATTERN } from '@onair/protocol';
import { CatalogLoader } from './catalog/catalog-loader';
import { type LiveStreamEndpoints, resolveEndpoints } from './connection/endpoints';
import { loadHlsJs } from './hls/hls-js';
import {
  DEFAULT_CLIENT_OPTIONS,
  DEFAULT_WS_LIVE_THRESHOLD_MS,
  type LiveStreamClientOptions,
  resolveClientOptions,
  validateClientOptions,
  validateKnobs,
} from './options';
import { HlsPlayback } from './playback/hls-playback';
import { PlaybackSwitch } from './playback/playback-switch';
import { WsPlayback } from './playback/ws-playback';
import type { RoomSnapshot } from './room/room-snapshot';
import { RoomStore, type SendChatResult } from './room/room-store';
import { ProtocolSession } from './session/protocol-session';
import { initialSnapshot, type LiveStreamSnapshot } from './state/snapshot';
import { SnapshotStore } from './state/snapshot-store';
import { isTransportMode, type TransportMode } from './state/transport-mode';
import { createWebSocketTransport } from './transport/websocket-transport';

/** Playout knobs that can change while connected. */
export interface LiveStreamKnobs {
  videoBufferMs?: number;
  audioBufferMs?: number;
  videoFps?: number;
}

/**
 * The framework-free player: one connection to an OnAir server and the playback of what it serves. UIs read it
 * with `subscribe`/`getSnapshot` (made for `useSyncExternalStore`). The constructor has no side effects (no
 * socket, no DOM, no AudioContext), so a client can be built during SSR and connected in an effect.
 *
 * What it wires: the protocol session (the socket, and the room it routes to the room store), the two playbacks
 * (WebSocket, HLS), and the switch that runs one of them and alone writes its status into the snapshot. Controls
 * go to the active playback only.
 */
export class LiveStreamClient {
  private readonly store: SnapshotStore<LiveStreamSnapshot>;
  private readonly serverSnapshot: LiveStreamSnapshot;
  private readonly session: ProtocolSession;
  private readonly room: RoomStore;
  private readonly catalog: CatalogLoader;
  private readonly websocket: WsPlayback;
  private readonly hls: HlsPlayback;
  private readonly playbacks: PlaybackSwitch;
  private endpoints: LiveStreamEndpoints;
  /** What unmuting restores when the volume sits at 0 (issue 12: unmuting at 0 stayed silent). */
  private audibleVolume = 0.5;

  constructor(private readonly options: LiveStreamClientOptions) {
    validateClientOptions(options);
    const settings = resolveClientOptions(options);
    const transport = options.transport ?? createWebSocketTransport();
    this.serverSnapshot = initialSnapshot(transport.name, settings.transportMode);
    this.store = new SnapshotStore(this.serverSnapshot);
    this.endpoints = resolveEndpoints(options.url, pageUrl());
    // The room sends through the session, which routes the room's messages back to it.
    this.room = new RoomStore((message) => this.session.sendIfConnected(message), settings.room);
    this.session = new ProtocolSession(this.store, this.room, {
      transport,
      reconnect: settings.reconnect,
      initialVideoId: options.initialVideoId,
      videoFps: options.videoFps,
      assetUrl: (path) => this.endpoints.assetUrl(path),
    });
    this.catalog = new CatalogLoader({
      store: this.store,
      fetch: options.fetch ?? (typeof fetch === 'function' ? fetch : undefined),
      videosUrl: () => this.endpoints.videosUrl,
      apply: (videos) => this.session.applyCatalog(videos),
    });
    this.websocket = new WsPlayback({
      name: transport.name,
      session: this.session,
      snapshot: this.store.get,
      videoBufferMs: settings.videoBufferMs,
      audioBufferMs: settings.audioBufferMs,
      liveThresholdMs: options.liveThresholdMs ?? DEFAULT_WS_LIVE_THRESHOLD_MS,
    });
    this.hls = new HlsPlayback({
      loadHls: options.loadHls ?? loadHlsJs,
      reconnect: settings.reconnect,
      snapshot: this.store.get,
      loadCatalog: () => this.catalog.load(),
      showLevels: (levels) => this.store.update(levels),
      liveThresholdMs: options.liveThresholdMs,
    });
    this.playbacks = new PlaybackSwitch(
      {
        store: this.store,
        session: this.session,
        plan: {
          ws: { playback: this.websocket },
          hls: { playback: this.hls },
          auto: { playback: this.websocket, fallback: this.hls },
        },
        resting: this.websocket,
        url: options.url,
        autoFallback: settings.autoFallback,
      },
      settings.transportMode,
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
    if (mode === this.playbacks.mode) return;
    this.playbacks.setMode(mode);
    this.store.update({ transportMode: mode });
    if (this.playbacks.isStarted) this.reconnect();
  }

  /** Opens the connection (or starts HLS, with the socket beside it for the room); also after `close`. */
  connect(): void {
    if (this.playbacks.isStarted) return;
    this.endpoints = resolveEndpoints(this.options.url, pageUrl());
    this.playbacks.start(this.endpoints.socketUrl);
  }

  /** Closes the connection and releases audio. The client stays usable: `connect` opens it again. */
  close(): void {
    this.playbacks.stop();
  }

  /** Starts over after an error: a new connection, the same video. */
  reconnect(): void {
    this.close();
    this.connect();
  }

  /** Switches to a video (the server answers with `stream`, then media; HLS loads its playlist). */
  select(videoId: string): void {
    if (typeof videoId !== 'string' || !VIDEO_ID_PATTERN.test(videoId)) {
      throw new TypeError(`select: ${JSON.stringify(videoId)} is not a video id`);
    }
    this.session.select(videoId);
    this.playbacks.active.sync();
  }

  /**
   * Locks this viewer to one rung of the ladder, or hands the choice back to the server ('auto'). Over HLS, the
   * number is an index in `hlsLevels` and 'auto' is hls.js's bandwidth estimate.
   */
  setQuality(rung: number | 'auto'): void {
    if (rung !== 'auto' && !(Number.isInteger(rung) && rung >= 0 && rung <= 255)) {
      throw new TypeError(`setQuality: ${JSON.stringify(rung)} is not a rung or 'auto'`);
    }
    this.playbacks.active.setQuality(rung);
  }

  /** Resumes at the live edge (a live player has nothing to catch up on). */
  play(): void {
    this.store.update({ playing: true });
    this.playbacks.active.setPaused(false);
    void this.enableAudio();
  }

  /**
   * Back to the live edge (what the LIVE badge does when it says the picture is behind): over WebSocket the
   * jitter buffer flushes to its newest frame and the sound primes again; over HLS the playhead seeks to the live
   * sync position. A paused player plays again.
   */
  jumpToLive(): void {
    if (!this.store.get().playing) this.play();
    this.playbacks.active.jumpToLive();
  }

  /** Holds the last frame and silences audio; frames still arriving are acked and discarded. */
  pause(): void {
    this.store.update({ playing: false });
    this.playbacks.active.setPaused(true);
  }

  togglePlay(): void {
    if (this.store.get().playing) this.pause();
    else this.play();
  }

  /** Unmuting with the volume at 0 brings back the last audible volume (0.5 before any), as media players do. */
  setMuted(muted: boolean): void {
    if (!muted && this.store.get().volume === 0) this.store.update({ volume: this.audibleVolume });
    this.store.update({ muted });
    this.playbacks.active.setVolume(this.store.get().volume, muted);
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
    if (clamped > 0) this.audibleVolume = clamped;
    this.store.update({ volume: clamped, muted });
    this.playbacks.active.setVolume(clamped, muted);
  }

  /**
   * Starts audio the autoplay policy held back. Call it from a user gesture (a click, a key press). Still blocked
   * (no gesture), the snapshot keeps saying `audioBlocked` and the player keeps offering the button.
   */
  enableAudio(): Promise<void> {
    return this.playbacks.active.enableAudio();
  }

  /** The canvas the WebSocket playback draws on; null detaches it. */
  attachCanvas(canvas: HTMLCanvasElement | null): void {
    this.websocket.attach(canvas);
  }

  /** The `<video>` HLS plays into; null detaches it. */
  attachVideo(video: HTMLVideoElement | null): void {
    this.hls.attach(video);
  }

  /** Changes the playout knobs without reconnecting; a new `videoFps` goes out with a new `select`. */
  updateOptions(knobs: LiveStreamKnobs): void {
    validateKnobs(knobs);
    this.websocket.setBufferTargets(
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
