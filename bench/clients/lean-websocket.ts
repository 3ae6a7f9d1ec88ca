import { createHash, randomBytes } from 'node:crypto';
import type net from 'node:net';
import { connectWithSharedReads } from './shared-read-socket';

export interface LeanWebSocketHandlers {
  onOpen(): void;
  onText(text: string): void;
  /**
   * A binary message: its first `headBytes` bytes (fewer if it is shorter) and its full length. The payload
   * beyond the head is counted, never copied. `head` is reused for the next message: read it before returning.
   */
  onBinary(head: Buffer, length: number): void;
  /** Once, when the socket is gone; `error` when it did not end cleanly. */
  onClose(byServer: boolean, error?: Error): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;
/** Text and control messages are kept whole; nothing the server sends as text comes near this. */
const MAX_TEXT_BYTES = 1024 * 1024;

type State = 'handshake' | 'frame-header' | 'payload';

/**
 * A WebSocket client (RFC 6455) for the load generator only: it keeps the first bytes of each binary message
 * and skips the rest where they lie in the socket's read buffers. The `ws` client copies every message that
 * spans two reads into a new buffer and emits it; at 500 viewers × 30 frames × 46 KB that copying made the
 * fleet, not the server, the thing the benchmark measured. No extensions, no fragmented sends.
 */
export class LeanWebSocket {
  private readonly socket: net.Socket;
  private readonly key = randomBytes(16).toString('base64');
  private readonly mask = randomBytes(4);
  private state: State = 'handshake';
  /** Bytes carried over between reads: the handshake response, or a frame header split across reads. */
  private pending: Buffer = Buffer.alloc(0);
  private opcode = 0;
  private messageOpcode = 0;
  private remaining = 0;
  private messageLength = 0;
  private readonly head: Buffer;
  private headFilled = 0;
  private textParts: Buffer[] = [];
  /** Control frames (ping, close) may arrive between the frames of a message, so they collect apart. */
  private controlParts: Buffer[] = [];
  /** A frame with FIN unset is continued by another frame; only a FIN frame completes a message. */
  private finalFrame = true;
  private closed = false;
  private closing = false;
  private closedByServer = false;

  constructor(
    url: string,
    private readonly handlers: LeanWebSocketHandlers,
    private readonly headBytes = 24,
  ) {
    this.head = Buffer.alloc(headBytes);
    const { hostname, port, pathname, search } = new URL(url);
    this.socket = connectWithSharedReads(hostname, Number(port) || 80, (chunk) => this.onData(chunk));
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on('error', (error) => this.finish(error));
    this.socket.on('close', () => this.finish());
  }

  get open(): boolean {
    return this.state !== 'handshake' && !this.closed && !this.closing;
  }

  sendText(text: string): void {
    this.sendFrame(OPCODE.text, Buffer.from(text));
  }

  sendBinary(bytes: Uint8Array): void {
    this.sendFrame(OPCODE.binary, bytes);
  }

  /** Stops reading: the server's writes then pile up in the kernel and in its own buffers (a stalled viewer). */
  pause(): void {
    this.socket.pause();
  }

  close(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    if (this.state === 'handshake') {
      this.socket.destroy();
      return;
    }
    this.sendFrame(OPCODE.close, Buffer.from([0x03, 0xe8]), true);
    this.socket.end();
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private sendFrame(opcode: number, payload: Uint8Array, evenIfClosing = false): void {
    if (this.closed || (this.closing && !evenIfClosing) || this.state === 'handshake') return;
    const length = payload.byteLength;
    const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
    const frame = Buffer.allocUnsafe(2 + lengthBytes + 4 + length);
    frame[0] = 0x80 | opcode;
    if (lengthBytes === 0) frame[1] = 0x80 | length;
    else if (lengthBytes === 2) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    // Clients must mask (RFC 6455 5.3). One random key per connection, not per frame: the key exists to stop
    // cache poisoning through proxies, there is none on loopback, and a fresh key per ack cost 4 % of the fleet.
    const maskAt = 2 + lengthBytes;
    this.mask.copy(frame, maskAt);
    for (let i = 0; i < length; i++) frame[maskAt + 4 + i] = payload[i]! ^ frame[maskAt + (i & 3)]!;
    this.socket.write(frame);
  }

  /** `chunk` is a view of the shared read buffer: anything kept past this call is copied. */
  private onData(chunk: Buffer): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let offset = 0;
    while (offset < data.length && !this.closed) {
      if (this.state === 'handshake') {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          this.pending = Buffer.from(data);
          return;
        }
        if (!this.acceptHandshake(data.toString('latin1', 0, end))) return;
        offset = end + 4;
        this.state = 'frame-header';
        this.handlers.onOpen();
      } else if (this.state === 'frame-header') {
        const consumed = this.readFrameHeader(data, offset);
        if (consumed === 0) {
          this.pending = Buffer.from(data.subarray(offset));
          return;
        }
        offset += consumed;
      } else {
        offset = this.readPayload(data, offset);
      }
    }
  }

  private acceptHandshake(head: string): boolean {
    const expected = createHash('sha1')
      .update(this.key + GUID)
      .digest('base64');
    const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
    if (!head.startsWith('HTTP/1.1 101') || accept !== expected) {
      this.finish(new Error(`WebSocket upgrade refused: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return false;
    }
    return true;
  }

  /** Returns the header's size in bytes, or 0 when `data` does not hold all of it yet. */
  private readFrameHeader(data: Buffer, offset: number): number {
    const available = data.length - offset;
    if (available < 2) return 0;
    const first = data[offset]!;
    const second = data[offset + 1]!;
    let length = second & 0x7f;
    let size = 2;
    if (length === 126) {
      if (available < 4) return 0;
      length = data.readUInt16BE(offset + 2);
      size = 4;
    } else if (length === 127) {
      if (available < 10) return 0;
      length = Number(data.readBigUInt64BE(offset + 2));
      size = 10;
    }
    if (second & 0x80) {
      this.finish(new Error('server sent a masked frame'));
      this.socket.destroy();
      return size;
    }
    this.opcode = first & 0x0f;
    if (this.opcode !== OPCODE.continuation && this.opcode < OPCODE.close) {
      this.messageOpcode = this.opcode;
      this.messageLength = 0;
      this.headFilled = 0;
    }
    this.remaining = length;
    this.messageLength += length;
    this.state = 'payload';
    this.finalFrame = (first & 0x80) !== 0;
    if (length === 0) this.endFrame();
    return size;
  }

  private readPayload(data: Buffer, offset: number): number {
    const take = Math.min(this.remaining, data.length - offset);
    const isControl = this.opcode >= OPCODE.close;
    if (isControl) this.controlParts.push(Buffer.from(data.subarray(offset, offset + take)));
    else if (this.messageOpcode === OPCODE.binary) {
      const wanted = Math.min(this.headBytes - this.headFilled, take);
      if (wanted > 0) {
        data.copy(this.head, this.headFilled, offset, offset + wanted);
        this.headFilled += wanted;
      }
    } else if (this.messageLength <= MAX_TEXT_BYTES)
      this.textParts.push(Buffer.from(data.subarray(offset, offset + take)));
    else {
      this.finish(new Error(`text message of ${this.messageLength} bytes is over ${MAX_TEXT_BYTES}`));
      this.socket.destroy();
    }
    this.remaining -= take;
    if (this.remaining === 0) this.endFrame();
    return offset + take;
  }

  private endFrame(): void {
    this.state = 'frame-header';
    if (this.opcode >= OPCODE.close) {
      const payload = Buffer.concat(this.controlParts);
      this.controlParts = [];
      if (this.opcode === OPCODE.ping) this.sendFrame(OPCODE.pong, payload);
      else if (this.opcode === OPCODE.close) {
        if (!this.closing) {
          this.closedByServer = true;
          this.sendFrame(OPCODE.close, payload.subarray(0, 2), true);
        }
        this.closing = true;
        this.socket.end();
      }
      return;
    }
    if (!this.finalFrame) return;
    if (this.messageOpcode === OPCODE.binary) {
      this.handlers.onBinary(this.head.subarray(0, this.headFilled), this.messageLength);
    } else {
      const text = Buffer.concat(this.textParts).toString('utf8');
      this.textParts = [];
      this.handlers.onText(text);
    }
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(this.closedByServer || !this.closing, error);
  }
}
