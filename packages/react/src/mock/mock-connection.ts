import {
  AUDIO_FORMAT,
  type ClientMessage,
  type ClientMessageMap,
  decodeAck,
  decodeClientMessage,
  ErrorCode,
  encodeMediaMessage,
  encodeMessage,
  type QualityChangedMessage,
  type SelectMessage,
  type ServerMessage,
} from '@onair/protocol';
import type { TransportConnection, TransportHandlers } from '../client/transport/transport';
import type { ResolvedMockOptions } from './mock-options';
import { beepChunk, sampleJpeg, toneChunk } from './sample-media';

/** What a connection reports to the server that owns it (for tests to assert on). */
export interface MockConnectionEvents {
  received(message: ClientMessage): void;
  acked(sequence: number): void;
  videoFrameSent(): void;
  videoFrameSkipped(): void;
  closed(connection: MockConnection): void;
  /** `select` put this connection on `videoId`: the room answers with `room`. */
  joined(connection: MockConnection, videoId: string): void;
  /** A chat, moderation or reaction message, for the room to handle. */
  social(connection: MockConnection, message: SocialClientMessage): void;
}

export type SocialClientMessage = ClientMessageMap['chat-send' | 'chat-delete' | 'chat-pin' | 'reaction'];

const SOCIAL_TYPES: ReadonlySet<ClientMessage['type']> = new Set([
  'chat-send',
  'chat-delete',
  'chat-pin',
  'reaction',
]);

/**
 * One socket of the in-memory server: answers the protocol like the real middleware (hello → welcome,
 * catalog, select → stream + frames on a timer, quality → quality-changed) with every delivery on a timer,
 * so `vi.useFakeTimers` drives it completely.
 */
/** What the mock calls its rungs, lowest first: the sizes of a typical server ladder. */
const MOCK_RUNG_LABELS = ['240p', '360p', '480p', '720p', '1080p'];

export class MockConnection implements TransportConnection {
  private open = false;
  private closed = false;
  private helloed = false;
  private videoId: string | null = null;
  /** A `stream` went out on this socket: the first is followed by the initial `quality-changed`. */
  private streamed = false;
  private rung: number;
  private mode: QualityChangedMessage['mode'] = 'auto';
  private videoSequence = 0;
  private audioSequence = 0;
  private audioSample = 0;
  private inFlight = new Set<number>();
  private timers: ReturnType<typeof setInterval>[] = [];
  paused = false;

  constructor(
    private readonly handlers: TransportHandlers,
    private readonly options: ResolvedMockOptions,
    private readonly events: MockConnectionEvents,
  ) {
    this.rung = options.initialRung;
    setTimeout(() => {
      if (this.closed) return;
      this.open = true;
      handlers.onOpen();
    }, options.openDelayMs);
  }

  send(data: string | Uint8Array): void {
    if (!this.open) return;
    if (typeof data !== 'string') {
      const ack = decodeAck(data);
      if (ack.ok) {
        // Cumulative, like the real server: acking a frame frees it and every older one still in flight.
        for (const sequence of this.inFlight) if (sequence <= ack.value) this.inFlight.delete(sequence);
        this.events.acked(ack.value);
      } else {
        this.error(ErrorCode.BadBinary, ack.error.message, false);
      }
      return;
    }
    const decoded = decodeClientMessage(data);
    if (decoded.ok) {
      this.events.received(decoded.value);
      this.receive(decoded.value);
    } else {
      this.error(ErrorCode.BadMessage, decoded.error.message, false);
    }
  }

  close(): void {
    this.terminate(1000, '');
  }

  /** The video this connection selected last; null before its first `select`. */
  get selectedVideoId(): string | null {
    return this.videoId;
  }

  /** Sends a control message as the server would (after `latencyMs`). */
  push(message: ServerMessage): void {
    this.deliver(encodeMessage(message));
  }

  /** Sends an error as the server would; a fatal one closes the socket after it. `ref` names a chat message. */
  error(code: ErrorCode, message: string, fatal: boolean, ref?: string): void {
    this.deliver(
      encodeMessage({ type: 'error', code, message, fatal, ...(ref === undefined ? {} : { ref }) }),
    );
    if (fatal) this.later(() => this.terminate(code === ErrorCode.ServerClosing ? 1001 : 1008, message));
  }

  /** The network goes away: no goodbye, just a close. */
  drop(code: number, reason: string): void {
    this.terminate(code, reason);
  }

  changeRung(rung: number, reason: QualityChangedMessage['reason']): void {
    this.rung = rung;
    this.deliver(this.qualityChanged(reason));
  }

  private receive(message: ClientMessage): void {
    if (message.type === 'hello') this.hello(message.protocolVersion);
    else if (!this.helloed) this.error(ErrorCode.HelloRequired, 'the first message must be hello', false);
    else if (message.type === 'catalog')
      this.deliver(encodeMessage({ type: 'catalog', videos: this.options.videos }));
    else if (message.type === 'select') this.select(message);
    else if (message.type === 'quality') this.quality(message.rung);
    else if (SOCIAL_TYPES.has(message.type)) this.events.social(this, message as SocialClientMessage);
  }

  private hello(version: number): void {
    const { ladder, feedbackIntervalMs, ackWindow, protocolVersion } = this.options;
    if (this.helloed) {
      this.error(ErrorCode.HelloRequired, 'hello was already sent', false);
    } else if (version !== protocolVersion) {
      this.error(ErrorCode.ProtocolVersion, `protocol version ${version} is not ${protocolVersion}`, true);
    } else {
      this.helloed = true;
      this.deliver(
        encodeMessage({
          type: 'welcome',
          protocolVersion,
          ladder: [...ladder],
          feedbackIntervalMs,
          ackWindow,
          maxClientMessageBytes: 65_536,
        }),
      );
    }
  }

  private select(message: SelectMessage): void {
    const video = this.options.videos.find((entry) => entry.id === message.videoId);
    if (!video) {
      this.error(ErrorCode.UnknownVideo, `no video "${message.videoId}"`, false);
      return;
    }
    this.stopTimers();
    if (message.media === false) {
      // Like the real server: the room only (a player on HLS), no stream and no frames to ack.
      this.videoId = video.id;
      this.events.joined(this, video.id);
      return;
    }
    const first = !this.streamed;
    this.streamed = true;
    this.videoId = video.id;
    const withAudio = video.hasAudio && this.options.audio;
    const viewerFps = Math.min(video.fps, message.videoFps ?? video.fps);
    const now = this.options.now();
    const stream: ServerMessage = {
      type: 'stream',
      videoId: video.id,
      width: video.width,
      height: video.height,
      fps: video.fps,
      viewerFps,
      audio: withAudio ? { codec: 'pcm', ...AUDIO_FORMAT, chunkMs: this.options.audioChunkMs } : null,
      channelTime: now,
      position: video.duration ? (now / 1000) % video.duration : null,
      duration: video.duration,
      rung: this.rung,
      // The mock's rungs differ only in JPEG quality, all at the video's size; they are labelled by size as a
      // server's ladder would be, so stories show what viewers see.
      rungs: this.options.ladder.map((quality, index) => ({
        width: video.width,
        height: video.height,
        quality,
        kbps: 0,
        label: MOCK_RUNG_LABELS[index] ?? `Q${quality}`,
      })),
    };
    this.deliver(encodeMessage(stream));
    if (first) this.deliver(this.qualityChanged('initial'));
    const index = this.options.videos.indexOf(video);
    const still = sampleJpeg(index);
    const { picture } = this.options;
    this.timers.push(
      setInterval(
        () => this.sendFrame(picture?.(video, index, this.options.now()) ?? still),
        1000 / viewerFps,
      ),
    );
    if (withAudio) this.timers.push(setInterval(() => this.sendAudio(), this.options.audioChunkMs));
    this.events.joined(this, video.id);
  }

  private quality(rung: number | 'auto'): void {
    if (rung !== 'auto' && rung >= this.options.ladder.length) {
      this.error(ErrorCode.BadRung, `rung ${rung} is outside the ladder`, false);
      return;
    }
    this.mode = rung === 'auto' ? 'auto' : 'locked';
    if (rung !== 'auto') this.rung = rung;
    this.deliver(this.qualityChanged('request'));
  }

  private qualityChanged(reason: QualityChangedMessage['reason']): string {
    const quality = this.options.ladder[this.rung] ?? 1;
    return encodeMessage({ type: 'quality-changed', rung: this.rung, quality, mode: this.mode, reason });
  }

  private sendFrame(picture: Uint8Array): void {
    if (this.paused) return;
    // Like the real server: past `ackWindow` unacknowledged frames, a frame is skipped rather than queued.
    if (this.inFlight.size >= this.options.ackWindow) {
      this.events.videoFrameSkipped();
      return;
    }
    const sequence = this.videoSequence++ >>> 0;
    this.inFlight.add(sequence);
    const timestamp = this.options.now();
    this.deliver(
      encodeMediaMessage({ kind: 'video', timestamp, sequence, rungOrChannels: this.rung, payload: picture }),
    );
    this.events.videoFrameSent();
  }

  private sendAudio(): void {
    if (this.paused) return;
    const chunkMs = this.options.audioChunkMs;
    // The chunk holds the last `chunkMs` of sound, so its first sample was on air that long ago.
    const timestamp = this.options.now() - chunkMs;
    const payload =
      this.options.sound === 'beep' ? beepChunk(timestamp, chunkMs) : toneChunk(this.audioSample, chunkMs);
    this.audioSample += (AUDIO_FORMAT.sampleRate * chunkMs) / 1000;
    const sequence = this.audioSequence++ >>> 0;
    this.deliver(
      encodeMediaMessage({
        kind: 'audio',
        timestamp,
        sequence,
        rungOrChannels: AUDIO_FORMAT.channels,
        payload,
      }),
    );
  }

  private deliver(data: string | Uint8Array): void {
    this.later(() => {
      if (this.open) this.handlers.onMessage(data);
    });
  }

  private later(action: () => void): void {
    setTimeout(action, this.options.latencyMs);
  }

  private terminate(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    this.stopTimers();
    this.events.closed(this);
    setTimeout(() => this.handlers.onClose({ code, reason }), 0);
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
