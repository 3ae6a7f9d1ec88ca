import {
  type ClientMessage,
  decodeMediaMessage,
  decodeServerMessage,
  encodeAck,
  encodeMessage,
  type MediaMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ServerMessageMap,
  type ServerMessageType,
} from '@onair/protocol';
import WebSocket from 'ws';

export interface ReceivedMedia extends MediaMessage {
  /** The whole binary message as received (header + payload). */
  bytes: Buffer;
  receivedAt: number;
}

export interface TestViewerOptions {
  /** Acknowledge every video frame, as a player does. Default true. */
  autoAck?: boolean;
  /** Send the hello and wait for the welcome. Default true. */
  hello?: boolean;
  headers?: Record<string, string>;
}

const DEFAULT_WAIT_MS = 8_000;

/** A scripted viewer: a real `ws` client that records every message and can misbehave on purpose. */
export class TestViewer {
  readonly messages: ServerMessage[] = [];
  readonly video: ReceivedMedia[] = [];
  readonly audio: ReceivedMedia[] = [];
  readonly undecodable: string[] = [];
  closeEvent: { code: number; reason: string } | null = null;
  autoAck: boolean;

  private constructor(
    readonly ws: WebSocket,
    options: TestViewerOptions,
  ) {
    this.autoAck = options.autoAck ?? true;
    ws.on('message', (data: Buffer, isBinary) => this.record(data, isBinary));
    ws.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString() };
    });
    ws.on('error', () => {});
  }

  static async connect(url: string, options: TestViewerOptions = {}): Promise<TestViewer> {
    const ws = new WebSocket(url, { headers: options.headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const viewer = new TestViewer(ws, options);
    if (options.hello ?? true) {
      viewer.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'integration-test' });
      await viewer.next('welcome');
    }
    return viewer;
  }

  send(message: ClientMessage): void {
    this.ws.send(encodeMessage(message));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.ws.send(data, options);
  }

  /** The first message of `type` after the first `from` messages (default: any not yet seen when called). */
  next<K extends ServerMessageType>(type: K, from = this.messages.length, timeoutMs = DEFAULT_WAIT_MS) {
    return this.waitFor(
      () =>
        this.messages.slice(from).find((message): message is ServerMessageMap[K] => message.type === type),
      `a "${type}" message`,
      timeoutMs,
    );
  }

  /** The first error message with `code` received from now on. */
  nextError(code: string, timeoutMs = DEFAULT_WAIT_MS) {
    const from = this.messages.length;
    return this.waitFor(
      () => this.messages.slice(from).find((message) => message.type === 'error' && message.code === code),
      `an error ${code}`,
      timeoutMs,
    ) as Promise<ServerMessageMap['error']>;
  }

  /** Polls `check` until it returns something truthy. */
  async waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = DEFAULT_WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Video frames received from now on, until `count` have arrived. */
  async collectVideo(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<ReceivedMedia[]> {
    const from = this.video.length;
    await this.waitFor(() => this.video.length >= from + count, `${count} video frames`, timeoutMs);
    return this.video.slice(from, from + count);
  }

  closed(timeoutMs = DEFAULT_WAIT_MS) {
    return this.waitFor(() => this.closeEvent, 'the socket to close', timeoutMs);
  }

  /** Stops reading the socket: the kernel buffers fill, no acks or pongs go out. */
  stopReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  close(): void {
    this.ws.terminate();
  }

  private record(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      const decoded = decodeServerMessage(data.toString('utf8'));
      if (decoded.ok) this.messages.push(decoded.value);
      else this.undecodable.push(`${decoded.error.code}: ${decoded.error.message}`);
      return;
    }
    const decoded = decodeMediaMessage(data);
    if (!decoded.ok) {
      this.undecodable.push(`${decoded.error.code}: ${decoded.error.message}`);
      return;
    }
    const media: ReceivedMedia = { ...decoded.value, bytes: data, receivedAt: Date.now() };
    if (media.kind === 'audio') {
      this.audio.push(media);
      return;
    }
    this.video.push(media);
    if (this.autoAck && this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeAck(media.sequence));
  }
}

/** Tries an upgrade that should be refused; resolves with the HTTP status the server answered. */
export function refusedUpgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error(`upgrade to ${url} was accepted`));
    });
    ws.on('error', reject);
  });
}
