import type net from 'node:net';
import { connectWithSharedReads } from './shared-read-socket';

export interface LeanResponse {
  status: number;
  /** The body when it was asked for (`keepBody`), else empty: only its length is counted. */
  body: Buffer;
  length: number;
  /** Request written → last byte read, ms. */
  ms: number;
}

interface InFlight {
  keepBody: boolean;
  startedAt: number;
  resolve(response: LeanResponse): void;
  reject(error: Error): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection doing one GET at a time, for the HLS load step: a thousand of these
 * stand in for a thousand players. Node's `http` client builds a request object, a parser state and a stream
 * per request and copies every body chunk; at 2,000 requests a second beside an x264 ladder that client,
 * not the server, set the tail. Handles what our server sends (Content-Length bodies), nothing more: a chunked
 * response fails the request loudly.
 */
export class LeanHttpConnection {
  private readonly socket: net.Socket;
  private readonly connected: Promise<void>;
  private inFlight: InFlight | undefined;
  private head: Buffer = Buffer.alloc(0);
  private status = 0;
  private remaining = -1;
  private length = 0;
  private bodyParts: Buffer[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly host: string,
    port: number,
  ) {
    // A view of the shared read buffer: the body parts kept are copied.
    this.socket = connectWithSharedReads(host, port, (chunk) => this.onData(chunk));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Resolves once the TCP connection is up, so timed requests never include a connect. */
  ready(): Promise<void> {
    return this.connected;
  }

  get(path: string, keepBody: boolean): Promise<LeanResponse> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inFlight) return Promise.reject(new Error('one request at a time per connection'));
    return new Promise((resolve, reject) => {
      this.inFlight = { keepBody, startedAt: performance.now(), resolve, reject };
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}\r\n\r\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.inFlight) {
      if (this.remaining < 0) {
        offset = this.readHead(chunk, offset);
        if (this.remaining < 0) return;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      if (this.inFlight.keepBody) this.bodyParts.push(Buffer.from(chunk.subarray(offset, offset + take)));
      this.remaining -= take;
      offset += take;
      if (this.remaining === 0) this.complete();
    }
  }

  /** Collects the status line and headers; returns where the body starts (or `chunk.length`). */
  private readHead(chunk: Buffer, offset: number): number {
    this.head = Buffer.concat([this.head, chunk.subarray(offset)]);
    const end = this.head.indexOf(HEADER_END);
    if (end < 0) return chunk.length;
    const text = this.head.toString('latin1', 0, end);
    const bodyStartsAt = chunk.length - (this.head.length - end - HEADER_END.length);
    this.head = Buffer.alloc(0);
    this.status = Number(text.slice(9, 12));
    const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
    if (contentLength === undefined) {
      this.fail(new Error(`response without Content-Length: ${text.split('\r\n')[0]}`));
      this.socket.destroy();
      return chunk.length;
    }
    this.remaining = Number(contentLength);
    this.length = this.remaining;
    if (this.remaining === 0) this.complete();
    return bodyStartsAt;
  }

  private complete(): void {
    const request = this.inFlight;
    if (!request) return;
    const body = request.keepBody ? Buffer.concat(this.bodyParts) : Buffer.alloc(0);
    this.inFlight = undefined;
    this.bodyParts = [];
    this.remaining = -1;
    request.resolve({
      status: this.status,
      body,
      length: this.length,
      ms: performance.now() - request.startedAt,
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const request = this.inFlight;
    this.inFlight = undefined;
    request?.reject(error);
  }
}
