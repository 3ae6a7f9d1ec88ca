import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type BroadcastHelloMessage,
  type BroadcastServerMessage,
  CloseCode,
  decodeBroadcastClientMessage,
  ErrorCode,
  encodeMessage,
  MAX_BROADCAST_CHUNK_BYTES,
  PROTOCOL_VERSION,
} from '@onair/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { rejectUpgrade } from '../http/upgrade';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { StreamChange, StreamRegistry } from '../streams/stream-registry';
import { BroadcastFeed } from './broadcast-feed';
import type { BroadcastOnAir } from './broadcast-on-air';
import { ContainerError } from './container-splitter';

export interface WebSocketIngestDeps {
  options: ResolvedOptions;
  registry: StreamRegistry;
  /** `<mount>/ingest`. */
  ingestPath(): string;
  isClosing(): boolean;
  /** Viewers watching the stream now, for the broadcaster's status line. */
  viewersOf(streamId: string): number;
  onAir: BroadcastOnAir;
}
const STATUS_INTERVAL_MS = 1_000;

const CLOSE = {
  normal: 1000,
  protocolVersion: CloseCode.ProtocolVersion,
  helloTimeout: CloseCode.HelloTimeout,
  refused: CloseCode.BroadcastRefused,
  badMedia: CloseCode.BadMedia,
};

interface Broadcast {
  feed: BroadcastFeed;
  socket: WebSocket | null;
  startedAt: number;
  receivedBytes: number;
}

/**
 * The browser broadcaster's socket (`<mount>/ingest`, PROTOCOL.md "Broadcasting"): a hello with the stream's id and
 * key, then the chunks of one WebM container (a `MediaRecorder`'s), fed into the stream's `BroadcastFeed`, which the
 * stream's channel decodes like any other input. A scheduled stream goes live with its first broadcaster. A new
 * container (`broadcast-container`, or a socket that resumes) starts the feed over. A lost socket leaves the
 * stream live for a grace time (`BroadcastOnAir`), waiting; `broadcast-end` (or the host ending the stream) ends it.
 */
export class WebSocketIngest {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BROADCAST_CHUNK_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly broadcasts = new Map<string, Broadcast>();
  private readonly statusTimer: NodeJS.Timeout;
  private readonly onChange = (change: StreamChange) => this.streamChanged(change);

  constructor(private readonly deps: WebSocketIngestDeps) {
    deps.registry.on('change', this.onChange);
    this.statusTimer = setInterval(() => this.sendStatus(), STATUS_INTERVAL_MS);
    this.statusTimer.unref();
  }

  /** Takes an upgrade for `<mount>/ingest` and returns true; false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.deps.ingestPath()) return false;
    socket.on('error', () => socket.destroy());
    if (this.deps.isClosing()) {
      rejectUpgrade(socket, 503, ErrorCode.ServerClosing, 'the server is shutting down');
      return true;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.deps.options.isOriginAllowed(origin)) {
      rejectUpgrade(socket, 403, ErrorCode.Forbidden, 'origin not allowed');
      return true;
    }
    // The stream key in the hello is what authorises a broadcaster; nothing is read before it.
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  stats(): { streamId: string; receivedBytes: number; connected: boolean }[] {
    return [...this.broadcasts].map(([streamId, broadcast]) => ({
      streamId,
      receivedBytes: broadcast.receivedBytes,
      connected: broadcast.socket !== null,
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.statusTimer);
    this.deps.registry.off('change', this.onChange);
    for (const broadcast of this.broadcasts.values()) {
      broadcast.socket?.close(1001, 'server closing');
      broadcast.feed.end();
    }
    this.broadcasts.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    let streamId: string | null = null;
    const helloDeadline = setTimeout(() => {
      this.refuse(ws, ErrorCode.HelloRequired, 'no broadcast-hello in time', CLOSE.helloTimeout);
    }, this.deps.options.helloTimeoutMs);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (streamId === null) {
        clearTimeout(helloDeadline);
        streamId = this.hello(ws, data, isBinary);
        return;
      }
      this.received(streamId, ws, data, isBinary);
    });
    ws.on('close', () => {
      clearTimeout(helloDeadline);
      if (streamId !== null) this.lost(streamId, ws);
    });
  }

  /** The stream the hello opens, or null (refused, the socket closing). */
  private hello(ws: WebSocket, data: RawData, isBinary: boolean): string | null {
    const decoded = isBinary ? null : decodeBroadcastClientMessage(data.toString());
    if (!decoded?.ok || decoded.value.type !== 'broadcast-hello') {
      this.refuse(ws, ErrorCode.HelloRequired, 'the first message must be a broadcast-hello', CLOSE.refused);
      return null;
    }
    const hello: BroadcastHelloMessage = decoded.value;
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      const message = `protocol version ${hello.protocolVersion} is not spoken here (${PROTOCOL_VERSION} is)`;
      this.refuse(ws, ErrorCode.ProtocolVersion, message, CLOSE.protocolVersion);
      return null;
    }
    const { registry } = this.deps;
    const stream = registry.get(hello.streamId);
    // One answer for an unknown stream and a wrong key: a stranger learns nothing of which streams exist.
    if (!stream || !registry.checkIngestKey(hello.streamId, hello.key)) {
      this.refuse(ws, ErrorCode.Forbidden, 'unknown stream or wrong stream key', CLOSE.refused);
      return null;
    }
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      this.refuse(ws, ErrorCode.Conflict, `stream "${stream.id}" is ${stream.status}`, CLOSE.refused);
      return null;
    }
    const existing = this.broadcasts.get(stream.id);
    const resumed = existing !== undefined;
    const broadcast = existing ?? {
      feed: new BroadcastFeed({ container: 'webm' }),
      socket: null,
      startedAt: stream.startedAt ?? Date.now(),
      receivedBytes: 0,
    };
    // A second broadcaster with the key takes over (the first one's connection may be half open).
    if (broadcast.socket && broadcast.socket !== ws) broadcast.socket.close(CLOSE.refused, 'replaced');
    broadcast.socket = ws;
    if (resumed) broadcast.feed.restart();
    this.broadcasts.set(stream.id, broadcast);
    this.deps.onAir.fed(stream.id, broadcast.feed, !resumed);
    this.send(ws, {
      type: 'broadcast-welcome',
      protocolVersion: PROTOCOL_VERSION,
      streamId: stream.id,
      maxChunkBytes: MAX_BROADCAST_CHUNK_BYTES,
      resumed,
    });
    return stream.id;
  }

  private received(streamId: string, ws: WebSocket, data: RawData, isBinary: boolean): void {
    const broadcast = this.broadcasts.get(streamId);
    if (!broadcast || broadcast.socket !== ws) return;
    if (isBinary) {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      broadcast.receivedBytes += chunk.length;
      try {
        broadcast.feed.push(chunk);
      } catch (error) {
        if (!(error instanceof ContainerError)) throw error;
        this.refuse(
          ws,
          ErrorCode.BadBinary,
          `the media is not a WebM stream: ${error.message}`,
          CLOSE.badMedia,
        );
      }
      return;
    }
    const decoded = decodeBroadcastClientMessage(data.toString());
    if (!decoded.ok) {
      this.send(ws, {
        type: 'error',
        code: ErrorCode.BadMessage,
        message: decoded.error.message,
        fatal: false,
      });
      return;
    }
    if (decoded.value.type === 'broadcast-container') broadcast.feed.restart();
    else if (decoded.value.type === 'broadcast-end') this.deps.registry.end(streamId);
  }

  /** The socket went away without ending: the stream waits for its broadcaster. */
  private lost(streamId: string, ws: WebSocket): void {
    const broadcast = this.broadcasts.get(streamId);
    if (!broadcast || broadcast.socket !== ws) return;
    broadcast.socket = null;
    this.deps.onAir.lost(streamId);
  }

  private streamChanged(change: StreamChange): void {
    if (change.kind !== 'ended' && change.kind !== 'removed') return;
    const broadcast = this.broadcasts.get(change.stream.id);
    if (!broadcast) return;
    this.broadcasts.delete(change.stream.id);
    this.deps.onAir.cancelGrace(change.stream.id);
    broadcast.feed.end();
    const socket = broadcast.socket;
    if (!socket) return;
    this.send(socket, { type: 'broadcast-ended', reason: change.kind === 'removed' ? 'removed' : 'ended' });
    socket.close(CLOSE.normal, 'stream ended');
  }

  private sendStatus(): void {
    for (const [streamId, broadcast] of this.broadcasts) {
      if (!broadcast.socket) continue;
      this.send(broadcast.socket, {
        type: 'broadcast-status',
        viewers: this.deps.viewersOf(streamId),
        startedAt: broadcast.startedAt,
        receivedBytes: broadcast.receivedBytes,
      });
    }
  }

  private refuse(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
    this.send(ws, { type: 'error', code, message, fatal: true });
    ws.close(closeCode, message.slice(0, 100));
  }

  private send(ws: WebSocket, message: BroadcastServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  }
}
