import {
  type AudioCodec,
  type ClientMessage,
  decodeServerMessage,
  ErrorCode,
  type ErrorMessage,
  encodeMessage,
  PROTOCOL_VERSION,
  type QualityChangedMessage,
  type StreamMessage,
  type StreamStatusMessage,
  type VideoInfo,
  type WelcomeMessage,
} from '@onair/protocol';
import { type AudioCodecOffer, browserAudioCodecs } from '../audio/audio-codec-support';
import { withAssetUrls } from '../catalog/catalog-urls';
import { audioSocketUrl } from '../connection/endpoints';
import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { type ConnectionDownEvent, ReconnectingConnection } from '../connection/reconnecting-connection';
import { isRoomError, isRoomMessage } from '../room/room-messages';
import type { RoomStore } from '../room/room-store';
import type { LinkState } from '../state/derive-status';
import { ClientErrorCode, type LiveStreamError, type LiveStreamSnapshot } from '../state/snapshot';
import type { SnapshotStore } from '../state/snapshot-store';
import type { Transport } from '../transport/transport';
import { AudioSocketLink } from './audio-socket-link';
import { FeedbackCadence } from './feedback-cadence';
import { MediaIntake } from './media-intake';
import type { MediaSink } from './media-sink';
import { Selection } from './selection';
import { type SessionListener, SessionListeners } from './session-listeners';

const CLIENT_NAME = '@onair/react';

export interface SessionOptions {
  transport: Transport;
  reconnect: ReconnectOptions;
  initialVideoId: string | null | undefined;
  videoFps: number | undefined;
  /** Rewrites server-relative URLs (thumbnails, HLS playlists) for a cross-origin server. */
  assetUrl: (path: string) => string;
  /** The audio codecs `hello` offers. Default: what this browser decodes (`browserAudioCodecs`). */
  audioCodecs?: () => AudioCodecOffer;
  /** Ask for the audio socket (PROTOCOL.md, "The audio socket"). Default true. */
  audioSocket?: boolean;
}

/**
 * The socket protocol: hello → welcome, the catalog, select → stream, quality, acks, feedback on the server's
 * cadence, reconnects, and routing the room's messages to the room. The stream's media goes to a `MediaSink` (the
 * WebSocket playback while it plays); without one, `select` asks for the room only (`media: false`). What it
 * knows of its socket is `link`, which the WebSocket playback turns into a status. Reconnecting re-sends the same
 * `select` (and a locked quality), so a viewer lands back on the channel they were watching.
 */
export class ProtocolSession {
  private readonly connection: ReconnectingConnection;
  private readonly intake: MediaIntake;
  private readonly cadence = new FeedbackCadence(() => this.feedbackDue());
  private readonly listeners = new SessionListeners();
  private readonly wanted: Selection;
  private readonly audioLink: AudioSocketLink;
  private socketUrl: string | null = null;
  /** This connection's audio socket token (`welcome.audioSocket`), opened when a stream plays. */
  private audioToken: string | null = null;
  private sink: MediaSink | null = null;
  private started = false;
  private connected = false;
  private gaveUp = false;
  private streamActive = false;
  /** The server said the wanted video is not on air (`stream-status`): scheduled, ended, removed. */
  private offAir: StreamStatusMessage['status'] | null = null;
  private streamFailed = false;
  private error: LiveStreamError | null = null;
  /** Counts the connections opened, so a hello that waited for the codec check goes only on its own. */
  private opened = 0;
  /** When this connection's `hello` went out (`performance.now()`), until its `welcome` came. */
  private helloSentAt: number | null = null;
  /** The hello → welcome time of this connection: the link's round trip, as the player can see it. */
  private roundTripMs: number | null = null;

  constructor(
    private readonly store: SnapshotStore<LiveStreamSnapshot>,
    private readonly room: RoomStore,
    private readonly options: SessionOptions,
  ) {
    this.wanted = new Selection(options.initialVideoId, options.videoFps);
    this.intake = new MediaIntake({
      send: (data) => this.connection.send(data),
      refused: (reason) => this.fail(ClientErrorCode.BadServerMessage, reason, false),
    });
    room.setStream(this.wanted.videoId);
    this.audioLink = new AudioSocketLink({
      transport: options.transport,
      onAudio: (bytes, videoId) => {
        if (this.sink && videoId === this.wanted.videoId)
          this.intake.receiveAudio(bytes, this.sink, this.streamActive);
      },
    });
    this.connection = new ReconnectingConnection(
      options.transport,
      {
        onOpen: () => this.sayHello(),
        onText: (text) => this.receiveText(text),
        onBinary: (bytes) => this.receiveMedia(bytes),
        onDown: (event) => this.connectionDown(event),
      },
      options.reconnect,
    );
  }

  get link(): LinkState {
    return {
      started: this.started,
      gaveUp: this.gaveUp,
      connected: this.connected,
      reconnectAttempts: this.connection.attempts,
      streamFailed: this.streamFailed,
      hasVideo: this.wanted.videoId !== null,
      streamActive: this.streamActive,
      offAir: this.offAir !== null,
      error: this.error,
    };
  }

  listen(listener: SessionListener): () => void {
    return this.listeners.add(listener);
  }

  /** Who plays the stream's media, or null for the room only; a change while connected goes out as a new `select`. */
  setMediaSink(sink: MediaSink | null): void {
    if (sink === this.sink) return;
    this.sink?.stopStream();
    this.sink = sink;
    this.streamActive = false;
    if (this.connected) this.sendSelect();
    this.listeners.linkChanged();
  }

  start(socketUrl: string): void {
    this.socketUrl = socketUrl;
    this.started = true;
    this.gaveUp = false;
    this.connection.start(socketUrl);
    this.listeners.linkChanged();
  }

  stop(): void {
    this.started = false;
    this.connected = false;
    this.streamActive = false;
    this.cadence.stop();
    this.connection.stop();
    this.dropAudioSocket();
    this.room.disconnected();
    this.store.update({ connected: false, reconnectAttempt: 0, stream: null });
    this.listeners.linkChanged();
  }

  select(videoId: string): void {
    const same = videoId === this.wanted.videoId;
    this.wanted.choose(videoId);
    if (same && !this.streamFailed && this.offAir === null) return;
    this.streamActive = false;
    this.offAir = null;
    this.streamFailed = false;
    this.error = null;
    this.sink?.stopStream();
    this.room.setStream(videoId);
    this.store.update({ videoId, stream: null, offAir: null });
    if (this.connected) this.sendSelect();
    this.listeners.linkChanged();
  }

  setQuality(rung: number | 'auto'): void {
    this.wanted.quality = rung;
    // Shown at once so a quality menu does not snap back; the server's `quality-changed` confirms it.
    if (rung === 'auto') this.store.update({ qualityMode: 'auto' });
    else {
      const { ladder, stream } = this.store.get();
      this.store.update({
        qualityMode: 'locked',
        rung,
        quality: ladder[rung] ?? null,
        rungLabel: stream?.rungs?.[rung]?.label ?? null,
      });
    }
    if (this.connected) this.send({ type: 'quality', rung });
  }

  setVideoFps(videoFps: number | undefined): void {
    if (videoFps === this.wanted.videoFps) return;
    this.wanted.videoFps = videoFps;
    // The room does not depend on the frame rate: no new `select` (and no new join) for it.
    if (this.connected && this.sink) this.sendSelect();
  }

  applyCatalog(videos: readonly VideoInfo[]): void {
    const catalog = withAssetUrls(videos, this.options.assetUrl);
    this.store.update({ catalog, catalogError: null });
    const first = this.wanted.fromCatalog(catalog);
    if (first) this.select(first);
    // The server pushes the catalog when a stream goes live: a viewer waiting on it asks again.
    const wanted = catalog.find((video) => video.id === this.wanted.videoId);
    if (this.offAir !== null && wanted?.status === 'live' && this.connected) this.sendSelect();
  }

  /** Records an error; a fatal one leaves the socket given up (status `error`) until `start` is called again. */
  fail(code: LiveStreamError['code'], message: string, fatal: boolean): void {
    if (fatal) this.gaveUp = true;
    this.error = { code, message, fatal };
    this.listeners.linkChanged();
  }

  /** Sends when the server has welcomed us; false (nothing sent) otherwise. For the room's messages. */
  sendIfConnected(message: ClientMessage): boolean {
    if (!this.connected) return false;
    this.send(message);
    return true;
  }

  /** `hello` with the audio codecs this browser decodes; when checking takes a moment, after it. */
  private sayHello(): void {
    const opened = ++this.opened;
    const hello = (audioCodecs: readonly AudioCodec[]) => {
      if (opened !== this.opened || !this.started) return;
      this.helloSentAt = performance.now();
      this.roundTripMs = null;
      this.send({
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        client: CLIENT_NAME,
        audioCodecs: [...audioCodecs],
        ...(this.options.audioSocket === false ? {} : { audioSocket: true }),
      });
    };
    const offer = (this.options.audioCodecs ?? browserAudioCodecs)();
    if (Array.isArray(offer)) hello(offer as readonly AudioCodec[]);
    else void (offer as Promise<readonly AudioCodec[]>).then(hello);
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
    else if (message.type === 'stream-status') this.wentOffAir(message);
    else if (isRoomMessage(message)) this.room.receive(message);
  }

  private receiveMedia(bytes: Uint8Array): void {
    // Without a sink, only what a media `select` left in flight: nothing plays it and the server no longer counts it.
    if (this.sink) {
      const audioElsewhere = this.audioLink.carries(this.wanted.videoId);
      this.intake.receive(bytes, this.sink, this.streamActive, audioElsewhere);
    }
  }

  private welcomed(message: WelcomeMessage): void {
    // The server answers a hello at once, so this is the round trip (a busy page only lengthens it).
    if (this.helloSentAt !== null) this.roundTripMs = performance.now() - this.helloSentAt;
    this.helloSentAt = null;
    this.connected = true;
    this.error = null;
    this.connection.markHealthy();
    this.store.update({ connected: true, reconnectAttempt: 0, ladder: message.ladder });
    this.intake.setAckWindow(message.ackWindow);
    this.audioToken = this.options.audioSocket === false ? null : (message.audioSocket?.token ?? null);
    this.send({ type: 'catalog' });
    this.sendSelect();
    this.cadence.start(message.feedbackIntervalMs);
    this.listeners.linkChanged();
    this.listeners.connectionSettled('welcomed');
  }

  private streamStarted(message: StreamMessage): void {
    // A `stream` for a video since switched away from: its media is not wanted either.
    if (message.videoId !== this.wanted.videoId) return;
    const { type: _type, ...stream } = message;
    this.streamActive = true;
    this.streamFailed = false;
    this.offAir = null;
    this.error = null;
    this.sink?.startStream(stream, { roundTripMs: this.roundTripMs });
    if (this.sink && this.audioToken && this.socketUrl)
      this.audioLink.ensureOpen(audioSocketUrl(this.socketUrl, this.audioToken));
    const { ladder } = this.store.get();
    this.store.update({
      stream,
      offAir: null,
      rung: message.rung,
      quality: ladder[message.rung] ?? null,
      rungLabel: message.rungs?.[message.rung]?.label ?? null,
    });
    this.listeners.linkChanged();
  }

  /** The wanted video is not on air (not yet, or any more): no media comes, and that is not an error. */
  private wentOffAir(message: StreamStatusMessage): void {
    if (message.videoId !== this.wanted.videoId) return;
    const offAir = message.status;
    this.offAir = offAir;
    this.streamActive = false;
    this.sink?.stopStream();
    this.store.update({ stream: null, offAir });
    this.listeners.linkChanged();
  }

  private qualityChanged(message: QualityChangedMessage): void {
    const { stream } = this.store.get();
    this.store.update({
      rung: message.rung,
      quality: message.quality,
      qualityMode: message.mode,
      rungLabel: message.label ?? stream?.rungs?.[message.rung]?.label ?? null,
      // The rate this viewer gets now (decimated below rung 0, or to this player's `viewer-limits`).
      ...(stream && message.viewerFps !== undefined
        ? { stream: { ...stream, viewerFps: message.viewerFps } }
        : {}),
    });
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
      this.sink?.stopStream();
    }
    this.fail(message.code, message.message, final);
  }

  private connectionDown(event: ConnectionDownEvent): void {
    const wasWelcomed = this.connected;
    this.connected = false;
    this.streamActive = false;
    this.cadence.stop();
    this.dropAudioSocket();
    this.sink?.stopStream();
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
      this.listeners.linkChanged();
    }
    if (!wasWelcomed) this.listeners.connectionSettled('failed');
  }

  /** This connection is over: its audio socket closes, and its token is good no more. */
  private dropAudioSocket(): void {
    this.audioToken = null;
    this.audioLink.close();
  }

  private feedbackDue(): void {
    const report = this.sink?.feedbackTick(performance.now());
    if (report) this.send(report);
    const limits = this.sink?.takeViewerLimits?.();
    if (limits) this.send(limits);
  }

  private sendSelect(): void {
    for (const message of this.wanted.messages(this.sink !== null)) this.send(message);
  }

  private send(message: ClientMessage): void {
    this.connection.send(encodeMessage(message));
  }
}
