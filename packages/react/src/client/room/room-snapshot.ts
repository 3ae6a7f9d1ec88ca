import type { ChatMessage, ChatRole, ErrorCode } from '@onair/protocol';
import { DEFAULT_REACTIONS, MAX_CHAT_LENGTH } from '@onair/protocol';

/** Where one of this viewer's messages is: on its way, stored by the server, or refused/lost (retryable). */
export type ChatMessageStatus = 'pending' | 'sent' | 'failed';

/** A chat message as the UI shows it: the server's message plus where it is on its way there. */
export interface ChatEntry extends ChatMessage {
  status: ChatMessageStatus;
  /** Sent from this client (pending and failed entries always are). */
  own: boolean;
  /** Why a failed message was not sent; null otherwise. */
  error: string | null;
}

/**
 * Which control a refusal without a `ref` answers, so a UI can show it beside that control (issue 12): the
 * reaction buttons (`ONAIR_BAD_REACTION`, or a rate limit or not-joined refusal right after a reaction), the
 * moderator's buttons (`ONAIR_FORBIDDEN`, `ONAIR_UNKNOWN_CHAT_MESSAGE`, or the others right after a delete or
 * pin), or the room as a whole.
 */
export type RoomErrorSource = 'reaction' | 'moderation' | 'room';

/** A refusal the room got that is not about one message (a reaction too many, a forbidden delete). */
export interface RoomError {
  code: ErrorCode;
  message: string;
  source: RoomErrorSource;
}

/** One emoji floating over the picture. */
export interface FloatingReaction {
  /** Unique for the life of the client: a stable React key. */
  key: number;
  emoji: string;
  /** Horizontal start, 0 (left) to 1 (right). */
  x: number;
  /** Vertical start, 0 (top) to 1 (bottom). */
  y: number;
  /** This viewer's own reaction, shown before the server's batch. */
  own: boolean;
}

/** Chat, reactions and presence of the room of the selected video, as one immutable object. */
export interface RoomSnapshot {
  /** The video whose room this is; null before the server's `room` message (or from a server without chat). */
  streamId: string | null;
  /** The server sent `room` on the current connection: chat and reactions are open. */
  joined: boolean;
  role: ChatRole | null;
  canChat: boolean;
  canModerate: boolean;
  /** The emoji the server accepts (its defaults until it says otherwise). */
  reactions: readonly string[];
  maxChatLength: number;
  /** Oldest first, bounded. */
  messages: readonly ChatEntry[];
  pinned: ChatMessage | null;
  /** Null until the server says. */
  viewers: number | null;
  /** Reactions per emoji since joining this room. */
  reactionCounts: Readonly<Record<string, number>>;
  /** Emoji on screen now, bounded. */
  floating: readonly FloatingReaction[];
  error: RoomError | null;
}

export function initialRoomSnapshot(): RoomSnapshot {
  return Object.freeze({
    streamId: null,
    joined: false,
    role: null,
    canChat: false,
    canModerate: false,
    reactions: DEFAULT_REACTIONS,
    maxChatLength: MAX_CHAT_LENGTH,
    messages: Object.freeze([]),
    pinned: null,
    viewers: null,
    reactionCounts: Object.freeze({}),
    floating: Object.freeze([]),
    error: null,
  });
}
