import { type ChatMessage, type ClientMessage, ErrorCode, type ErrorMessage } from '@onair/protocol';
import { SnapshotStore } from '../state/snapshot-store';
import { appendPending, confirmMessage, mergeHistory, removeMessage, setOwnStatus } from './chat-log';
import { chatTextProblem } from './chat-text';
import { newClientId } from './client-id';
import { ReactionQueue } from './reaction-queue';
import type { RoomServerMessage } from './room-messages';
import {
  type ChatEntry,
  initialRoomSnapshot,
  type RoomErrorSource,
  type RoomSnapshot,
} from './room-snapshot';

/** The room's limits on this client. Defaults: `DEFAULT_CLIENT_OPTIONS.room` (in `options.ts`). */
export interface RoomOptions {
  /** A chat message unacknowledged this long is marked failed (retryable). Default 10 000 ms. */
  chatAckTimeoutMs: number;
  /** Chat messages kept, oldest dropped first. Default 200. */
  maxChatMessages: number;
  /** Emoji floating at once. Default 30. */
  maxFloatingReactions: number;
  /** How long one emoji floats. Default 3 000 ms. */
  reactionLifetimeMs: number;
}

export type SendChatResult = { ok: true; clientId: string } | { ok: false; reason: string };

const NO_ANSWER = 'No answer from the server.';
const CONNECTION_LOST = 'The connection was lost.';
const NOT_CONNECTED = 'Not connected to the chat.';

/** Refusals that only ever answer one kind of control; the others are put down to the last control used. */
const SOURCE_OF_CODE: Partial<Record<ErrorCode, RoomErrorSource>> = {
  [ErrorCode.BadReaction]: 'reaction',
  [ErrorCode.Forbidden]: 'moderation',
  [ErrorCode.UnknownChatMessage]: 'moderation',
};

/**
 * Chat, reactions and viewer count of the selected video's room, framework-free. The session feeds it the
 * room's server messages; UIs read it with `subscribe`/`getSnapshot` and act through its methods. Chat is
 * optimistic: a message shows at once as pending, `chat-ack` confirms it, a refusal (an `error` whose `ref`
 * is its clientId), a timeout or a lost connection fails it, and a retry resends it with the same clientId so
 * the server stores it once however many tries it takes.
 */
export class RoomStore {
  private readonly store = new SnapshotStore<RoomSnapshot>(initialRoomSnapshot());
  private readonly serverSnapshot = this.store.get();
  private readonly reactionQueue: ReactionQueue;
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private expectedStreamId: string | null = null;
  /**
   * The last room control sent without a clientId. The server answers messages in order on one socket, so a
   * refusal without a `ref` (a reaction rate limit: "some were dropped") answers this kind of control.
   */
  private lastControl: RoomErrorSource = 'room';

  constructor(
    /** Sends on the current connection; false when there is none (nothing was sent). */
    private readonly send: (message: ClientMessage) => boolean,
    private readonly options: RoomOptions,
  ) {
    this.reactionQueue = new ReactionQueue({
      maxFloating: options.maxFloatingReactions,
      lifetimeMs: options.reactionLifetimeMs,
      onChange: (floating) => this.store.update({ floating }),
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);
  readonly getSnapshot = (): RoomSnapshot => this.store.get();
  readonly getServerSnapshot = (): RoomSnapshot => this.serverSnapshot;

  /** Sends a chat message; refused here (with the reason) when empty, too long, or the chat is not open. */
  sendChat(text: string, displayName?: string): SendChatResult {
    const { joined, canChat, maxChatLength, streamId, messages } = this.store.get();
    if (!joined || !canChat || streamId === null) return { ok: false, reason: NOT_CONNECTED };
    const problem = chatTextProblem(text, maxChatLength);
    if (problem) return { ok: false, reason: problem };
    const clientId = newClientId();
    const entry: ChatEntry = Object.freeze({
      id: `pending:${clientId}`,
      streamId,
      clientId,
      displayName: displayName?.trim() || 'You',
      text: text.trim(),
      sentAt: Date.now(),
      status: 'pending',
      own: true,
      error: null,
    });
    this.store.update({
      messages: appendPending(messages, entry, this.options.maxChatMessages),
      error: null,
    });
    this.transmit(entry);
    return { ok: true, clientId };
  }

  /** Sends a failed message again, with the same clientId (the server dedupes). */
  retryChat(clientId: string): void {
    const entry = this.store.get().messages.find((item) => item.own && item.clientId === clientId);
    if (entry?.status !== 'failed') return;
    this.setStatus(clientId, 'pending', null);
    this.transmit(entry);
  }

  /** Moderators: removes a message for everyone. The server refuses others with ONAIR_FORBIDDEN. */
  deleteChat(messageId: string): void {
    this.lastControl = 'moderation';
    this.send({ type: 'chat-delete', messageId });
  }

  /** Moderators: pins a message (null unpins). */
  pinChat(messageId: string | null): void {
    this.lastControl = 'moderation';
    this.send({ type: 'chat-pin', messageId });
  }

  /** Sends a reaction and floats it at once; false (nothing sent) outside a room or for an emoji it refuses. */
  react(emoji: string, x?: number, y?: number): boolean {
    for (const [name, value] of [['x', x] as const, ['y', y] as const]) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1))
        throw new TypeError(`react: ${name} must be between 0 and 1, not ${value}`);
    }
    const { joined, reactions } = this.store.get();
    if (!joined || !reactions.includes(emoji)) return false;
    this.lastControl = 'reaction';
    const sent = this.send({
      type: 'reaction',
      emoji,
      ...(x === undefined ? {} : { x }),
      ...(y === undefined ? {} : { y }),
    });
    if (sent) this.reactionQueue.addOwn(emoji, x, y);
    return sent;
  }

  clearError(): void {
    this.store.update({ error: null });
  }

  /** The session selected `videoId`: a room for another video starts empty; its `room` message fills it. */
  setStream(videoId: string | null): void {
    if (videoId === this.expectedStreamId) return;
    this.expectedStreamId = videoId;
    this.clearTimers();
    this.reactionQueue.clear();
    this.store.update({ ...initialRoomSnapshot(), streamId: videoId });
  }

  receive(message: RoomServerMessage): void {
    const current = this.store.get();
    switch (message.type) {
      case 'room': {
        if (message.streamId !== this.expectedStreamId) return;
        const { type: _type, streamId, history, ...rest } = message;
        // The same room again (a reconnect) keeps what was said since; this viewer's failed messages stay.
        const rejoin = current.streamId === streamId;
        const messages = mergeHistory(rejoin ? current.messages : [], history, this.options.maxChatMessages);
        this.store.update({ ...rest, streamId, joined: true, messages });
        for (const entry of messages) if (entry.status === 'sent') this.stopAckTimer(entry.clientId);
        return;
      }
      case 'chat-ack':
        if (message.message.streamId !== current.streamId) return;
        this.stopAckTimer(message.clientId);
        this.confirm(message.message, true);
        return;
      case 'chat-message':
        if (message.message.streamId !== current.streamId) return;
        this.confirm(message.message, false);
        return;
      case 'chat-deleted':
        if (message.streamId !== current.streamId) return;
        this.store.update({
          messages: removeMessage(current.messages, message.messageId),
          pinned: current.pinned?.id === message.messageId ? null : current.pinned,
        });
        return;
      case 'chat-pinned':
        if (message.streamId === current.streamId) this.store.update({ pinned: message.message });
        return;
      case 'reactions': {
        if (message.streamId !== current.streamId) return;
        const reactionCounts = { ...current.reactionCounts };
        for (const [emoji, count] of Object.entries(message.counts))
          reactionCounts[emoji] = (reactionCounts[emoji] ?? 0) + count;
        this.store.update({ reactionCounts: Object.freeze(reactionCounts) });
        this.reactionQueue.addBatch(message);
        return;
      }
      case 'viewers':
        if (message.streamId === current.streamId) this.store.update({ viewers: message.count });
        return;
    }
  }

  /** A refusal of something the room sent: the message with that clientId fails; anything else shows. */
  refused(error: ErrorMessage): void {
    const { ref } = error;
    const entry =
      ref === undefined
        ? undefined
        : this.store.get().messages.find((item) => item.own && item.clientId === ref);
    if (ref !== undefined && entry) {
      this.stopAckTimer(ref);
      this.setStatus(ref, 'failed', error.message);
      return;
    }
    const source = SOURCE_OF_CODE[error.code] ?? this.lastControl;
    this.store.update({ error: { code: error.code, message: error.message, source } });
  }

  /** The socket dropped: nothing pending will be acked on it, and nothing can be sent until `room` again. */
  disconnected(): void {
    this.clearTimers();
    this.reactionQueue.clear();
    let { messages } = this.store.get();
    for (const entry of messages)
      if (entry.status === 'pending' && entry.clientId)
        messages = setOwnStatus(messages, entry.clientId, 'failed', CONNECTION_LOST);
    // The count is unknown until the room says again (issue 12: it stayed stale while reconnecting); the `room`
    // message of the rejoin carries the count of that moment.
    this.store.update({ messages, joined: false, canChat: false, canModerate: false, viewers: null });
  }

  private transmit(entry: ChatEntry): void {
    const clientId = entry.clientId!;
    const sent = this.send({
      type: 'chat-send',
      clientId,
      text: entry.text,
      ...(entry.displayName === 'You' ? {} : { displayName: entry.displayName }),
    });
    if (!sent) {
      this.setStatus(clientId, 'failed', NOT_CONNECTED);
      return;
    }
    this.ackTimers.set(
      clientId,
      setTimeout(() => {
        this.ackTimers.delete(clientId);
        this.setStatus(clientId, 'failed', NO_ANSWER);
      }, this.options.chatAckTimeoutMs),
    );
  }

  private confirm(message: ChatMessage, own: boolean): void {
    if (message.clientId !== undefined) {
      const mine = this.store.get().messages.some((item) => item.own && item.clientId === message.clientId);
      if (mine) this.stopAckTimer(message.clientId);
    }
    const messages = confirmMessage(this.store.get().messages, message, own, this.options.maxChatMessages);
    this.store.update({ messages });
  }

  private setStatus(clientId: string, status: 'pending' | 'failed', error: string | null): void {
    this.store.update({ messages: setOwnStatus(this.store.get().messages, clientId, status, error) });
  }

  private stopAckTimer(clientId: string | undefined): void {
    if (clientId === undefined) return;
    const timer = this.ackTimers.get(clientId);
    if (timer !== undefined) clearTimeout(timer);
    this.ackTimers.delete(clientId);
  }

  private clearTimers(): void {
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
    this.ackTimers.clear();
  }
}
