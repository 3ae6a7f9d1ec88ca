import type { Socket } from 'node:net';
import { FLV_HEADER, flvTag, scriptData } from './flv-tag';
import type { RtmpMessage, RtmpProtocol } from './rtmp-protocol';

const TAG_AUDIO = 8;
const TAG_VIDEO = 9;
const TAG_SCRIPT = 18;

export interface RtmpPublisherConfig {
  app: string;
  /** Bytes a connection may send before its publish is accepted (handshake and commands take ~4 KB). */
  maxBytesBeforePublish: number;
  /** Time a connection has to publish before it is closed. */
  publishTimeoutMs: number;
  /** The stream key's stream, or null to refuse. */
  authorize(key: string): string | null | Promise<string | null>;
  /** The publish was accepted: returns where its FLV bytes go (false when the stream was not there to take it). */
  accepted(streamId: string, publisher: RtmpPublisher): ((flv: Buffer) => void) | null;
  /** The connection ended (after `accepted`, or without ever publishing). */
  closed(publisher: RtmpPublisher, streamId: string | null): void;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * One RTMP connection: the engine speaks the protocol; this decides. A `publish` to the configured app is
 * authorised by its stream key before the engine answers it (refused: `NetStream.Publish.BadName`, then the
 * connection is closed); `play` is refused (this is an ingest); a connection that sends too much or takes too long
 * before publishing is closed. Once accepted, every audio, video and data message is written out as an FLV tag.
 */
export class RtmpPublisher {
  private received = 0;
  private streamId: string | null = null;
  private sink: ((flv: Buffer) => void) | null = null;
  private readonly timer: NodeJS.Timeout;
  private closedAlready = false;
  private refused = false;

  constructor(
    private readonly socket: Socket,
    private readonly rtmp: RtmpProtocol,
    private readonly config: RtmpPublisherConfig,
  ) {
    rtmp.onOutputCallback = (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    };
    rtmp.onPacketCallback = (message) => this.message(message);
    rtmp.onPublish = (command) => this.publish(command);
    rtmp.onPlay = () => this.refuse('play is not served here');
    socket.setNoDelay(true);
    socket.on('data', (bytes: Buffer) => this.data(bytes));
    socket.on('error', () => {});
    socket.on('close', () => this.close());
    this.timer = setTimeout(() => {
      if (this.sink === null) this.refuse(`no publish within ${config.publishTimeoutMs} ms`);
    }, config.publishTimeoutMs);
  }

  /** The peer, for logs. */
  get address(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /** Closes the connection (a newer publish of the same stream, the stream ended, the ingest closing). */
  disconnect(): void {
    this.socket.destroy();
  }

  private data(bytes: Buffer): void {
    if (this.socket.destroyed || this.refused) return;
    this.received += bytes.length;
    if (this.sink === null && this.received > this.config.maxBytesBeforePublish) {
      this.refuse(`sent ${this.received} bytes without publishing`);
      return;
    }
    let error: string | null;
    try {
      error = this.rtmp.parserData(bytes);
    } catch (thrown) {
      error = (thrown as Error).message;
    }
    if (error !== null) this.refuse(`not RTMP: ${error}`);
  }

  private publish(command: { streamName?: unknown }): void {
    if (this.streamId !== null || this.socket.destroyed) return;
    // Captured now: the engine's parser moves on while the host's `authorize` answers.
    const rtmpStreamId = this.rtmp.parserPacket.header.stream_id;
    const name = typeof command.streamName === 'string' ? command.streamName : '';
    // Keys are the stream name without a query ("key?user=x" as some encoders append).
    const key = name.split('?')[0] ?? '';
    const app = typeof this.rtmp.streamApp === 'string' ? this.rtmp.streamApp : '';
    if (app !== this.config.app) {
      this.badName(rtmpStreamId, `publish to app "${app.slice(0, 64)}", not "${this.config.app}"`);
      return;
    }
    Promise.resolve()
      .then(() => this.config.authorize(key))
      .then(
        (streamId) => this.decided(rtmpStreamId, key, streamId),
        (error: Error) => this.badName(rtmpStreamId, `authorize failed: ${error.message}`),
      );
  }

  private decided(rtmpStreamId: number, key: string, streamId: string | null): void {
    if (this.socket.destroyed) return;
    if (streamId === null) {
      this.badName(rtmpStreamId, 'stream key refused');
      return;
    }
    const sink = this.config.accepted(streamId, this);
    if (sink === null) {
      this.badName(rtmpStreamId, `stream "${streamId}" cannot take a publish now`);
      return;
    }
    this.streamId = streamId;
    this.sink = sink;
    clearTimeout(this.timer);
    this.rtmp.streamName = key;
    this.rtmp.streamId = rtmpStreamId;
    this.rtmp.respondPublish();
    sink(FLV_HEADER);
    this.config.log('info', `RTMP publish from ${this.address} to stream "${streamId}" started`);
  }

  private message(message: RtmpMessage): void {
    const sink = this.sink;
    if (sink === null) return;
    const payload = message.data.subarray(0, message.size);
    if (message.codec_type === TAG_AUDIO || message.codec_type === TAG_VIDEO) {
      sink(flvTag(message.codec_type, message.dts, payload));
    } else if (message.codec_type === TAG_SCRIPT) {
      sink(flvTag(TAG_SCRIPT, message.dts, scriptData(payload)));
    }
  }

  /** Refuses a publish the way RTMP servers do (OBS then shows an invalid stream key), and closes. */
  private badName(rtmpStreamId: number, reason: string): void {
    if (!this.socket.destroyed) {
      this.rtmp.sendStatusMessage(rtmpStreamId, 'error', 'NetStream.Publish.BadName', 'Publish refused');
    }
    this.refuse(reason);
  }

  private refuse(reason: string): void {
    if (this.socket.destroyed || this.refused) return;
    this.refused = true;
    // The key itself never goes in the log: it is the broadcaster's secret.
    this.config.log('warn', `RTMP connection from ${this.address} closed: ${reason}`);
    this.socket.end();
    // A peer that does not close its side is cut off.
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private close(): void {
    if (this.closedAlready) return;
    this.closedAlready = true;
    clearTimeout(this.timer);
    this.sink = null;
    this.config.closed(this, this.streamId);
  }
}
