import type {
  ClientMessage,
  ClientMessageMap,
  ClientMessageType,
  ErrorCode,
  QualityChangedMessage,
} from '@onair/protocol';
import type { Transport, TransportConnection, TransportHandlers } from '../client/transport/transport';
import { MockConnection } from './mock-connection';
import { type MockServerOptions, type ResolvedMockOptions, resolveMockOptions } from './mock-options';

/** live: frames flow; buffering: the server holds frames back (the player should show buffering). */
export type MockServerState = 'live' | 'buffering';

/**
 * An OnAir server in memory. Tests and stories drive it (`setState`, `sendError`, `disconnect`,
 * `refuseConnections`) and read what the client sent (`received`, `acks`, `urls`).
 */
export class MockServer {
  /** Every text message the client sent, decoded, across connections. */
  readonly received: ClientMessage[] = [];
  /** Sequence numbers of every ack, in arrival order. */
  readonly acks: number[] = [];
  /** URLs the client opened connections to. */
  readonly urls: string[] = [];
  videoFramesSent = 0;
  videoFramesSkipped = 0;
  private connection: MockConnection | null = null;
  private refusing = false;
  private state: MockServerState = 'live';
  private readonly options: ResolvedMockOptions;

  constructor(options: MockServerOptions = {}) {
    this.options = resolveMockOptions(options);
  }

  get connected(): boolean {
    return this.connection !== null;
  }

  /** How many connections the client has opened (reconnects included). */
  get connectionCount(): number {
    return this.urls.length;
  }

  /** The client's messages of one type, e.g. `messagesOfType('select')`. */
  messagesOfType<T extends ClientMessageType>(type: T): ClientMessageMap[T][] {
    return this.received.filter((message): message is ClientMessageMap[T] => message.type === type);
  }

  accept(url: string, handlers: TransportHandlers): TransportConnection {
    this.urls.push(url);
    if (this.refusing) {
      setTimeout(() => {
        handlers.onError(new Error('connection refused'));
        handlers.onClose({ code: 1006, reason: 'connection refused' });
      }, this.options.openDelayMs);
      return { send() {}, close() {} };
    }
    this.connection?.drop(1001, 'replaced');
    const connection = new MockConnection(handlers, this.options, {
      received: (message) => this.received.push(message),
      acked: (sequence) => this.acks.push(sequence),
      videoFrameSent: () => this.videoFramesSent++,
      videoFrameSkipped: () => this.videoFramesSkipped++,
      closed: (closed) => {
        if (this.connection === closed) this.connection = null;
      },
    });
    connection.paused = this.state === 'buffering';
    this.connection = connection;
    return connection;
  }

  setState(state: MockServerState): void {
    this.state = state;
    if (this.connection) this.connection.paused = state === 'buffering';
  }

  sendError(code: ErrorCode, message: string, fatal = false): void {
    this.connection?.error(code, message, fatal);
  }

  /** The server moves the viewer to another rung, as its controller would. */
  setRung(rung: number, reason: QualityChangedMessage['reason'] = 'buffer-low'): void {
    this.connection?.changeRung(rung, reason);
  }

  /** Drops the current connection without a goodbye (code 1006, like a lost network). */
  disconnect(code = 1006, reason = 'connection lost'): void {
    this.connection?.drop(code, reason);
  }

  /** While true, new connections fail right after they open. */
  refuseConnections(refuse: boolean): void {
    this.refusing = refuse;
  }

  /** Stops everything (timers included); call it at the end of a test or story. */
  close(): void {
    this.connection?.drop(1001, 'server closed');
  }
}

export interface MockTransport extends Transport {
  readonly server: MockServer;
}

/** A transport whose other end is a `MockServer` in the same page: `<LiveStreamProvider transport={…}>`. */
export function createMockTransport(options: MockServerOptions = {}): MockTransport {
  const server = new MockServer(options);
  return { name: 'mock', server, open: (url, handlers) => server.accept(url, handlers) };
}
