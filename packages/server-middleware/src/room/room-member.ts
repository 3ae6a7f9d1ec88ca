import type { IncomingMessage } from 'node:http';
import {
  type ChatDeleteMessage,
  type ChatPinMessage,
  type ChatSendMessage,
  ErrorCode,
  MAX_CHAT_LENGTH,
  type ReactionSendMessage,
  type ServerMessage,
} from '@onair/protocol';
import { authorize } from '../access/authorize';
import { type HubEvent, isValidMessageId } from '../hub/hub';
import type { ResolvedOptions } from '../options/live-stream-options';
import { checkChatText, guestName, sanitizeDisplayName } from './chat-rules';
import type { RoomListener, Rooms } from './rooms';
import { TokenBucket } from './token-bucket';

export type RoomRequest = ChatSendMessage | ChatDeleteMessage | ChatPinMessage | ReactionSendMessage;

export interface RoomMemberDeps {
  options: ResolvedOptions;
  rooms: Rooms;
  /** The upgrade request, for the `authorize` hook. */
  req: IncomingMessage;
  tag: string;
  socket: {
    send(message: ServerMessage): void;
    sendEncoded(bytes: Buffer): void;
    sendError(code: ErrorCode, message: string, fatal: false, ref?: string): void;
  };
}

/** At most one "too many reactions" answer per second: a flood of refusals would be a flood of its own. */
const REACTION_REFUSAL_INTERVAL_MS = 1_000;

/**
 * One viewer's part in the room of the video it watches: joining (roles from `authorize`, then the `room`
 * message), the chat and reaction requests it sends (validated, capped, rate limited per connection), and the
 * room's events on their way to it. Events that arrive while it joins wait until the `room` message is out.
 */
export class RoomMember implements RoomListener {
  readonly tag: string;
  private streamId: string | null = null;
  private state: 'out' | 'joining' | 'in' = 'out';
  private joinToken = 0;
  private waiting: { bytes: Buffer; event: HubEvent | null }[] = [];
  private canChat = false;
  private canModerate = false;
  private grantedName: string | null = null;
  private readonly guest = guestName();
  private readonly chatBucket: TokenBucket;
  private readonly reactionBucket: TokenBucket;
  private reactionRefusedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: RoomMemberDeps) {
    this.tag = deps.tag;
    this.chatBucket = new TokenBucket(deps.options.room.chatRateLimit);
    this.reactionBucket = new TokenBucket(deps.options.room.reactionRateLimit);
  }

  join(streamId: string): void {
    this.leave();
    const token = ++this.joinToken;
    this.streamId = streamId;
    this.state = 'joining';
    this.deps.rooms.join(this, streamId);
    void this.enter(streamId, token);
  }

  leave(): void {
    this.joinToken++;
    if (this.streamId !== null) this.deps.rooms.leave(this, this.streamId);
    this.streamId = null;
    this.state = 'out';
    this.waiting = [];
  }

  deliver(bytes: Buffer, event: HubEvent | null): void {
    if (this.state === 'joining') this.waiting.push({ bytes, event });
    else if (this.state === 'in') this.deps.socket.sendEncoded(bytes);
  }

  receive(request: RoomRequest): void {
    const streamId = this.state === 'in' ? this.streamId : null;
    const ref = request.type === 'chat-send' ? request.clientId : undefined;
    if (streamId === null) {
      this.refuse(ErrorCode.NotJoined, 'select a video to join its room first', ref);
      return;
    }
    switch (request.type) {
      case 'chat-send':
        this.chat(streamId, request);
        break;
      case 'chat-delete':
        this.moderate(request.messageId, () => this.deps.rooms.hub.deleteChat(streamId, request.messageId));
        break;
      case 'chat-pin':
        this.moderate(request.messageId, async () => {
          const pinned = await this.deps.rooms.hub.pin(streamId, request.messageId);
          return pinned !== undefined;
        });
        break;
      case 'reaction':
        this.react(streamId, request);
        break;
    }
  }

  private refuse(code: ErrorCode, message: string, ref?: string): void {
    this.deps.socket.sendError(code, message, false, ref);
  }

  private async enter(streamId: string, token: number): Promise<void> {
    const { options, rooms, req } = this.deps;
    try {
      const [chatter, moderator, snapshot] = await Promise.all([
        authorize(options, { req, role: 'chatter', streamId }),
        authorize(options, { req, role: 'moderator', streamId }),
        rooms.snapshot(streamId),
      ]);
      if (token !== this.joinToken) return;
      this.canModerate = moderator.allowed;
      this.canChat = chatter.allowed || moderator.allowed;
      this.grantedName =
        (moderator.allowed && moderator.displayName) || (chatter.allowed && chatter.displayName) || null;
      this.deps.socket.send({
        type: 'room',
        streamId,
        role: this.canModerate ? 'moderator' : this.canChat ? 'chatter' : 'viewer',
        canChat: this.canChat,
        canModerate: this.canModerate,
        reactions: [...options.room.reactions],
        maxChatLength: MAX_CHAT_LENGTH,
        history: snapshot.history,
        pinned: snapshot.pinned,
        viewers: snapshot.viewers,
      });
      this.state = 'in';
      const shown = new Set(snapshot.history.map((message) => message.id));
      for (const { bytes, event } of this.waiting) {
        if (event?.type !== 'chat-message' || !shown.has(event.message.id))
          this.deps.socket.sendEncoded(bytes);
      }
      this.waiting = [];
    } catch (error) {
      if (token !== this.joinToken) return;
      options.logger.error('hub: could not open a room', { streamId, error });
      this.leave();
      this.refuse(ErrorCode.HubUnavailable, 'chat is unavailable right now; select the video again');
    }
  }

  private chat(streamId: string, request: ChatSendMessage): void {
    const { clientId } = request;
    if (!this.canChat) {
      this.refuse(ErrorCode.Forbidden, 'you may not chat in this room', clientId);
      return;
    }
    if (!this.chatBucket.take()) {
      const wait = this.chatBucket.waitMs();
      this.refuse(ErrorCode.RateLimited, `too many messages; try again in ${wait} ms`, clientId);
      return;
    }
    const checked = checkChatText(request.text, MAX_CHAT_LENGTH);
    if (!checked.ok) {
      this.refuse(checked.code, checked.message, clientId);
      return;
    }
    const displayName = this.grantedName ?? sanitizeDisplayName(request.displayName) ?? this.guest;
    const draft = { clientId, displayName, text: checked.text, sentAt: Date.now() };
    this.deps.rooms.hub.appendChat(streamId, draft, this.tag).then(
      ({ message }) => this.deps.socket.send({ type: 'chat-ack', clientId, message }),
      (error: unknown) => {
        this.deps.options.logger.error('hub: chat message not stored', { streamId, error });
        this.refuse(ErrorCode.HubUnavailable, 'the message was not stored; retry', clientId);
      },
    );
  }

  private moderate(messageId: string | null, act: () => Promise<boolean>): void {
    if (!this.canModerate) {
      this.refuse(ErrorCode.Forbidden, 'only moderators may delete or pin messages');
      return;
    }
    if (messageId !== null && !isValidMessageId(messageId)) {
      this.refuse(ErrorCode.UnknownChatMessage, 'no such message in this room');
      return;
    }
    act().then(
      (found) => {
        if (!found) this.refuse(ErrorCode.UnknownChatMessage, `no message "${messageId}" in this room`);
      },
      (error: unknown) => {
        this.deps.options.logger.error('hub: moderation failed', { error });
        this.refuse(ErrorCode.HubUnavailable, 'moderation failed; retry');
      },
    );
  }

  private react(streamId: string, request: ReactionSendMessage): void {
    if (!this.deps.options.room.reactions.includes(request.emoji)) {
      this.refuse(ErrorCode.BadReaction, 'this server does not accept that reaction');
      return;
    }
    if (!this.reactionBucket.take()) {
      const now = Date.now();
      if (now - this.reactionRefusedAt >= REACTION_REFUSAL_INTERVAL_MS) {
        this.reactionRefusedAt = now;
        this.refuse(ErrorCode.RateLimited, 'too many reactions; some were dropped');
      }
      return;
    }
    const { emoji, x, y } = request;
    this.deps.rooms.react(streamId, {
      emoji,
      ...(x === undefined ? {} : { x }),
      ...(y === undefined ? {} : { y }),
    });
  }
}
