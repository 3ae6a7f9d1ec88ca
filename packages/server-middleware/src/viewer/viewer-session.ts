import type { IncomingMessage } from 'node:http';
import { CloseCode, ErrorCode, PROTOCOL_VERSION, type VideoInfo } from '@onair/protocol';
import WebSocket, { type RawData } from 'ws';
import type { Channel, ChannelViewer } from '../channel/channel';
import type { ChannelFormat } from '../channel/output-format';
import type { EncodedFrame } from '../ladder/frames';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { RoomActions } from '../room/room-actions';
import { RoomMember } from '../room/room-member';
import type { Rooms } from '../room/rooms';
import type { ViewerStats } from '../stats';
import { readClientMessage } from './client-message';
import { FrameDecimator } from './frame-decimator';
import { MediaSender } from './media-sender';
import { SelectGate, type Selection } from './select-gate';
import { SendWindow } from './send-window';
import { streamMessage, welcomeMessage } from './stream-messages';
import { ViewerRung } from './viewer-rung';
import { ViewerSocket } from './viewer-socket';

export interface ViewerSessionDeps {
  options: ResolvedOptions;
  channels: ReadonlyMap<string, Channel>;
  rooms: Rooms;
  /** The chat and reaction policy (the same REST's requests go through). */
  actions: RoomActions;
  /** Unique to this `liveStream()` instance: with the session id, it names this viewer to the hub. */
  instanceTag: string;
  /** The catalog as the `catalog` message lists it. */
  catalog(): VideoInfo[];
  onClosed(session: ViewerSession): void;
}

let nextSessionId = 1;

/**
 * One viewer's socket: the hello handshake, control messages, and media sending under its own rung, frame
 * rate and ack window. Nothing here waits on the socket, so a stalled viewer never slows anyone else.
 */
export class ViewerSession implements ChannelViewer {
  readonly id = nextSessionId++;
  /** Cleared by each heartbeat ping, set by the pong (or any message); still clear at the next ping: gone. */
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
  private decimator: FrameDecimator | null = null;
  private initialQualitySent = false;
  private readonly rung: ViewerRung;
  private readonly window: SendWindow;
  private readonly sender: MediaSender;
  private readonly member: RoomMember;
  private readonly selects: SelectGate;
  private readonly out: ViewerSocket;

  constructor(
    private readonly ws: WebSocket,
    req: IncomingMessage,
    private readonly deps: ViewerSessionDeps,
  ) {
    const { options } = deps;
    this.out = new ViewerSocket(ws, options.maxBufferedBytes);
    this.rung = new ViewerRung({
      ladder: options.ladder,
      initialRung: options.initialRung,
      send: (message) => this.out.send(message),
      refuse: (code, message) => this.out.sendError(code, message, false),
      moved: (rung) => this.channel?.setRung(this, rung),
    });
    this.window = new SendWindow(options.ackWindow);
    this.sender = new MediaSender(ws, this.window, options.maxBufferedBytes);
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
      req,
      refuse: (code, message) => this.out.sendError(code, message, false),
    });
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    ws.on('message', (data, isBinary) => this.received(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
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
  }

  /** `close()` of the middleware: say why, then close with "going away". */
  shutdown(): void {
    this.out.sendError(ErrorCode.ServerClosing, 'the server is shutting down', true);
    this.ws.close(CloseCode.ServerClosing, 'server closing');
  }

  get isClosed(): boolean {
    return this.ended;
  }

  stats(): ViewerStats {
    return {
      id: this.id,
      videoId: this.channel?.id ?? this.roomOnlyVideoId,
      rung: this.rung.rung,
      mode: this.rung.mode,
      inFlight: this.window.inFlight,
      bufferedAmount: this.ws.bufferedAmount,
      ...this.sender.counters,
      rungSwitches: this.rung.switches,
    };
  }

  receiveVideo(frame: EncodedFrame, catchUp: boolean): void {
    if (!this.decimator || this.ws.readyState !== WebSocket.OPEN) return;
    if (!catchUp && !this.decimator.take()) return;
    if (this.sender.sendVideo(frame) !== 'sent') this.rung.skipped();
  }

  receiveAudio(message: Buffer): void {
    if (this.decimator && this.ws.readyState === WebSocket.OPEN) this.sender.sendAudio(message);
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
    this.alive = true;
    const inbound = readClientMessage(data, isBinary);
    if (inbound.kind === 'error') {
      this.out.sendError(inbound.code, inbound.message, false);
      return;
    }
    if (!this.greeted) {
      if (inbound.kind === 'message' && inbound.message.type === 'hello')
        this.hello(inbound.message.protocolVersion);
      else this.out.sendError(ErrorCode.HelloRequired, 'the first message must be a hello', false);
      return;
    }
    if (inbound.kind === 'ack') {
      this.window.ack(inbound.sequence);
      return;
    }
    const { message } = inbound;
    switch (message.type) {
      case 'hello':
        this.out.sendError(ErrorCode.HelloRequired, 'hello was already received on this socket', false);
        break;
      case 'catalog':
        this.out.send({ type: 'catalog', videos: this.deps.catalog() });
        break;
      case 'select':
        this.selects.request(message, (selection) => this.switchTo(selection));
        break;
      case 'quality':
        this.rung.request(message.rung);
        break;
      case 'feedback':
        // Judged against this viewer's frame interval; nothing to judge before (or without) a stream.
        if (this.decimator)
          this.rung.feedback({ ...message, frameIntervalMs: 1000 / this.decimator.outputFps });
        break;
      case 'viewer-limits':
        break;
      default:
        this.member.receive(message);
    }
  }

  private hello(protocolVersion: number): void {
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
    this.out.send(welcomeMessage(this.deps.options));
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
    if (channel.format) this.startStream(channel, channel.format);
    // After `stream`: joining may send the channel's newest frame straight away.
    channel.join(this, this.rung.rung);
    this.member.join(channel.id);
  }

  private startStream(channel: Channel, format: ChannelFormat): void {
    this.window.clear();
    this.decimator = new FrameDecimator(format.fps, this.requestedFps);
    this.out.send(
      streamMessage(
        channel,
        format,
        this.decimator.outputFps,
        this.rung.rung,
        this.deps.options.audioChunkMs,
      ),
    );
    if (!this.initialQualitySent) {
      this.initialQualitySent = true;
      this.rung.announce('initial');
    }
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
    this.selects.cancel();
    this.leaveChannel();
    this.deps.onClosed(this);
    this.markClosed();
  }
}
