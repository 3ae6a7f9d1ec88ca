import {
  AckPacer,
  type AudioCodec,
  DEFAULT_FEEDBACK_INTERVAL_MS,
  decodeMediaHeader,
  decodeServerMessage,
  encodeAck,
  encodeMessage,
  PROTOCOL_VERSION,
} from '@onair/protocol';
import type { DelayHistogram } from '../infra/statistics';
import { LeanWebSocket } from './lean-websocket';

/** What every viewer of a fleet shares: whether the measured window is open, and where delays go. */
export interface MeasureWindow {
  active: boolean;
  delays: DelayHistogram;
}

export interface BenchViewerOptions {
  url: string;
  videoId: string;
  /** A stalled viewer selects a video and then never reads its socket again. */
  stalled: boolean;
  window: MeasureWindow;
  /** What the hello offers; none, as an old client: PCM. */
  audioCodecs?: readonly AudioCodec[];
}

/**
 * One headless viewer speaking the OnAir protocol the way a healthy player does (hello, select, cumulative
 * acks, feedback on the server's cadence) but never decoding a JPEG: only the 24-byte header is read, and the
 * socket underneath never copies the rest (`LeanWebSocket`).
 */
export class BenchViewer {
  /** performance.now() when the socket opened, and when the first video frame arrived. */
  openedAt = Number.NaN;
  firstFrameAt = Number.NaN;
  framesInWindow = 0;
  videoBytesInWindow = 0;
  audioChunksInWindow = 0;
  closedByServer = false;
  /** Video frames the server sends ahead of acks, from its welcome. */
  ackWindow = Number.NaN;
  readonly errors: string[] = [];
  readonly firstFrame: Promise<void>;

  private readonly socket: LeanWebSocket;
  private readonly acks = new AckPacer();
  private feedbackTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private resolveFirstFrame!: () => void;

  constructor(private readonly options: BenchViewerOptions) {
    this.firstFrame = new Promise((resolve) => {
      this.resolveFirstFrame = resolve;
    });
    this.socket = new LeanWebSocket(options.url, {
      onOpen: () => {
        this.openedAt = performance.now();
        this.socket.sendText(
          encodeMessage({
            type: 'hello',
            protocolVersion: PROTOCOL_VERSION,
            client: 'onair-bench',
            ...(options.audioCodecs ? { audioCodecs: [...options.audioCodecs] } : {}),
          }),
        );
      },
      onText: (text) => this.onControl(text),
      onBinary: (head, length) => this.onMedia(head, length),
      onClose: (byServer, error) => {
        clearInterval(this.feedbackTimer);
        if (error) this.errors.push(error.message);
        if (byServer && !this.closing) this.closedByServer = true;
        // A viewer that never got a frame must not hold the fleet's wait forever.
        this.resolveFirstFrame();
      },
    });
  }

  get hasFrame(): boolean {
    return !Number.isNaN(this.firstFrameAt);
  }

  resetWindow(): void {
    this.framesInWindow = 0;
    this.videoBytesInWindow = 0;
    this.audioChunksInWindow = 0;
  }

  close(): void {
    this.closing = true;
    clearInterval(this.feedbackTimer);
    if (this.options.stalled) this.socket.terminate();
    else this.socket.close();
  }

  private onControl(text: string): void {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) {
      this.errors.push(`bad control message: ${decoded.error.message}`);
      return;
    }
    const message = decoded.value;
    if (message.type === 'welcome') {
      this.ackWindow = message.ackWindow;
      this.acks.setWindow(message.ackWindow);
      this.socket.sendText(encodeMessage({ type: 'select', videoId: this.options.videoId }));
      if (!this.options.stalled) this.startFeedback(message.feedbackIntervalMs);
    } else if (message.type === 'stream' && this.options.stalled) {
      this.socket.pause();
    } else if (message.type === 'error') {
      this.errors.push(`${message.code}: ${message.message}`);
    }
  }

  private onMedia(head: Buffer, length: number): void {
    const decoded = decodeMediaHeader(head);
    if (!decoded.ok || decoded.value.headerLength + decoded.value.payloadLength !== length) {
      this.errors.push(
        `bad media message: ${decoded.ok ? 'length does not match its header' : decoded.error.message}`,
      );
      return;
    }
    const media = decoded.value;
    if (media.kind === 'audio') {
      if (this.options.window.active) this.audioChunksInWindow += 1;
      return;
    }
    // Acked on receipt, like a player does: the server counts frames in flight with these (cumulative) acks.
    if (this.acks.shouldAck()) this.socket.sendBinary(encodeAck(media.sequence));
    if (!this.hasFrame) {
      this.firstFrameAt = performance.now();
      this.resolveFirstFrame();
    }
    if (this.options.window.active) {
      this.framesInWindow += 1;
      this.videoBytesInWindow += media.payloadLength;
      // Header timestamps are wall-clock ms on the channel clock (epoch 0), and we share the server's clock.
      this.options.window.delays.add(Date.now() - media.timestamp);
    }
  }

  private startFeedback(intervalMs: number): void {
    const every = intervalMs || DEFAULT_FEEDBACK_INTERVAL_MS;
    const send = () => {
      if (!this.socket.open) return;
      this.socket.sendText(
        encodeMessage({
          type: 'feedback',
          bufferLevel: 1,
          bufferMs: 300,
          networkQuality: 'good',
          timestamp: performance.now(),
          droppedFrames: 0,
          lateFrames: 0,
          decodeMs: 2,
        }),
      );
    };
    // Spread the reports of a thousand viewers over the interval instead of sending them in one burst.
    this.feedbackTimer = setTimeout(() => {
      send();
      this.feedbackTimer = setInterval(send, every);
    }, Math.random() * every);
  }
}
