import {
  type ChatMessage,
  chatLength,
  ErrorCode,
  REACTION_BATCH_MS,
  type ReactionsMessage,
} from '@onair/protocol';
import type { MockConnection, SocialClientMessage } from './mock-connection';
import type { MockChatLine, ResolvedMockRoomOptions } from './mock-room-options';

interface RoomState {
  messages: ChatMessage[];
  pinned: ChatMessage | null;
  viewers: number;
  /** clientId → stored message: a resend is acked again, not stored twice (as the real hub does). */
  byClientId: Map<string, ChatMessage>;
}

interface PendingBatch {
  streamId: string;
  counts: Record<string, number>;
  samples: ReactionsMessage['samples'];
  timer: ReturnType<typeof setTimeout>;
}

const MAX_SAMPLES = 20;

/**
 * The chat, reactions and presence side of the in-memory server: one room per video, history kept across
 * reconnects, acks and refusals like the middleware's, reactions batched on a `REACTION_BATCH_MS` timer.
 */
export class MockRoom {
  private readonly rooms = new Map<string, RoomState>();
  private member: MockConnection | null = null;
  private nextId = 1;
  private batch: PendingBatch | null = null;
  private refusal: { code: ErrorCode; message: string } | null = null;
  private reactionTokens: { tokens: number; at: number } | null = null;
  private lastReactionRefusalAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: ResolvedMockRoomOptions,
    private readonly now: () => number,
  ) {}

  /** Messages of a video's room, oldest first. */
  history(videoId: string): readonly ChatMessage[] {
    return this.room(videoId).messages;
  }

  join(connection: MockConnection, videoId: string): void {
    this.member = connection;
    const room = this.room(videoId);
    const { role, reactions, maxChatLength } = this.options;
    connection.push({
      type: 'room',
      streamId: videoId,
      role,
      canChat: role !== 'viewer',
      canModerate: role === 'moderator',
      reactions: [...reactions],
      maxChatLength,
      history: [...room.messages],
      pinned: room.pinned,
      viewers: room.viewers,
    });
  }

  left(connection: MockConnection): void {
    if (this.member === connection) this.member = null;
  }

  receive(connection: MockConnection, message: SocialClientMessage): void {
    const streamId = connection.selectedVideoId;
    if (streamId === null) {
      const ref = message.type === 'chat-send' ? message.clientId : undefined;
      connection.error(ErrorCode.NotJoined, 'select a video before chatting', false, ref);
      return;
    }
    if (message.type === 'chat-send') this.chat(connection, streamId, message);
    else if (message.type === 'reaction') this.reaction(connection, streamId, message);
    else if (this.options.role !== 'moderator')
      connection.error(ErrorCode.Forbidden, 'only moderators may do that', false);
    else if (message.type === 'chat-delete') this.remove(streamId, message.messageId, connection);
    else this.pin(streamId, message.messageId, connection);
  }

  /** The next `chat-send` is refused with this code (and its clientId as `ref`). */
  refuseNextChat(code: ErrorCode, message: string): void {
    this.refusal = { code, message };
  }

  /** Someone else writes in a room (default: the one the viewer is in). */
  say(line: MockChatLine, videoId = this.member?.selectedVideoId): ChatMessage {
    if (!videoId) throw new Error('MockServer.say: no video selected and no videoId given');
    const message = this.store(videoId, line);
    this.toMember(videoId, (connection) => connection.push({ type: 'chat-message', message }));
    return message;
  }

  setViewers(count: number, videoId = this.member?.selectedVideoId): void {
    if (!videoId) throw new Error('MockServer.setViewers: no video selected and no videoId given');
    this.room(videoId).viewers = count;
    this.toMember(videoId, (connection) => connection.push({ type: 'viewers', streamId: videoId, count }));
  }

  /** Other viewers react: `count` of `emoji` join the current batch. */
  addReactions(videoId: string, emoji: string, count: number, position?: { x: number; y: number }): void {
    const batch = this.openBatch(videoId);
    batch.counts[emoji] = (batch.counts[emoji] ?? 0) + count;
    for (let i = 0; i < count && batch.samples.length < MAX_SAMPLES; i++)
      batch.samples.push(position ? { emoji, ...position } : { emoji });
  }

  remove(videoId: string, messageId: string, by?: MockConnection): void {
    const room = this.room(videoId);
    const index = room.messages.findIndex((message) => message.id === messageId);
    if (index === -1) {
      by?.error(ErrorCode.UnknownChatMessage, `no message "${messageId}"`, false);
      return;
    }
    room.messages.splice(index, 1);
    if (room.pinned?.id === messageId) this.pin(videoId, null);
    this.toMember(videoId, (connection) =>
      connection.push({ type: 'chat-deleted', streamId: videoId, messageId }),
    );
  }

  pin(videoId: string, messageId: string | null, by?: MockConnection): void {
    const room = this.room(videoId);
    const message = messageId === null ? null : room.messages.find((entry) => entry.id === messageId);
    if (message === undefined) {
      by?.error(ErrorCode.UnknownChatMessage, `no message "${messageId}"`, false);
      return;
    }
    room.pinned = message;
    this.toMember(videoId, (connection) =>
      connection.push({ type: 'chat-pinned', streamId: videoId, message }),
    );
  }

  close(): void {
    if (this.batch) clearTimeout(this.batch.timer);
    this.batch = null;
    this.member = null;
  }

  private chat(
    connection: MockConnection,
    streamId: string,
    message: SocialClientMessage & { type: 'chat-send' },
  ) {
    const { clientId } = message;
    const refuse = (code: ErrorCode, text: string) => connection.error(code, text, false, clientId);
    const room = this.room(streamId);
    const stored = room.byClientId.get(clientId);
    if (stored) {
      connection.push({ type: 'chat-ack', clientId, message: stored });
      return;
    }
    if (this.refusal) {
      const { code, message: text } = this.refusal;
      this.refusal = null;
      return refuse(code, text);
    }
    if (this.options.role === 'viewer') return refuse(ErrorCode.Forbidden, 'viewers may not chat here');
    const text = message.text.trim();
    if (text.length === 0) return refuse(ErrorCode.ChatEmpty, 'the message is empty');
    if (chatLength(text) > this.options.maxChatLength)
      return refuse(ErrorCode.ChatTooLong, `messages are at most ${this.options.maxChatLength} characters`);
    // A server that never answers: the message is neither stored nor acked, so only the client's timeout ends it.
    if (!this.options.acks) return;
    const saved = this.store(streamId, { displayName: message.displayName ?? 'Guest', text }, clientId);
    connection.push({ type: 'chat-ack', clientId, message: saved });
    // Like the hub, the message also reaches every viewer of the room, its sender included.
    connection.push({ type: 'chat-message', message: saved });
  }

  private reaction(
    connection: MockConnection,
    streamId: string,
    message: SocialClientMessage & { type: 'reaction' },
  ) {
    if (!this.options.reactions.includes(message.emoji)) {
      connection.error(ErrorCode.BadReaction, `"${message.emoji}" is not a reaction here`, false);
      return;
    }
    if (!this.takeReactionToken()) {
      // As the server: the excess is dropped, and said at most once a second however many are.
      const now = this.now();
      if (now - this.lastReactionRefusalAt < 1_000) return;
      this.lastReactionRefusalAt = now;
      connection.error(ErrorCode.RateLimited, 'too many reactions; some were dropped', false);
      return;
    }
    const position =
      message.x !== undefined && message.y !== undefined ? { x: message.x, y: message.y } : undefined;
    this.addReactions(streamId, message.emoji, 1, position);
  }

  /** A token bucket like the server's reaction limit. */
  private takeReactionToken(): boolean {
    const limit = this.options.reactionLimit;
    if (limit === false) return true;
    const now = this.now();
    const bucket = this.reactionTokens ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    this.reactionTokens = bucket;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private openBatch(streamId: string): PendingBatch {
    if (this.batch && this.batch.streamId === streamId) return this.batch;
    this.flush();
    const timer = setTimeout(() => this.flush(), REACTION_BATCH_MS);
    this.batch = { streamId, counts: {}, samples: [], timer };
    return this.batch;
  }

  private flush(): void {
    const batch = this.batch;
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batch = null;
    const { streamId, counts, samples } = batch;
    this.toMember(streamId, (connection) =>
      connection.push({ type: 'reactions', streamId, counts, samples }),
    );
  }

  private store(streamId: string, line: MockChatLine, clientId?: string): ChatMessage {
    const room = this.room(streamId);
    const message: ChatMessage = {
      id: line.id ?? `m${this.nextId++}`,
      streamId,
      ...(clientId === undefined ? {} : { clientId }),
      displayName: line.displayName,
      text: line.text,
      sentAt: line.sentAt ?? this.now(),
    };
    room.messages.push(message);
    if (clientId !== undefined) room.byClientId.set(clientId, message);
    return message;
  }

  private room(streamId: string): RoomState {
    let room = this.rooms.get(streamId);
    if (room) return room;
    room = { messages: [], pinned: null, viewers: this.options.viewers, byClientId: new Map() };
    this.rooms.set(streamId, room);
    const { history, pinnedId } = this.options;
    const end = this.now();
    for (const [index, line] of history.entries())
      this.store(streamId, { ...line, sentAt: line.sentAt ?? end - (history.length - index) * 60_000 });
    room.pinned = room.messages.find((message) => message.id === pinnedId) ?? null;
    return room;
  }

  private toMember(videoId: string, send: (connection: MockConnection) => void): void {
    if (this.member && this.member.selectedVideoId === videoId) send(this.member);
  }
}
