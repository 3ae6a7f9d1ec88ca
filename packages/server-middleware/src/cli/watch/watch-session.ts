import {
  AckPacer,
  type CatalogMessage,
  decodeMediaMessage,
  decodeServerMessage,
  encodeAck,
  encodeMessage,
  type MediaMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
  type StreamMessage,
  type WelcomeMessage,
} from '@onair/protocol';
import WebSocket from 'ws';
import { CliFailure } from '../cli-error';
import { IntervalStats, type StreamPosition, type WatchSample } from './interval-stats';
import { SimulatedBuffer } from './simulated-buffer';
import { WatchFeedback } from './watch-feedback';

export interface WatchSessionOptions {
  /** `ws://host/live/ws`. */
  socketUrl: string;
  /** Default: the first video of the catalog. */
  videoId: string | undefined;
  /** How long the hello, catalog and select may take before the first `stream` message. */
  connectTimeoutMs: number;
  /** Lines that are neither samples nor failures (a channel that restarts). */
  notice: (line: string) => void;
}

/**
 * Header timestamps are on the channel clock, Unix ms unless the server set another epoch. A `stream` message
 * whose clock is this far from ours comes from such a server: its offset is then taken out of the latency.
 */
const FOREIGN_EPOCH_MS = 60_000;

/**
 * One headless viewer: hello, catalog, select, a cumulative ack every `ackWindow / 4` video frames (`AckPacer`,
 * as the player does: the server's send window counts frames in flight with them), feedback from a simulated
 * jitter buffer on the server's cadence. It decodes no JPEG.
 */
export class WatchSession {
  /** Resolves with the first `stream` message; rejects with a `CliFailure` if it never comes. */
  readonly ready: Promise<StreamMessage>;
  /** Rejects with a `CliFailure` when the server closes, refuses or breaks the protocol; resolves on close(). */
  readonly ended: Promise<void>;

  private readonly socket: WebSocket;
  private readonly buffer = new SimulatedBuffer();
  /** The current stream's frame rate (`stream.fps`), for the rate a `quality-changed` reduces it to. */
  private channelFps = 0;
  private readonly feedback = new WatchFeedback();
  private stats = new IntervalStats(Date.now());
  private welcome: WelcomeMessage | undefined;
  private readonly acks = new AckPacer();
  private position: StreamPosition | undefined;
  private startedAt = Number.NaN;
  private clockOffsetMs = 0;
  private feedbackTimer: NodeJS.Timeout | undefined;
  private readonly connectTimer: NodeJS.Timeout;
  private opened = false;
  private closing = false;
  private resolveReady!: (stream: StreamMessage) => void;
  private rejectReady!: (failure: CliFailure) => void;
  private resolveEnded!: () => void;
  private rejectEnded!: (failure: CliFailure) => void;

  constructor(private readonly options: WatchSessionOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ended = new Promise((resolve, reject) => {
      this.resolveEnded = resolve;
      this.rejectEnded = reject;
    });
    // Callers await one or the other; the one not awaited must not surface as an unhandled rejection.
    this.ready.catch(() => {});
    this.ended.catch(() => {});

    this.connectTimer = setTimeout(
      () => this.fail(`no stream from ${options.socketUrl} within ${options.connectTimeoutMs / 1000} s`),
      options.connectTimeoutMs,
    );
    this.socket = new WebSocket(options.socketUrl, { perMessageDeflate: false });
    this.socket.on('open', () => {
      this.opened = true;
      this.socket.send(
        encodeMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'onair-watch' }),
      );
    });
    this.socket.on('message', (data, isBinary) => {
      const bytes = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      if (isBinary) this.onMedia(bytes);
      else this.onControl(bytes.toString('utf8'));
    });
    this.socket.on('error', (error) =>
      this.fail(
        this.opened
          ? `connection to ${options.socketUrl} failed: ${error.message}`
          : `cannot connect to ${options.socketUrl}: ${error.message}`,
      ),
    );
    this.socket.on('close', (code, reason) => {
      if (this.closing) return;
      const why = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
      this.fail(`the server closed the connection (code ${code}${why})`);
    });
  }

  /** The interval since the previous call, closed at `now`. */
  takeSample(now: number): WatchSample {
    const position = this.position ?? { videoId: '', rung: 0, quality: null, mode: 'auto' as const };
    return this.stats.take(now, (now - this.startedAt) / 1000, position, this.bufferState(now));
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.stopTimers();
    this.socket.close(1000);
    // A server that never answers the close handshake must not keep the process alive.
    setTimeout(() => this.socket.terminate(), 1000).unref();
    this.resolveEnded();
  }

  private fail(message: string): void {
    if (this.closing) return;
    this.closing = true;
    this.stopTimers();
    this.socket.terminate();
    const failure = new CliFailure(message);
    this.rejectReady(failure);
    this.rejectEnded(failure);
  }

  private stopTimers(): void {
    clearTimeout(this.connectTimer);
    clearInterval(this.feedbackTimer);
  }

  private send(message: Parameters<typeof encodeMessage>[0]): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(encodeMessage(message));
  }

  private onControl(text: string): void {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) {
      this.fail(
        `protocol error: the server sent a message this client cannot read (${decoded.error.message})`,
      );
      return;
    }
    this.handle(decoded.value);
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.welcome = message;
        this.acks.setWindow(message.ackWindow);
        this.send({ type: 'catalog' });
        this.feedbackTimer = setInterval(() => this.sendFeedback(), message.feedbackIntervalMs);
        return;
      case 'catalog':
        if (!this.position) this.selectFrom(message);
        return;
      case 'stream':
        this.onStream(message);
        return;
      case 'quality-changed':
        if (message.viewerFps !== undefined) this.buffer.setRates(this.channelFps, message.viewerFps);
        if (this.position) {
          this.position = {
            ...this.position,
            rung: message.rung,
            quality: message.quality,
            mode: message.mode,
          };
        }
        return;
      case 'error':
        if (message.fatal) this.fail(`the server refused: ${message.code}: ${message.message}`);
        else this.options.notice(`server: ${message.code}: ${message.message}`);
        return;
      default:
        // Chat, reactions and viewer counts are not what `watch` measures.
        return;
    }
  }

  private selectFrom(catalog: CatalogMessage): void {
    const ids = catalog.videos.map((video) => video.id);
    const wanted = this.options.videoId ?? ids[0];
    if (wanted === undefined) {
      this.fail('the server has no videos');
    } else if (!ids.includes(wanted)) {
      this.fail(`no video "${wanted}" on this server; it has: ${ids.join(', ')}`);
    } else {
      this.send({ type: 'select', videoId: wanted });
    }
  }

  private onStream(stream: StreamMessage): void {
    const now = Date.now();
    const offset = now - stream.channelTime;
    this.clockOffsetMs = Math.abs(offset) > FOREIGN_EPOCH_MS ? offset : 0;
    this.buffer.reset();
    this.channelFps = stream.fps;
    this.buffer.setRates(stream.fps, stream.viewerFps);
    const mode = this.position?.mode ?? 'auto';
    this.position = {
      videoId: stream.videoId,
      rung: stream.rung,
      // The channel's own ladder: `welcome.ladder` is the configured one, before each channel planned its rungs.
      quality: stream.rungs[stream.rung]?.quality ?? this.qualityOf(stream.rung),
      mode,
    };
    if (Number.isNaN(this.startedAt)) {
      this.startedAt = now;
      this.stats = new IntervalStats(now);
      clearTimeout(this.connectTimer);
      this.resolveReady(stream);
    }
  }

  private qualityOf(rung: number): number | null {
    return this.welcome?.ladder[rung] ?? null;
  }

  private onMedia(bytes: Buffer): void {
    const decoded = decodeMediaMessage(bytes);
    if (!decoded.ok) {
      this.fail(`protocol error: unreadable media message (${decoded.error.message})`);
      return;
    }
    this.count(decoded.value);
  }

  private count(media: MediaMessage): void {
    if (media.kind === 'audio') {
      this.stats.addAudio(media.payload.byteLength);
      return;
    }
    // Acked on receipt, as the player does: the server counts frames in flight with these (cumulative) acks.
    if (this.acks.shouldAck()) this.socket.send(encodeAck(media.sequence));
    const now = Date.now();
    const verdict = this.buffer.receive(media, now);
    this.feedback.count(verdict);
    this.stats.addVideo(media.payload.byteLength, now - this.clockOffsetMs - media.timestamp, verdict);
  }

  private bufferState(now: number): { bufferMs: number; level: number } {
    return { bufferMs: this.buffer.bufferedMs(now), level: this.buffer.level(now) };
  }

  private sendFeedback(): void {
    if (!this.position) return;
    this.send(this.feedback.take(this.bufferState(Date.now()), performance.now()));
  }
}
