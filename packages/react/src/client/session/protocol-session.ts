import {
  AckPacer,
  type ClientMessage,
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
import { withAssetUrls } from '../catalog/catalog-urls';
import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { type ConnectionDownEvent, ReconnectingConnection } from '../connection/reconnecting-connection';
import type { PlaybackState, Playout } from '../playout/playout';
import { isRoomError, isRoomMessage } from '../room/room-messages';
import type { RoomStore } from '../room/room-store';
import { deriveStatus } from '../state/derive-status';
import { ClientErrorCode, type LiveStreamError, type LiveStreamSnapshot } from '../state/snapshot';
import type { SnapshotStore } from '../state/snapshot-store';
import type { Transport } from '../transport/transport';
import { FeedbackReports } from './feedback-reports';

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
  private readonly acks = new AckPacer();
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
  private readonly reports: FeedbackReports;
  // False while HLS plays: the socket carries the room only, and the store's status and stats are HLS's.
  private media = true;

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
    this.reports = new FeedbackReports({
      store,
      playout,
      send: (message) => this.send(message),
      shouldReport: () => this.media && this.streamActive && store.get().playing,
      publishing: () => this.media,
    });
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

  /**
   * Whether this socket carries the picture and sound (and the session writes the player's status and stats), or
   * only the room (chat, reactions, viewer count) beside a player that takes its media from HLS. A change while
   * connected goes out as a new `select`.
   */
  setMedia(media: boolean): void {
    if (media === this.media) return;
    this.media = media;
    this.streamActive = false;
    this.playout.stop();
    if (this.connected) this.sendSelect();
    if (media) this.refreshStatus();
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
    this.reports.stop();
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
    if (this.connected && this.media) this.send({ type: 'quality', rung });
  }

  setVideoFps(videoFps: number | undefined): void {
    if (videoFps === this.videoFps) return;
    this.videoFps = videoFps;
    // The room does not depend on the frame rate: no new `select` (and no new join) for it.
    if (this.connected && this.media) this.sendSelect();
  }

  playbackChanged(state: PlaybackState): void {
    this.playback = state;
    this.refreshStatus();
    if (state === 'playing') this.reports.refreshStats();
  }

  applyCatalog(videos: readonly VideoInfo[]): void {
    const catalog = withAssetUrls(videos, this.options.assetUrl);
    this.store.update({ catalog, catalogError: null });
    const first = catalog[0];
    if (this.autoSelect && this.wantedVideoId === null && first) this.select(first.id);
  }

  /** Records an error; a fatal one leaves the player in the `error` state until `connect` is called again. */
  fail(code: LiveStreamError['code'], message: string, fatal: boolean): void {
    if (fatal) this.gaveUp = true;
    if (!this.media) return;
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
    // Only what a media `select` left in flight: nothing plays it and the server no longer counts it.
    if (!this.media) return;
    this.playout.recordBytes(bytes.byteLength);
    const decoded = decodeMediaMessage(bytes);
    if (!decoded.ok) {
      this.fail(ClientErrorCode.BadServerMessage, decoded.error.message, false);
      return;
    }
    const media = decoded.value;
    if (media.kind === 'video') {
      // Acked on receipt, shown or not: the server counts the frames in flight with these (cumulative) acks.
      if (this.acks.shouldAck()) this.connection.send(encodeAck(media.sequence));
      if (this.streamActive) this.playout.pushVideo(media);
    } else if (this.streamActive) {
      this.playout.pushAudio(media);
    }
  }

  private welcomed(message: WelcomeMessage): void {
    this.connected = true;
    this.connection.markHealthy();
    this.store.update({ connected: true, reconnectAttempt: 0, ladder: message.ladder });
    this.acks.setWindow(message.ackWindow);
    if (this.media) this.store.update({ error: null });
    this.send({ type: 'catalog' });
    if (this.wantedVideoId) this.sendSelect();
    this.reports.start(message.feedbackIntervalMs);
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
    this.reports.stop();
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
    const videoId = this.wantedVideoId;
    if (!this.media) {
      this.send({ type: 'select', videoId, media: false });
      return;
    }
    const videoFps = this.videoFps;
    this.send({ type: 'select', videoId, ...(videoFps === undefined ? {} : { videoFps }) });
    if (this.wantedQuality !== 'auto') this.send({ type: 'quality', rung: this.wantedQuality });
  }

  private send(message: ClientMessage): void {
    this.connection.send(encodeMessage(message));
  }

  private refreshStatus(): void {
    if (!this.media) return;
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
