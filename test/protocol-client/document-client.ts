import WebSocket from 'ws';

// A client for the OnAir live protocol written from PROTOCOL.md alone, as someone outside the project would write
// one: it uses `ws` and Node's own APIs and nothing of `@onair/protocol`, so a gap in the document shows up here
// as a test failure rather than being papered over by shared code. It is also a reference for people writing a
// client in another language: every constant and rule below names the part of PROTOCOL.md it comes from.

/** "Binary media messages": every media message starts with a 24-byte header. */
export const MEDIA_HEADER_BYTES = 24;
/** "Transport": the most a client may send in one message (the server closes with 1009 above it). */
export const MAX_CLIENT_MESSAGE_BYTES = 65_536;
/** "Transport": a text message above this is refused with ONAIR_MESSAGE_TOO_LARGE. */
export const MAX_CONTROL_MESSAGE_BYTES = 16_384;

const MAGIC = { OAVF: 'video', OAAU: 'audio' } as const;
export type MediaKind = (typeof MAGIC)[keyof typeof MAGIC];

export interface MediaMessage {
  kind: MediaKind;
  headerVersion: number;
  headerLength: number;
  /** Byte 6: the rung of a video frame, the channel count of an audio chunk. */
  rungOrChannels: number;
  flags: number;
  /** Milliseconds on the channel clock. */
  timestamp: number;
  sequence: number;
  payload: Buffer;
}

/** Reads a media message by the header table, refusing what "A decoder must refuse" lists. */
export function parseMediaMessage(data: Buffer): MediaMessage {
  if (data.length < MEDIA_HEADER_BYTES)
    throw new Error(`media message of ${data.length} bytes: shorter than a header`);
  const magic = data.toString('ascii', 0, 4);
  const kind = MAGIC[magic as keyof typeof MAGIC];
  if (!kind) throw new Error(`unknown magic ${JSON.stringify(magic)}`);
  const headerVersion = data.readUInt8(4);
  if (headerVersion !== 1) throw new Error(`header version ${headerVersion}`);
  const headerLength = data.readUInt8(5);
  if (headerLength < MEDIA_HEADER_BYTES || headerLength > data.length) {
    throw new Error(`header length ${headerLength} in a message of ${data.length} bytes`);
  }
  const payloadLength = data.readUInt32BE(20);
  if (headerLength + payloadLength !== data.length) {
    throw new Error(
      `payload length ${payloadLength} + header ${headerLength} != message length ${data.length}`,
    );
  }
  return {
    kind,
    headerVersion,
    headerLength,
    rungOrChannels: data.readUInt8(6),
    flags: data.readUInt8(7),
    timestamp: data.readDoubleBE(8),
    sequence: data.readUInt32BE(16),
    payload: data.subarray(headerLength),
  };
}

/** "Binary acknowledgement": `OAAK` then the frame's sequence number, exactly 8 bytes. */
export function ackMessage(sequence: number): Buffer {
  const ack = Buffer.alloc(8);
  ack.write('OAAK', 0, 'ascii');
  ack.writeUInt32BE(sequence >>> 0, 4);
  return ack;
}

/** "Audio payload", `"opus"`: packets, each preceded by its length as a big-endian uint16. */
export function splitOpusPackets(payload: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let offset = 0;
  while (offset < payload.length) {
    if (offset + 2 > payload.length) throw new Error('an Opus length prefix cut short');
    const length = payload.readUInt16BE(offset);
    if (length === 0 || offset + 2 + length > payload.length)
      throw new Error(`an Opus packet of ${length} bytes`);
    packets.push(payload.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return packets;
}

/** How long an Opus packet plays, from its TOC byte (RFC 6716 §3.1): frame duration × frame count. */
export function opusPacketDurationMs(packet: Buffer): number {
  const toc = packet[0] as number;
  const config = toc >> 3;
  const frameMs =
    config < 12
      ? [10, 20, 40, 60][config % 4]
      : config < 16
        ? [10, 20][config % 2]
        : [2.5, 5, 10, 20][config % 4];
  const countCode = toc & 3;
  const frames = countCode === 0 ? 1 : countCode === 3 ? (packet[1] as number) & 0x3f : 2;
  return (frameMs as number) * frames;
}

/** The picture size of a JPEG and whether it is baseline (SOF0), from its start-of-frame marker. */
export function jpegFrameInfo(jpeg: Buffer): { width: number; height: number; baseline: boolean } {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG: no FF D8');
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) throw new Error(`JPEG marker expected at ${offset}`);
    const marker = jpeg[offset + 1] as number;
    const length = jpeg.readUInt16BE(offset + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: jpeg.readUInt16BE(offset + 5),
        width: jpeg.readUInt16BE(offset + 7),
        baseline: marker === 0xc0,
      };
    }
    offset += 2 + length;
  }
  throw new Error('JPEG without a start-of-frame marker');
}

// ---------------------------------------------------------------------------------------------------------------
// What each server message holds, by "Control messages, server to client" and "Chat, reactions and presence".

type Check = (value: unknown) => boolean;
const optional = (check: Check): Check & { optional: true } =>
  Object.assign(check, { optional: true as const });
const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isInteger: Check = (v) => Number.isInteger(v);
const isNonNegativeInteger: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
const shaped =
  (shape: Shape): Check =>
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    problemsWithShape(v as Record<string, unknown>, shape).length === 0;

type Shape = Record<string, Check>;

const RUNG: Shape = {
  width: isInteger,
  height: isInteger,
  quality: isInteger,
  kbps: isNumber,
  label: isString,
};
const PCM_AUDIO: Shape = {
  codec: oneOf('pcm'),
  sampleRate: oneOf(48_000),
  channels: isInteger,
  sampleFormat: oneOf('s16le'),
  chunkMs: isNumber,
};
const OPUS_AUDIO: Shape = {
  codec: oneOf('opus'),
  sampleRate: oneOf(48_000),
  channels: isInteger,
  chunkMs: isNumber,
};
const CHAT_MESSAGE: Shape = {
  id: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
  streamId: isString,
  clientId: optional(isString),
  displayName: isString,
  text: isString,
  sentAt: isNumber,
};
export const VIDEO_INFO: Shape = {
  id: (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(v),
  title: (v) => typeof v === 'string' && v.length <= 500,
  duration: orNull(isNumber),
  width: isNumber,
  height: isNumber,
  fps: isNumber,
  hasAudio: isBoolean,
  thumbnailUrl: isString,
  hlsUrl: optional(orNull(isString)),
};

export const SERVER_MESSAGES: Record<string, Shape> = {
  welcome: {
    protocolVersion: oneOf(1),
    ladder: arrayOf(isInteger),
    feedbackIntervalMs: isNumber,
    ackWindow: isInteger,
    maxClientMessageBytes: isInteger,
    // "The audio socket": to a hello that asked for it.
    audioSocket: optional(
      shaped({ token: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(v) }),
    ),
  },
  catalog: { videos: arrayOf(shaped(VIDEO_INFO)) },
  stream: {
    videoId: isString,
    width: isInteger,
    height: isInteger,
    fps: isNumber,
    viewerFps: isNumber,
    audio: (v) => v === null || shaped(PCM_AUDIO)(v) || shaped(OPUS_AUDIO)(v),
    channelTime: isNumber,
    position: orNull(isNumber),
    duration: orNull(isNumber),
    rung: isNonNegativeInteger,
    rungs: (v) => Array.isArray(v) && v.length > 0 && v.every(shaped(RUNG)),
  },
  'quality-changed': {
    rung: isNonNegativeInteger,
    quality: isInteger,
    mode: oneOf('auto', 'locked'),
    reason: oneOf(
      'initial',
      'buffer-low',
      'buffer-high',
      'drops',
      'backpressure',
      'request',
      'throughput',
      'cpu',
    ),
    viewerFps: optional(isNumber),
    label: optional(isString),
    width: optional(isInteger),
    height: optional(isInteger),
  },
  error: { code: isString, message: isString, fatal: isBoolean, ref: optional(isString) },
  room: {
    streamId: isString,
    role: oneOf('viewer', 'chatter', 'moderator'),
    canChat: isBoolean,
    canModerate: isBoolean,
    reactions: arrayOf(isString),
    maxChatLength: isInteger,
    history: arrayOf(shaped(CHAT_MESSAGE)),
    pinned: (v) => v === null || shaped(CHAT_MESSAGE)(v),
    viewers: isNonNegativeInteger,
  },
  'chat-ack': { clientId: isString, message: shaped(CHAT_MESSAGE) },
  'chat-message': { message: shaped(CHAT_MESSAGE) },
  'chat-deleted': { streamId: isString, messageId: isString },
  'chat-pinned': { streamId: isString, message: (v) => v === null || shaped(CHAT_MESSAGE)(v) },
  reactions: {
    streamId: isString,
    counts: (v) => typeof v === 'object' && v !== null && Object.values(v).every(isNonNegativeInteger),
    samples: (v) =>
      Array.isArray(v) &&
      v.length <= 20 &&
      v.every(shaped({ emoji: isString, x: optional(isNumber), y: optional(isNumber) })),
  },
  viewers: { streamId: isString, count: isNonNegativeInteger },
};

/** "The audio socket": the one text message it carries (and `error`). */
export const AUDIO_SOCKET_MESSAGES: Record<string, Shape> = {
  'audio-stream': { videoId: isString },
};

/** "The audio socket": the viewer socket's URL with `audio` for its last path segment, the token as its query. */
export function audioSocketUrl(viewerSocketUrl: string, token: string): string {
  const url = new URL(viewerSocketUrl);
  url.pathname = url.pathname.replace(/\/ws$/, '/audio');
  url.search = `?audioToken=${encodeURIComponent(token)}`;
  return url.toString();
}

function problemsWithShape(message: Record<string, unknown>, shape: Shape): string[] {
  const problems: string[] = [];
  for (const [field, check] of Object.entries(shape)) {
    const present = field in message && message[field] !== undefined;
    if (!present) {
      if (!('optional' in check)) problems.push(`missing ${field}`);
    } else if (!check(message[field])) {
      problems.push(`${field} is ${JSON.stringify(message[field])}`);
    }
  }
  return problems;
}

/** What is wrong with a text message of the audio socket by the document; empty when nothing is. */
export function problemsWithAudioSocketMessage(message: Record<string, unknown>): string[] {
  const shape =
    AUDIO_SOCKET_MESSAGES[String(message.type)] ?? (message.type === 'error' ? SERVER_MESSAGES.error : null);
  if (!shape) return [`a message type the audio socket does not carry: ${JSON.stringify(message.type)}`];
  return problemsWithShape(message, shape).map((problem) => `${message.type}: ${problem}`);
}

/** What is wrong with a control message from the server by the document's tables; empty when nothing is. */
export function problemsWith(message: Record<string, unknown>): string[] {
  const shape = SERVER_MESSAGES[String(message.type)];
  if (!shape) return [`a message type the document does not list: ${JSON.stringify(message.type)}`];
  return problemsWithShape(message, shape).map((problem) => `${message.type}: ${problem}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The client.

export type ControlMessage = { type: string } & Record<string, unknown>;
export type Received =
  | { kind: 'control'; at: number; message: ControlMessage }
  | { kind: 'media'; at: number; media: MediaMessage }
  /** A message the document's layout refuses: kept so a test can report it. */
  | { kind: 'unreadable'; at: number; reason: string };

export interface ConnectOptions {
  /** Answer the server's pings (every WebSocket library does; a test turns it off to see the heartbeat's end). */
  autoPong?: boolean;
  /** Acknowledge frames as "Binary acknowledgement" says (on unless a test wants the window to fill). */
  autoAck?: boolean;
  headers?: Record<string, string>;
}

export class DocumentClient {
  /** Everything received, in order. */
  readonly received: Received[] = [];
  /** When each ping from the server arrived. */
  readonly pings: number[] = [];
  /** Resolves with the close code and whether a close frame came (1006 means none did). */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readPosition = 0;
  private waiters = new Set<() => void>();
  private framesSinceAck = 0;
  private ackStride = 1;
  private autoAck: boolean;

  private constructor(
    readonly socket: WebSocket,
    options: ConnectOptions,
  ) {
    this.autoAck = options.autoAck ?? true;
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    socket.on('ping', () => this.pings.push(Date.now()));
    socket.on('message', (data: Buffer, isBinary) => this.receive(data, isBinary));
    socket.on('error', () => {
      // The close event reports how the socket ended; an error (a 1006 end) has nothing to add.
    });
  }

  static connect(url: string, options: ConnectOptions = {}): Promise<DocumentClient> {
    const socket = new WebSocket(url, { autoPong: options.autoPong ?? true, headers: options.headers });
    const client = new DocumentClient(socket, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade answered ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    const at = Date.now();
    if (!isBinary) {
      this.received.push({ kind: 'control', at, message: JSON.parse(data.toString('utf8')) });
      const message = this.received.at(-1) as { message: ControlMessage };
      // "every frame until the welcome has come", then every max(1, floor(ackWindow / 4)) frames.
      if (message.message.type === 'welcome') {
        this.ackStride = Math.max(1, Math.floor(Number(message.message.ackWindow) / 4));
      }
    } else {
      try {
        const media = parseMediaMessage(data);
        this.received.push({ kind: 'media', at, media });
        if (media.kind === 'video' && this.autoAck && ++this.framesSinceAck >= this.ackStride) {
          this.framesSinceAck = 0;
          this.sendBinary(ackMessage(media.sequence));
        }
      } catch (error) {
        this.received.push({ kind: 'unreadable', at, reason: (error as Error).message });
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  /** A text message as given, even one that is not JSON (or, as a Buffer, not UTF-8). */
  sendText(text: string | Buffer): void {
    this.socket.send(text, { binary: false });
  }

  sendBinary(data: Buffer): void {
    if (this.isOpen) this.socket.send(data, { binary: true });
  }

  /** The index the next `take` starts from: what came before it has been read. */
  get position(): number {
    return this.readPosition;
  }

  /** Moves the read position to the end: what has arrived so far is not looked at by `take`. */
  skipReceived(): number {
    this.readPosition = this.received.length;
    return this.readPosition;
  }

  /**
   * The next message from the read position that matches, moving the read position past it (what it skipped stays
   * in `received`). Rejects after `timeoutMs`, or when the socket closes first.
   */
  take(
    matches: (item: Received) => boolean,
    timeoutMs = 15_000,
    from = this.readPosition,
  ): Promise<Received & { index: number }> {
    return new Promise((resolve, reject) => {
      const look = (): boolean => {
        for (let index = from; index < this.received.length; index++) {
          const item = this.received[index] as Received;
          if (matches(item)) {
            this.readPosition = Math.max(this.readPosition, index + 1);
            done();
            resolve({ ...item, index });
            return true;
          }
        }
        if (this.socket.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed before the awaited message (${this.describeTail()})`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`nothing matching within ${timeoutMs} ms (${this.describeTail()})`));
      }, timeoutMs);
      const waiter = () => void look();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      if (!look()) this.waiters.add(waiter);
    });
  }

  /** The next control message of this type (from the read position, or from index `from` of `received`). */
  async control(
    type: string,
    timeoutMs?: number,
    from?: number,
  ): Promise<ControlMessage & { index: number }> {
    const item = await this.take((r) => r.kind === 'control' && r.message.type === type, timeoutMs, from);
    return { ...(item as { message: ControlMessage }).message, index: item.index };
  }

  /** The next `error` with this code. */
  error(code: string, timeoutMs?: number, from?: number): Promise<ControlMessage & { index: number }> {
    return this.take(
      (r) => r.kind === 'control' && r.message.type === 'error' && r.message.code === code,
      timeoutMs,
      from,
    ).then((item) => ({ ...(item as { message: ControlMessage }).message, index: item.index }));
  }

  /** The next media message of this kind. */
  async media(kind: MediaKind, timeoutMs?: number): Promise<MediaMessage & { index: number }> {
    const item = await this.take((r) => r.kind === 'media' && r.media.kind === kind, timeoutMs);
    return { ...(item as { media: MediaMessage }).media, index: item.index };
  }

  /** Control messages received so far (all of them, read or not). */
  controls(type?: string): ControlMessage[] {
    return this.received.flatMap((r) =>
      r.kind === 'control' && (!type || r.message.type === type) ? [r.message] : [],
    );
  }

  /** Media received from `from` on (an index into `received`). */
  mediaSince(from: number, kind?: MediaKind): (MediaMessage & { index: number })[] {
    const out: (MediaMessage & { index: number })[] = [];
    for (let index = from; index < this.received.length; index++) {
      const item = this.received[index] as Received;
      if (item.kind === 'media' && (!kind || item.media.kind === kind)) out.push({ ...item.media, index });
    }
    return out;
  }

  /** "Session": sends `hello` and waits for `welcome`. */
  async hello(fields: Record<string, unknown> = {}): Promise<ControlMessage> {
    this.send({ type: 'hello', protocolVersion: 1, ...fields });
    return this.control('welcome');
  }

  /** Waits this long and returns what arrived meanwhile. */
  async collect(ms: number): Promise<Received[]> {
    const from = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.slice(from);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.terminate();
    }
  }

  private describeTail(): string {
    const tail = this.received
      .slice(-5)
      .map((r) =>
        r.kind === 'control'
          ? JSON.stringify(r.message).slice(0, 200)
          : r.kind === 'media'
            ? r.media.kind
            : r.reason,
      );
    return `last received: ${tail.join(' | ') || 'nothing'}`;
  }
}
