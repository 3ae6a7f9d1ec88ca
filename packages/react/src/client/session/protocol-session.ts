import {
  type ClientMessage,
  DEFAULT_FEEDBACK_INTERVAL_MS,
  decodeMediaMessage,
  decodeServerMessage,
  ErrorCode,
  type ErrorMessage,
  encodeAck,
  encodeMessage,
  PROTOCOL_VERSION,
  type QualityChangedMessage,
  type StreamMessage,
  type VideoInfo,
  type WelcomeMessage,
} from '@onair/protocol';
import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { type ConnectionDownEvent, ReconnectingConnection } from '../connection/reconnecting-connection';
import type { PlaybackState, Playout } from '../playout/playout';
import { isRoomError, isRoomMessage } from '../room/room-messages';
import type { RoomStore } from '../room/room-store';
import { deriveStatus } from '../state/derive-status';
import { ClientErrorCode, type LiveStreamError, type LiveStreamSnapshot } from '../state/snapshot';
import { type SnapshotStore, shallowEqual } from '../state/snapshot-store';
import type { Transport } from '../transport/transport';

const CLIENT_NAME = '@onair/react';

export interface SessionOptions {
  transport: Transport;
  reconnect: ReconnectOptions;
  initialVideoId: string | null | undefined;
  videoFps: number | undefined;
  /** Rewrites server-relative URLs (thumbnails, HLS playlists) for a cross-origin server. */
  assetUrl: (path: string) => string;
  /** The server welcomed us, or a connection ended before it did (what `auto` falls back on). */
  onConnectionState?: (state: 'welcomed' | 'failed') => void;
}

/**
 * The protocol side of the client: hello → welcome, the catalog, select → stream, quality, acks, periodic
 * feedback, errors and reconnects, and the status they add up to. Reconnecting re-sends the same `select`
 * (and a locked quality), so a viewer lands back on the channel they were watching.
 */
export class ProtocolSession {
  private readonly connection: ReconnectingConnection;
  private wantedVideoId: string | null;
  private autoSelect: boolean;
  private wantedQuality: number | 'auto' = 'auto';
  private videoFps: number | undefined;
  private started = false;
  private connected = false;
  private gaveUp = false;
  private streamActive = false;
  private streamFailed = false;
  private playback: PlaybackState = 'waiting';
  private feedbackIntervalMs = DEFAULT_FEEDBACK_INTERVAL_MS;
  private reportTimer: ReturnType<typeof setInterval> | null = null;
  // False while HLS plays: the store's status and stats are HLS's then.
  private publishing = true;

  constructor(
    private readonly store: SnapshotStore<LiveStreamSnapshot>,
    private readonly playout: Playout,
    private readonly room: RoomStore,
    private readonly options: SessionOptions,
  ) {
    this.wantedVideoId = options.initialVideoId ?? null;
    room.setStream(this.wantedVideoId);
    this.autoSelect = options.initialVideoId === undefined;
    this.videoFps = options.videoFps;
    this.connection = new ReconnectingConnection(
      options.transport,
      {
        onOpen: () => this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: CLIENT_NAME }),
        onText: (text) => this.receiveText(text),
        onBinary: (bytes) => this.receiveMedia(bytes),
        onDown: (event) => this.connectionDown(event),
      },
      options.reconnect,
    );
  }

  get videoId(): string | null {
    return this.wantedVideoId;
  }

  /** Whether this session writes the player's status and stats (false while another transport plays). */
  setPublishing(publishing: boolean): void {
    this.publishing = publishing;
    if (publishing) this.refreshStatus();
  }

  start(socketUrl: string): void {
    this.started = true;
    this.gaveUp = false;
    this.connection.start(socketUrl);
    this.refreshStatus();
  }

  stop(): void {
    this.started = false;
    this.connected = false;
    this.streamActive = false;
    this.stopReports();
    this.connection.stop();
    this.room.disconnected();
    this.store.update({ connected: false, reconnectAttempt: 0, stream: null });
    this.refreshStatus();
  }

  select(videoId: string): void {
    this.autoSelect = false;
    if (videoId === this.wantedVideoId && !this.streamFailed) return;
    this.wantedVideoId = videoId;
    this.streamActive = false;
    this.streamFailed = false;
    this.playout.stop();
    this.room.setStream(videoId);
    this.store.update({ videoId, stream: null, error: null });
    if (this.connected) this.sendSelect();
    this.refreshStatus();
  }

  setQuality(rung: number | 'auto'): void {
    this.wantedQuality = rung;
    if (this.connected) this.send({ type: 'quality', rung });
  }

  setVideoFps(videoFps: number | undefined): void {
    if (videoFps === this.videoFps) return;
    this.videoFps = videoFps;
    if (this.connected) this.sendSelect();
  }

  playbackChanged(state: PlaybackState): void {
    this.playback = state;
    this.refreshStatus();
    if (state === 'playing') this.refreshStats();
  }

  applyCatalog(videos: readonly VideoInfo[]): void {
    const catalog = Object.freeze(
      videos.map((video) => ({
        ...video,
        thumbnailUrl: this.options.assetUrl(video.thumbnailUrl),
        ...(video.hlsUrl ? { hlsUrl: this.options.assetUrl(video.hlsUrl) } : {}),
      })),
    );
    this.store.update({ catalog, catalogError: null });
    const first = catalog[0];
    if (this.autoSelect && this.wantedVideoId === null && first) this.select(first.id);
  }

  /** Records an error; a fatal one leaves the player in the `error` state until `connect` is called again. */
  fail(code: LiveStreamError['code'], message: string, fatal: boolean): void {
    if (fatal) this.gaveUp = true;
    if (!this.publishing) return;
    this.store.update({ error: { code, message, fatal } });
    this.refreshStatus();
  }

  private receiveText(text: string): void {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) {
      this.fail(ClientErrorCode.BadServerMessage, decoded.error.message, false);
      return;
    }
    const message = decoded.value;
    if (message.type === 'welcome') this.welcomed(message);
    else if (message.type === 'catalog') this.applyCatalog(message.videos);
    else if (message.type === 'stream') this.streamStarted(message);
    else if (message.type === 'quality-changed') this.qualityChanged(message);
    else if (message.type === 'error') this.serverError(message);
    else if (isRoomMessage(message)) this.room.receive(message);
  }

  /** Sends when the server has welcomed us; false (nothing sent) otherwise. For the room's messages. */
  sendIfConnected(message: ClientMessage): boolean {
    if (!this.connected) return false;
    this.send(message);
    return true;
  }

  private receiveMedia(bytes: Uint8Array): void {
    this.playout.recordBytes(bytes.byteLength);
    const decoded = decodeMediaMessage(bytes);
    if (!decoded.ok) {
      this.fail(ClientErrorCode.BadServerMessage, decoded.error.message, false);
      return;
    }
    const media = decoded.value;
    if (media.kind === 'video') {
      // Every frame is acked, shown or not: the server counts the frames in flight with these acks.
      this.connection.send(encodeAck(media.sequence));
      if (this.streamActive) this.playout.pushVideo(media);
    } else if (this.streamActive) {
      this.playout.pushAudio(media);
    }
  }

  private welcomed(message: WelcomeMessage): void {
    this.connected = true;
    this.connection.markHealthy();
    this.feedbackIntervalMs = message.feedbackIntervalMs;
    this.store.update({ connected: true, reconnectAttempt: 0, ladder: message.ladder, error: null });
    this.send({ type: 'catalog' });
    if (this.wantedVideoId) this.sendSelect();
    this.startReports();
    this.refreshStatus();
    this.options.onConnectionState?.('welcomed');
  }

  private streamStarted(message: StreamMessage): void {
    // A `stream` for a video since switched away from: its media is not wanted either.
    if (message.videoId !== this.wantedVideoId) return;
    const { type: _type, ...stream } = message;
    this.streamActive = true;
    this.streamFailed = false;
    this.playback = 'waiting';
    this.playout.start(stream);
    const { ladder } = this.store.get();
    this.store.update({ stream, rung: message.rung, quality: ladder[message.rung] ?? null, error: null });
    this.refreshStatus();
  }

  private qualityChanged(message: QualityChangedMessage): void {
    this.store.update({ rung: message.rung, quality: message.quality, qualityMode: message.mode });
  }

  private serverError(message: ErrorMessage): void {
    // A refused chat message or reaction is the room's business; playback goes on untouched.
    if (isRoomError(message)) {
      this.room.refused(message);
      return;
    }
    // A fatal refusal would only be refused again; a server going away is worth coming back to.
    const final = message.fatal && message.code !== ErrorCode.ServerClosing;
    if (final) this.connection.disableRetries();
    if (message.code === ErrorCode.UnknownVideo || message.code === ErrorCode.ChannelFailed) {
      this.streamFailed = true;
      this.streamActive = false;
      this.playout.stop();
    }
    this.fail(message.code, message.message, final);
  }

  private connectionDown(event: ConnectionDownEvent): void {
    const wasWelcomed = this.connected;
    this.connected = false;
    this.streamActive = false;
    this.stopReports();
    this.playout.stop();
    this.room.disconnected();
    this.store.update({
      connected: false,
      stream: null,
      reconnectAttempt: event.willRetry ? event.attempt : 0,
    });
    if (!event.willRetry && !this.gaveUp) {
      const reason = event.reason ? `: ${event.reason}` : '';
      this.fail(ClientErrorCode.ConnectionFailed, `lost the connection (code ${event.code})${reason}`, true);
    } else {
      this.refreshStatus();
    }
    if (!wasWelcomed) this.options.onConnectionState?.('failed');
  }

  private sendSelect(): void {
    if (!this.wantedVideoId) return;
    const videoFps = this.videoFps;
    this.send({
      type: 'select',
      videoId: this.wantedVideoId,
      ...(videoFps === undefined ? {} : { videoFps }),
    });
    if (this.wantedQuality !== 'auto') this.send({ type: 'quality', rung: this.wantedQuality });
  }

  private send(message: ClientMessage): void {
    this.connection.send(encodeMessage(message));
  }

  private startReports(): void {
    this.stopReports();
    this.reportTimer = setInterval(() => this.report(), this.feedbackIntervalMs);
  }

  private stopReports(): void {
    if (this.reportTimer !== null) clearInterval(this.reportTimer);
    this.reportTimer = null;
  }

  /** On the server's feedback cadence: the report (unless paused: nothing plays, nothing to say) and stats. */
  private report(): void {
    if (this.streamActive && this.store.get().playing)
      this.send(this.playout.takeFeedback(performance.now()));
    this.refreshStats();
  }

  private refreshStats(): void {
    if (!this.publishing) return;
    const { rung, quality, stats } = this.store.get();
    const next = { ...this.playout.readStats(), rung, quality, level: null };
    if (!shallowEqual(next, stats)) this.store.update({ stats: next });
  }

  private refreshStatus(): void {
    if (!this.publishing) return;
    const status = deriveStatus({
      started: this.started,
      gaveUp: this.gaveUp,
      connected: this.connected,
      reconnectAttempts: this.connection.attempts,
      streamFailed: this.streamFailed,
      hasVideo: this.wantedVideoId !== null,
      streamActive: this.streamActive,
      playback: this.playback,
    });
    this.store.update({ status });
  }
}
