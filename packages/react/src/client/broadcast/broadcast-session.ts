import {
  type BroadcastServerMessage,
  decodeBroadcastServerMessage,
  encodeMessage,
  PROTOCOL_VERSION,
} from '@onair/protocol';
import { type ReconnectOptions, reconnectDelay } from '../connection/reconnect-backoff';
import { DEFAULT_RECONNECT_OPTIONS } from '../options';

/** Where a broadcast is: `live` while the server takes its media, `reconnecting` after a lost socket. */
export type BroadcastStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

export interface BroadcastSessionState {
  status: BroadcastStatus;
  /** Why it stopped (`status: 'error'`): the server's refusal (code and message) or the recorder's failure. */
  error: { code: string; message: string } | null;
  /** Viewers watching now, from the server's status messages; null before the first. */
  viewers: number | null;
  /** When the stream went live (epoch ms), from the server; null before. */
  startedAt: number | null;
  /** Media bytes handed to the socket. */
  sentBytes: number;
  /** The container type the recorder makes. */
  mimeType: string | null;
}

export interface BroadcastSessionOptions {
  /** The broadcast socket: `<mount>/ingest` as ws(s). */
  url: string;
  streamId: string;
  streamKey: string;
  /** Length of each recorded chunk; the server gets media this often. Default 100 ms. */
  timesliceMs?: number;
  reconnect?: Partial<ReconnectOptions>;
  onChange(state: BroadcastSessionState): void;
  /** Stand-ins for tests. */
  createSocket?: (url: string) => WebSocket;
  createRecorder?: (stream: MediaStream, mimeType: string) => MediaRecorder;
  isTypeSupported?: (mimeType: string) => boolean;
}

/** Containers in order of preference: VP8 is the cheapest for the server to decode, Opus its audio. */
export const BROADCAST_MIME_TYPES = [
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=h264,opus',
  'video/webm',
] as const;

/**
 * 100 ms, not 250: a chunk's first frame waits for its last before it leaves, and the server keeps the broadcast
 * on its clock by its latest arrivals, so the whole chunk length shows in the glass-to-glass latency (640x360 on
 * the bench: p50 871 → 744 ms).
 */
const DEFAULT_TIMESLICE_MS = 100;
const CLIENT = '@onair/react broadcaster';

/**
 * One broadcast from this page: a `MediaRecorder` of the given stream sends its chunks over the broadcast socket
 * once the server has welcomed the stream's key. A lost socket reconnects with backoff and sends a fresh container
 * (a new recorder) when welcomed again, so the stream resumes without ending; a refusal (a wrong key, an ended
 * stream) is final. A new stream (camera switched, screen shared) restarts the recorder: its last chunk goes
 * first, then a `broadcast-container` marks the new container.
 */
export class BroadcastSession {
  private state: BroadcastSessionState = {
    status: 'idle',
    error: null,
    viewers: null,
    startedAt: null,
    sentBytes: 0,
    mimeType: null,
  };
  private socket: WebSocket | null = null;
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Chunks are sent in the order recorded, though reading each Blob is asynchronous. */
  private sending: Promise<void> = Promise.resolve();
  private readonly reconnect: ReconnectOptions;

  constructor(private readonly options: BroadcastSessionOptions) {
    this.reconnect = { ...DEFAULT_RECONNECT_OPTIONS, ...options.reconnect };
  }

  get snapshot(): BroadcastSessionState {
    return this.state;
  }

  /** Goes live with `stream`; throws if no container this browser records is one the server takes. */
  start(stream: MediaStream): void {
    if (this.state.status !== 'idle') return;
    const mimeType = this.pickMimeType();
    if (!mimeType) {
      this.fail('ONAIR_BROADCAST_UNSUPPORTED', 'this browser cannot record WebM (MediaRecorder)');
      return;
    }
    this.stream = stream;
    this.update({ status: 'connecting', mimeType });
    this.connect();
  }

  /** Broadcasts `stream` from now on (another camera, a shared screen): a new container, same stream. */
  replaceStream(stream: MediaStream): void {
    this.stream = stream;
    if (this.state.status !== 'live' || !this.recorder) return;
    const old = this.recorder;
    this.recorder = null;
    old.addEventListener('stop', () => {
      if (this.state.status !== 'live' || !this.socket) return;
      const mimeType = this.state.mimeType as string;
      this.sending = this.sending.then(() =>
        this.socket?.send(encodeMessage({ type: 'broadcast-container', mimeType })),
      );
      this.record();
    });
    old.stop();
  }

  /** Ends the stream for everyone: the server stops the channel. */
  end(): void {
    if (this.state.status === 'ended' || this.state.status === 'idle') return;
    this.stopRecorder();
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      this.sending = this.sending.then(() => socket.send(encodeMessage({ type: 'broadcast-end' })));
    }
    this.finish({ status: 'ended' });
  }

  /** Stops sending without ending the stream (the page goes away); the server ends it after its grace time. */
  close(): void {
    this.stopRecorder();
    this.clearRetry();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
  }

  private pickMimeType(): string | null {
    const supported =
      this.options.isTypeSupported ??
      ((type: string) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type));
    return BROADCAST_MIME_TYPES.find((type) => supported(type)) ?? null;
  }

  private connect(): void {
    const socket = (this.options.createSocket ?? ((url) => new WebSocket(url)))(this.options.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      socket.send(
        encodeMessage({
          type: 'broadcast-hello',
          protocolVersion: PROTOCOL_VERSION,
          streamId: this.options.streamId,
          key: this.options.streamKey,
          mimeType: this.state.mimeType as string,
          client: CLIENT,
        }),
      );
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const decoded = decodeBroadcastServerMessage(event.data);
      if (decoded.ok) this.received(decoded.value);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.stopRecorder();
      if (
        this.state.status === 'live' ||
        this.state.status === 'connecting' ||
        this.state.status === 'reconnecting'
      )
        this.retry();
    };
  }

  private received(message: BroadcastServerMessage): void {
    switch (message.type) {
      case 'broadcast-welcome':
        this.attempt = 0;
        this.update({ status: 'live' });
        this.record();
        break;
      case 'broadcast-status':
        this.update({ viewers: message.viewers, startedAt: message.startedAt });
        break;
      case 'broadcast-ended':
        this.stopRecorder();
        this.finish({ status: 'ended' });
        break;
      case 'error':
        if (message.fatal) {
          this.stopRecorder();
          this.fail(message.code, message.message);
        }
        break;
    }
  }

  private record(): void {
    const stream = this.stream;
    const mimeType = this.state.mimeType;
    if (!stream || !mimeType) return;
    const create =
      this.options.createRecorder ??
      ((media: MediaStream, type: string) =>
        // A keyframe a second: a viewer's decoder (started late, or restarted) waits at most that long for a
        // picture, and the server's cache of the stream since the last keyframe stays small.
        new MediaRecorder(media, {
          mimeType: type,
          videoKeyFrameIntervalDuration: 1000,
        } as MediaRecorderOptions));
    let recorder: MediaRecorder;
    try {
      recorder = create(stream, mimeType);
    } catch (error) {
      this.fail('ONAIR_BROADCAST_RECORDER', `the browser could not record this stream: ${String(error)}`);
      return;
    }
    this.recorder = recorder;
    recorder.addEventListener('dataavailable', (event) => this.sendChunk(event.data));
    recorder.addEventListener('error', () => {
      if (recorder !== this.recorder) return;
      this.stopRecorder();
      this.fail('ONAIR_BROADCAST_RECORDER', 'the recorder failed (a device was unplugged?)');
    });
    recorder.start(this.options.timesliceMs ?? DEFAULT_TIMESLICE_MS);
  }

  private sendChunk(chunk: Blob): void {
    const socket = this.socket;
    if (!socket || chunk.size === 0) return;
    const read = chunk.arrayBuffer();
    this.sending = this.sending.then(async () => {
      const bytes = await read;
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(bytes);
      this.update({ sentBytes: this.state.sentBytes + bytes.byteLength });
    });
  }

  private stopRecorder(): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  }

  private retry(): void {
    this.update({ status: 'reconnecting' });
    if (this.attempt >= this.reconnect.maxAttempts) {
      this.fail('ONAIR_CONNECTION_FAILED', 'the broadcast socket could not reconnect');
      return;
    }
    const delay = reconnectDelay(this.attempt++, this.reconnect);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private fail(code: string, message: string): void {
    this.finish({ status: 'error', error: { code, message } });
  }

  private finish(change: Partial<BroadcastSessionState>): void {
    this.clearRetry();
    this.update(change);
    const socket = this.socket;
    this.socket = null;
    // After what is queued (the last chunk, `broadcast-end`) has been handed over.
    void this.sending.then(() => socket?.close(1000));
  }

  private update(change: Partial<BroadcastSessionState>): void {
    this.state = { ...this.state, ...change };
    this.options.onChange(this.state);
  }
}
