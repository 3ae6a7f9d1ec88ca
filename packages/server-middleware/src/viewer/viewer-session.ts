import type { IncomingMessage } from 'node:http';
import {
  type AudioCodec,
  type ClientMessage,
  CloseCode,
  ErrorCode,
  FPS_DECIMATION_STEPS,
  type HelloMessage,
  PROTOCOL_VERSION,
  pickAudioCodec,
  type StreamStatusMessage,
  type VideoInfo,
  type ViewerLimitsMessage,
} from '@onair/protocol';
import WebSocket, { type RawData } from 'ws';
import type { Channel, ChannelViewer } from '../channel/channel';
import type { ChannelFormat } from '../channel/output-format';
import type { EncodedFrame } from '../ladder/frames';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { RoomActions } from '../room/room-actions';
import { RoomMember, type RoomRequest } from '../room/room-member';
import type { Rooms } from '../room/rooms';
import type { ViewerStats } from '../stats';
import { AudioSocket } from './audio-socket';
import type { AudioSocketHolder, AudioSocketTokens } from './audio-socket-tokens';
import { readClientMessage } from './client-message';
import { ControlThrottle, isCoalesced } from './control-throttle';
import { FrameDecimator } from './frame-decimator';
import { LinkMeter } from './link-meter';
import { MediaSender } from './media-sender';
import { RoundTripProbe } from './round-trip-probe';
import { SelectGate, type Selection } from './select-gate';
import { SendWindow } from './send-window';
import { streamMessage, welcomeMessage } from './stream-messages';
import { ViewerRung } from './viewer-rung';
import { closeSoon, ViewerSocket } from './viewer-socket';

export interface ViewerSessionDeps {
  options: ResolvedOptions;
  channels: ReadonlyMap<string, Channel>;
  rooms: Rooms;
  /** The chat and reaction policy (the same REST's requests go through). */
  actions: RoomActions;
  /** Unique to this `liveStream()` instance: with the session id, it names this viewer to the hub. */
  instanceTag: string;
  /**
   * The catalog as the `catalog` message lists it to this viewer: only what `authorize` lets it watch (the same
   * filter as the HTTP catalog), so it may take the hook's time.
   */
  catalog(): Promise<VideoInfo[]>;
  /** For a `select` of a stream that is not on air: what it is (null: no such stream). */
  offAirStatus(videoId: string): Omit<StreamStatusMessage, 'type'> | null;
  /** The audio socket tokens of this instance. */
  audioSockets: AudioSocketTokens;
  onClosed(session: ViewerSession): void;
}

let nextSessionId = 1;

/** The audio codecs this server encodes (Opus once per channel, PCM as decoded); the hello's preference picks. */
const SERVED_AUDIO_CODECS: readonly AudioCodec[] = ['opus', 'pcm'];

/** What reaches `control()`: every client message but the room's, which `RoomMember` takes. */
type ControlRequest = Exclude<ClientMessage, RoomRequest>;

const roundOrNull = (value: number | undefined) => (value === undefined ? null : Math.round(value));

/**
 * One viewer's socket: the hello handshake, control messages, and media sending under its own rung, frame
 * rate and ack window. Nothing here waits on the socket, so a stalled viewer never slows anyone else.
 */
export class ViewerSession implements ChannelViewer, AudioSocketHolder {
  readonly id = nextSessionId++;
  /**
   * Cleared by each heartbeat ping, set by the pong or by an ack of a frame in flight: only what proves the client
   * reads its socket. Any other message could come from a client that sends and never reads.
   */
  alive = true;
  /** Settles when the socket has closed and the session let go of its channel. */
  readonly closed: Promise<void>;
  private markClosed: () => void = () => {};
  private greeted = false;
  private ended = false;
  private channel: Channel | null = null;
  /** The video of a `media: false` select: its room is joined, its channel is not. */
  private roomOnlyVideoId: string | null = null;
  private requestedFps: number | null = null;
  /** `viewer-limits.maxFps`: what the player's CPU takes. */
  private maxFps: number | null = null;
  private decimator: FrameDecimator | null = null;
  /** The newest video sequence sent on this stream: a sequence reaches the viewer at most once. */
  private lastSequence = -1;
  /** The audio codec this client gets, from its hello (PROTOCOL.md, "Audio codecs"); null: no audio. */
  private audioCodec: AudioCodec | null = 'pcm';
  private initialQualitySent = false;
  /** Asked for the catalog once: gets it again each time it changes (PROTOCOL.md, `catalog`). */
  private watchesCatalog = false;
  /**
   * Catalogs go out in the order they were asked for, each answered (the throttle already bounds how many), so
   * the last one a viewer gets is the newest, however the hook's answers overtake each other.
   */
  private catalogSends: Promise<void> = Promise.resolve();
  private readonly rung: ViewerRung;
  private readonly window: SendWindow;
  private readonly link = new LinkMeter();
  private readonly roundTrip = new RoundTripProbe();
  private readonly sender: MediaSender;
  private readonly member: RoomMember;
  private readonly selects: SelectGate;
  private readonly out: ViewerSocket;
  private readonly throttle: ControlThrottle;
  private helloDeadline: NodeJS.Timeout | null;
  /** Given in `welcome` when the hello asked for an audio socket; revoked when this session ends. */
  private audioToken: string | null = null;
  private audioSocket: AudioSocket | null = null;

  constructor(
    private readonly ws: WebSocket,
    req: IncomingMessage,
    private readonly deps: ViewerSessionDeps,
  ) {
    const { options } = deps;
    this.out = new ViewerSocket(ws, {
      maxBufferedBytes: options.maxBufferedBytes,
      stallMs: options.heartbeatMs,
    });
    this.rung = new ViewerRung({
      initialRung: options.initialRung,
      configuredRungs: options.ladder.length,
      send: (message) => this.out.send(message),
      refuse: (code, message) => this.out.sendError(code, message, false),
      moved: (rung) => this.channel?.setRung(this, rung),
      rateChanged: () => this.decimate(),
      viewerFps: () => this.decimator?.outputFps ?? 0,
      encodes: (rung) => this.channel?.encodes(rung) ?? false,
    });
    this.window = new SendWindow(options.ackWindow);
    this.sender = new MediaSender(this.out, this.window, this.link, options.maxBufferedBytes);
    const tag = `${deps.instanceTag}:${this.id}`;
    this.member = new RoomMember({
      options,
      rooms: deps.rooms,
      actions: deps.actions,
      req,
      tag,
      socket: this.out,
    });
    this.selects = new SelectGate({
      options,
      channels: deps.channels,
      offAirStatus: deps.offAirStatus,
      offAir: (status) => {
        this.leaveChannel();
        this.out.send({ type: 'stream-status', ...status });
      },
      req,
      refuse: (code, message) => this.out.sendError(code, message, false),
    });
    this.throttle = new ControlThrottle({
      limit: options.controlRateLimit,
      refuse: (waitMs) =>
        this.out.sendError(
          ErrorCode.RateLimited,
          `too many requests on this socket; the newest catalog, select, quality, feedback and viewer-limits ` +
            `are applied as the rate allows, others are dropped (next in ${waitMs} ms)`,
          false,
        ),
    });
    this.helloDeadline = setTimeout(() => this.helloOverdue(), options.helloTimeoutMs);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    ws.on('message', (data, isBinary) => this.received(data, isBinary));
    ws.on('pong', (payload) => {
      this.alive = true;
      const ms = this.roundTrip.pong(payload);
      if (ms !== null) this.link.roundTrip(ms);
    });
    // ws reports protocol violations (oversized or malformed frames) here, then closes the socket itself.
    ws.on('error', () => {});
    ws.on('close', () => this.end());
  }

  /** The heartbeat found no pong since its last ping. */
  terminate(): void {
    this.ws.terminate();
  }

  ping(): void {
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
    this.audioSocket?.heartbeat();
  }

  /**
   * The audio socket opened with this session's token: the sound goes there from now on (a previous one is
   * replaced), and back on the viewer socket when it closes. It carries the server's messages only.
   */
  attachAudioSocket(ws: WebSocket): void {
    ws.on('error', () => {});
    const socket = new AudioSocket(ws);
    if (this.ended) {
      socket.close(1000, 'the viewer socket closed');
      return;
    }
    this.audioSocket?.close(CloseCode.AudioSocketReplaced, 'replaced by a newer audio socket');
    this.audioSocket = socket;
    ws.on('message', () => socket.close(CloseCode.PolicyViolation, 'the audio socket takes no messages'));
    ws.on('close', () => {
      if (this.audioSocket !== socket) return;
      this.audioSocket = null;
      this.sender.useAudioSocket(null);
    });
    if (this.channel && this.decimator) socket.announceStream(this.channel.id);
    this.sender.useAudioSocket(socket);
  }

  /** `close()` of the middleware: say why, then close with "going away". */
  shutdown(): void {
    this.out.sendError(ErrorCode.ServerClosing, 'the server is shutting down', true);
    this.ws.close(CloseCode.ServerClosing, 'server closing');
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** True once a valid hello was received: only then does the socket count as a viewer. */
  get isGreeted(): boolean {
    return this.greeted;
  }

  stats(): ViewerStats {
    return {
      id: this.id,
      videoId: this.channel?.id ?? this.roomOnlyVideoId,
      rung: this.rung.rung,
      mode: this.rung.mode,
      inFlight: this.window.inFlight,
      bufferedAmount: this.ws.bufferedAmount,
      controlWaiting: this.out.waiting.messages,
      controlCoalesced: this.throttle.counts.coalesced + this.out.waiting.replaced,
      controlRefused: this.throttle.counts.refused,
      ...this.sender.counters,
      audioCodec: this.audioCodec,
      audioSocket: this.sender.hasAudioSocket,
      rungSwitches: this.rung.switches,
      rungLabel: this.rung.label,
      viewerFps: this.decimator?.outputFps ?? null,
      throughputKbps: roundOrNull(this.link.sample()?.kbps),
    };
  }

  receiveVideo(frame: EncodedFrame, catchUp: boolean): void {
    if (!this.decimator || this.ws.readyState !== WebSocket.OPEN) return;
    // A frame at or before one already sent (the current frame encoded again for a new rung): never twice.
    if (frame.sequence <= this.lastSequence) return;
    if (!catchUp && !this.decimator.take()) return;
    if (this.sender.sendVideo(frame) === 'sent') this.lastSequence = frame.sequence;
    else this.rung.skipped();
  }

  receiveAudio(message: Buffer, codec: AudioCodec): void {
    if (codec === this.audioCodec && this.decimator && this.ws.readyState === WebSocket.OPEN)
      this.sender.sendAudio(message);
  }

  channelReady(): void {
    if (this.channel?.format) this.startStream(this.channel, this.channel.format);
  }

  channelFailed(reason: string): void {
    this.out.sendError(
      ErrorCode.ChannelFailed,
      `the decoder of "${this.channel?.id}" failed (${reason}); retrying`,
      false,
    );
  }

  private received(data: RawData, isBinary: boolean): void {
    const inbound = readClientMessage(data, isBinary);
    if (inbound.kind === 'error') {
      const { code, message, ref } = inbound;
      this.throttle.admit(null, () => this.out.sendError(code, message, false, ref));
      return;
    }
    if (!this.greeted) {
      if (inbound.kind === 'message' && inbound.message.type === 'hello') {
        const hello = inbound.message;
        this.throttle.admit(null, () => this.hello(hello));
      } else {
        const ref =
          inbound.kind === 'message' && inbound.message.type === 'chat-send'
            ? inbound.message.clientId
            : undefined;
        this.throttle.admit(null, () =>
          this.out.sendError(ErrorCode.HelloRequired, 'the first message must be a hello', false, ref),
        );
      }
      return;
    }
    if (inbound.kind === 'ack') {
      const acked = this.window.ack(inbound.sequence);
      if (acked) {
        // Only an ack of a frame really sent proves the client reads.
        this.alive = true;
        this.link.acked(acked.bytes, acked.delayMs, acked.frameBytes);
        this.timeRoundTrip();
      }
      return;
    }
    const { message } = inbound;
    switch (message.type) {
      case 'chat-send':
      case 'chat-delete':
      case 'chat-pin':
      case 'reaction':
        // Chat and reactions have their own budgets (`chatRateLimit`, `reactionRateLimit`).
        this.member.receive(message);
        return;
    }
    this.throttle.admit(isCoalesced(message.type) ? message.type : null, () => this.control(message));
  }

  /** The catalog changed (a stream added, gone live, ended, removed): a viewer that asked for it gets it again. */
  catalogChanged(): void {
    if (this.watchesCatalog && !this.ended) this.sendCatalog();
  }

  /**
   * The stream `videoId` went off air: a viewer on it (or on its room) leaves it and is told why, not with an
   * error; its socket stays open for another `select`.
   */
  offAir(videoId: string, status: StreamStatusMessage['status']): void {
    if (this.ended) return;
    // A `select` still waiting on the hook is left alone: it looks the stream up again when it lands.
    if (this.channel?.id !== videoId && this.roomOnlyVideoId !== videoId) return;
    this.leaveChannel();
    this.out.send({ type: 'stream-status', videoId, status });
  }

  private sendCatalog(): void {
    const answer = this.deps.catalog();
    this.catalogSends = this.catalogSends
      .then(() => answer)
      .then(
        (videos) => {
          if (!this.ended) this.out.send({ type: 'catalog', videos });
        },
        (error: unknown) =>
          this.deps.options.logger.warn('a catalog for a viewer failed', { error: String(error) }),
      );
  }

  /** A control request the throttle let through. */
  private control(message: ControlRequest): void {
    switch (message.type) {
      case 'hello':
        this.out.sendError(ErrorCode.HelloRequired, 'hello was already received on this socket', false);
        break;
      case 'catalog':
        this.watchesCatalog = true;
        this.sendCatalog();
        break;
      case 'select':
        this.selects.request(message, (selection) => this.switchTo(selection));
        break;
      case 'quality':
        this.rung.request(message.rung);
        break;
      case 'feedback':
        // Judged against this viewer's frame interval; nothing to judge before (or without) a stream.
        if (this.decimator && this.channel) {
          this.rung.feedback({
            ...message,
            renderDroppedFrames: message.renderDroppedFrames ?? 0,
            pageStallMs: message.pageStallMs ?? 0,
            frameIntervalMs: 1000 / this.decimator.outputFps,
            rungKbps: this.channel.rungKbps(),
            link: this.link.sample(),
          });
        }
        break;
      case 'viewer-limits':
        this.limit(message);
        break;
    }
  }

  /** `helloTimeoutMs` passed without a valid hello: the socket is not a viewer, and goes. */
  private helloOverdue(): void {
    this.helloDeadline = null;
    if (this.greeted || this.ended) return;
    const ms = this.deps.options.helloTimeoutMs;
    this.out.sendError(ErrorCode.HelloRequired, `no hello within ${ms} ms`, true);
    closeSoon(this.ws, CloseCode.HelloTimeout, 'no hello in time');
  }

  private hello({ protocolVersion, audioCodecs, audioSocket }: HelloMessage): void {
    if (protocolVersion !== PROTOCOL_VERSION) {
      this.out.sendError(
        ErrorCode.ProtocolVersion,
        `this server speaks protocol version ${PROTOCOL_VERSION}, not ${protocolVersion}`,
        true,
      );
      this.ws.close(CloseCode.ProtocolVersion, 'unsupported protocol version');
      return;
    }
    this.greeted = true;
    this.clearHelloDeadline();
    this.audioCodec = pickAudioCodec(audioCodecs, SERVED_AUDIO_CODECS);
    this.out.send(welcomeMessage(this.deps.options, audioSocket ? this.offerAudioSocket() : undefined));
    // Timed now, before any media: the socket is idle, so the pong is the path's own round trip. Pinged first
    // while media flowed, a narrow link's opening burst queued the ping (D: 1.5 Mbit/s, 150 ms), the round trip
    // read long, and frames seemed to cross the link at 32 Mbit/s: the burst rate let a probe to 240p through,
    // and the video it queued cost the sound 0.2-0.4 s.
    this.timeRoundTrip();
  }

  private offerAudioSocket(): { token: string } {
    this.audioToken = this.deps.audioSockets.issue(this);
    return { token: this.audioToken };
  }

  /** Pings the viewer to time the round trip, when the probe may send one (one in flight, about once a second). */
  private timeRoundTrip(): void {
    const ping = this.roundTrip.nextPing();
    if (ping && this.ws.readyState === WebSocket.OPEN) this.ws.ping(ping);
  }

  private switchTo({ channel, videoFps, media }: Selection): void {
    this.leaveChannel();
    if (!media) {
      // The room alone: the channel is never joined, so this viewer starts no decoder and gets no media.
      this.roomOnlyVideoId = channel.id;
      this.member.join(channel.id);
      return;
    }
    this.channel = channel;
    this.requestedFps = videoFps;
    this.lastSequence = -1;
    if (channel.format) this.startStream(channel, channel.format);
    // After `stream`: joining may send the channel's newest frame straight away.
    // A viewer with no codec in common (none today: both are served) is a PCM listener that `receiveAudio` mutes.
    channel.join(this, this.rung.rung, this.audioCodec ?? 'pcm');
    this.member.join(channel.id);
  }

  private startStream(channel: Channel, format: ChannelFormat): void {
    this.window.clear();
    this.link.clear();
    const rungs = channel.rungs ?? [];
    channel.setRung(this, this.rung.configure(rungs));
    this.decimate(format.fps);
    this.out.send(
      streamMessage(
        channel,
        format,
        this.decimator!.outputFps,
        this.rung.rung,
        this.deps.options.audioChunkMs,
        this.audioCodec,
        rungs,
        channel.rungKbps(),
      ),
    );
    this.audioSocket?.announceStream(channel.id);
    if (!this.initialQualitySent) {
      this.initialQualitySent = true;
      this.rung.announce('initial');
    }
  }

  /**
   * The rate this viewer gets: the channel's, divided by the controller's step below rung 0, and never above
   * what `select.videoFps` asked or `viewer-limits.maxFps` allows.
   */
  private decimate(channelFps = this.channel?.format?.fps): void {
    if (channelFps === undefined) return;
    const caps = [this.requestedFps, this.maxFps].filter((cap): cap is number => cap !== null);
    const stepped = channelFps / FPS_DECIMATION_STEPS[this.rung.fpsStep]!;
    this.decimator = new FrameDecimator(channelFps, Math.min(stepped, ...caps));
  }

  /** `viewer-limits`: what the player's CPU and screen take. */
  private limit({ maxFps, maxHeight }: ViewerLimitsMessage): void {
    const before = { rung: this.rung.rung, fps: this.decimator?.outputFps };
    this.maxFps = maxFps ?? null;
    this.decimate();
    this.rung.limitHeight(maxHeight ?? null);
    // A rung move announced itself; a frame-rate change alone is announced here.
    if (this.decimator && before.rung === this.rung.rung && before.fps !== this.decimator.outputFps)
      this.rung.announce('cpu');
  }

  private clearHelloDeadline(): void {
    if (this.helloDeadline) clearTimeout(this.helloDeadline);
    this.helloDeadline = null;
  }

  private leaveChannel(): void {
    this.member.leave();
    this.channel?.leave(this);
    this.channel = null;
    this.roomOnlyVideoId = null;
    this.decimator = null;
    this.window.clear();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearHelloDeadline();
    this.throttle.stop();
    this.selects.cancel();
    this.leaveChannel();
    if (this.audioToken) this.deps.audioSockets.revoke(this.audioToken);
    this.audioSocket?.close(1000, 'the viewer socket closed');
    this.deps.onClosed(this);
    this.markClosed();
  }
}
