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
import type { RoomActions, RoomRefusal, RoomSender } from './room-actions';
import type { RoomListener, Rooms } from './rooms';
import { TokenBucket } from './token-bucket';

export type RoomRequest = ChatSendMessage | ChatDeleteMessage | ChatPinMessage | ReactionSendMessage;

export interface RoomMemberDeps {
  options: ResolvedOptions;
  rooms: Rooms;
  /** The chat and reaction policy this member's requests go through (the same as REST's). */
  actions: RoomActions;
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
 * message), the chat and reaction requests it sends (through `room-actions.ts`, the policy REST shares, with one
 * budget and one guest name per connection), moderation, and the room's events on their way to it. Events that arrive while it joins wait until the `room` message is out.
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
        this.moderate(request.messageId, () => this.deps.rooms.deleteChat(streamId, request.messageId));
        break;
      case 'chat-pin':
        this.moderate(request.messageId, async () => {
          const pinned = await this.deps.rooms.pin(streamId, request.messageId);
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

  /** This connection as the policy sees it: one guest name and one budget per kind for the whole socket. */
  private sender(bucket: TokenBucket): RoomSender {
    return { key: this.tag, grantedName: this.grantedName, spend: () => bucket.spend(), source: this.tag };
  }

  private chat(streamId: string, request: ChatSendMessage): void {
    const { clientId } = request;
    if (!this.canChat) {
      this.refuse(ErrorCode.Forbidden, 'you may not chat in this room', clientId);
      return;
    }
    this.deps.actions.postChat(streamId, request, this.sender(this.chatBucket)).then(
      (outcome) => {
        if (outcome.ok) this.deps.socket.send({ type: 'chat-ack', clientId, message: outcome.message });
        else this.refuse(outcome.code, outcome.message, clientId);
      },
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
    const outcome = this.deps.actions.react(streamId, request, this.sender(this.reactionBucket));
    if (!outcome.ok) this.refuseReaction(outcome);
  }

  /** Rate-limit refusals of reactions are themselves limited: one a second says it, however many are dropped. */
  private refuseReaction({ code, message }: RoomRefusal): void {
    if (code !== ErrorCode.RateLimited) {
      this.refuse(code, message);
      return;
    }
    const now = Date.now();
    if (now - this.reactionRefusedAt < REACTION_REFUSAL_INTERVAL_MS) return;
    this.reactionRefusedAt = now;
    this.refuse(ErrorCode.RateLimited, 'too many reactions; some were dropped');
  }
}
