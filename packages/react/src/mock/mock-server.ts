import {
  type ChatMessage,
  type ClientMessage,
  type ClientMessageMap,
  type ClientMessageType,
  ErrorCode,
  type QualityChangedMessage,
  type ServerMessage,
} from '@onair/protocol';
import type { Transport, TransportConnection, TransportHandlers } from '../client/transport/transport';
import { MockConnection } from './mock-connection';
import { type MockServerOptions, type ResolvedMockOptions, resolveMockOptions } from './mock-options';
import { MockRoom } from './mock-room';

/** live: frames flow; buffering: the server holds frames back (the player should show buffering). */
export type MockServerState = 'live' | 'buffering';

/**
 * An OnAir server in memory. Tests and stories drive it (`setState`, `sendError`, `disconnect`,
 * `refuseConnections`; for the room `say`, `setViewers`, `react`, `refuseNextChat`, `deleteMessage`,
 * `pinMessage`) and read what the client sent (`received`, `acks`, `urls`, `chatHistory`).
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
  private readonly room: MockRoom | null;

  constructor(options: MockServerOptions = {}) {
    this.options = resolveMockOptions(options);
    this.room = this.options.room === false ? null : new MockRoom(this.options.room, this.options.now);
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
        this.room?.left(closed);
      },
      joined: (joined, videoId) => this.room?.join(joined, videoId),
      social: (from, message) => {
        if (this.room) this.room.receive(from, message);
        else from.error(ErrorCode.BadMessage, `unknown message type "${message.type}"`, false);
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

  /** Sends a control message on the current connection as the server would (e.g. `stream-status`, `catalog`). */
  push(message: ServerMessage): void {
    this.connection?.push(message);
  }

  /** Drops the current connection without a goodbye (code 1006, like a lost network). */
  disconnect(code = 1006, reason = 'connection lost'): void {
    this.connection?.drop(code, reason);
  }

  /** While true, new connections fail right after they open. */
  refuseConnections(refuse: boolean): void {
    this.refusing = refuse;
  }

  /** Someone else writes in the chat of `videoId` (default: the video the client watches). */
  say(text: string, options: { displayName?: string; videoId?: string; id?: string } = {}): ChatMessage {
    const { displayName = 'Guest', videoId, id } = options;
    return this.requireRoom('say').say({ displayName, text, ...(id === undefined ? {} : { id }) }, videoId);
  }

  /** The viewer count changes (sent as `viewers`). */
  setViewers(count: number, videoId?: string): void {
    this.requireRoom('setViewers').setViewers(count, videoId);
  }

  /** Other viewers react: `count` of `emoji` go out in the next batch (after REACTION_BATCH_MS). */
  react(emoji: string, count = 1, options: { videoId?: string; x?: number; y?: number } = {}): void {
    const videoId = options.videoId ?? this.connection?.selectedVideoId;
    if (!videoId) throw new Error('MockServer.react: no video selected and no videoId given');
    const { x, y } = options;
    const position = x !== undefined && y !== undefined ? { x, y } : undefined;
    this.requireRoom('react').addReactions(videoId, emoji, count, position);
  }

  /** The next chat message is refused with `code` (its clientId as `ref`): to see Retry. */
  refuseNextChat(
    code: ErrorCode = ErrorCode.RateLimited,
    message = 'too many messages; wait a moment',
  ): void {
    this.requireRoom('refuseNextChat').refuseNextChat(code, message);
  }

  /** A moderator elsewhere deletes a message. */
  deleteMessage(messageId: string, videoId = this.connection?.selectedVideoId): void {
    if (!videoId) throw new Error('MockServer.deleteMessage: no video selected and no videoId given');
    this.requireRoom('deleteMessage').remove(videoId, messageId);
  }

  /** A moderator elsewhere pins a message (null unpins). */
  pinMessage(messageId: string | null, videoId = this.connection?.selectedVideoId): void {
    if (!videoId) throw new Error('MockServer.pinMessage: no video selected and no videoId given');
    this.requireRoom('pinMessage').pin(videoId, messageId);
  }

  /** What a room has stored, oldest first (a resend must not appear twice). */
  chatHistory(videoId: string): readonly ChatMessage[] {
    return this.requireRoom('chatHistory').history(videoId);
  }

  /** Stops everything (timers included); call it at the end of a test or story. */
  close(): void {
    this.connection?.drop(1001, 'server closed');
    this.room?.close();
  }

  private requireRoom(method: string): MockRoom {
    if (!this.room) throw new Error(`MockServer.${method}: this mock was made with \`room: false\``);
    return this.room;
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
