import { randomBytes } from 'node:crypto';
import { type ChatMessage, type ChatPost, decodeChatPost, ErrorCode, MAX_CHAT_LENGTH } from '@onair/protocol';
import type { ReactionSample } from '../hub/hub';
import { checkChatText, guestName, sanitizeDisplayName } from './chat-rules';
import type { Rooms } from './rooms';
import type { Spend } from './token-bucket';

/** What the socket and REST know of whoever sends a chat message or a reaction. */
export interface RoomSender {
  /** What a guest's name is drawn from: the socket's tag, or the REST sender (granted name, else address). */
  key: string;
  /** The name `authorize` granted; it replaces whatever name the client asked for. */
  grantedName: string | null;
  /** Spends one token of this sender's budget for the request at hand (chat or reactions). */
  spend(): Spend;
  /** The hub tag of the sender's socket, which leaves the sender out of its own message's fan-out. */
  source?: string;
}

/** Why a request was refused: the error code both transports answer with; `waitMs` for a rate limit. */
export interface RoomRefusal {
  ok: false;
  code: ErrorCode;
  message: string;
  waitMs?: number;
}

export type ChatOutcome = { ok: true; message: ChatMessage; duplicate: boolean } | RoomRefusal;

/**
 * A REST chat body checked for shape by the same field rules as the socket's `chat-send` (the wire's schema
 * refuses it there before it reaches this policy), so both transports refuse the same messages.
 */
export function readChatPost(body: unknown): { ok: true; post: ChatPost } | RoomRefusal {
  const decoded = decodeChatPost(body);
  if (decoded.ok) return { ok: true, post: decoded.value };
  return {
    ok: false,
    code: ErrorCode.BadMessage,
    message: `expected { text, displayName?, clientId? }: ${decoded.error.message}`.slice(0, 900),
  };
}

/**
 * The one chat and reaction policy, for the socket (`room-member.ts`) and REST (`http/social-routes.ts`) alike:
 * validate, then rate limit (so a malformed message costs nothing), then name the sender, build the draft and
 * hand it to the hub through `Rooms`. Who may chat at all is each caller's question (its `authorize` roles);
 * a hub failure rejects, and each caller answers it in its own way.
 */
export class RoomActions {
  /** Keys guest names, so they are stable per sender yet say nothing of the address behind them. */
  private readonly guestSecret = randomBytes(16);

  constructor(
    private readonly rooms: Rooms,
    private readonly reactions: readonly string[],
  ) {}

  /** `post` is a socket's `chat-send` or a REST body read by `readChatPost`: the shape is already checked. */
  async postChat(streamId: string, post: ChatPost, sender: RoomSender): Promise<ChatOutcome> {
    const checked = checkChatText(post.text, MAX_CHAT_LENGTH);
    if (!checked.ok) return { ok: false, code: checked.code, message: checked.message };
    const spent = sender.spend();
    if (!spent.ok) return rateLimited('messages', spent.waitMs);
    const displayName =
      sender.grantedName ?? sanitizeDisplayName(post.displayName) ?? guestName(this.guestSecret, sender.key);
    const draft = {
      ...(post.clientId === undefined ? {} : { clientId: post.clientId }),
      displayName,
      text: checked.text,
      sentAt: Date.now(),
    };
    const { message, duplicate } = await this.rooms.appendChat(streamId, draft, sender.source);
    return { ok: true, message, duplicate };
  }

  react(streamId: string, { emoji, x, y }: ReactionSample, sender: RoomSender): { ok: true } | RoomRefusal {
    if (!this.reactions.includes(emoji)) {
      return { ok: false, code: ErrorCode.BadReaction, message: 'this server does not accept that reaction' };
    }
    const spent = sender.spend();
    if (!spent.ok) return rateLimited('reactions', spent.waitMs);
    this.rooms.react(streamId, {
      emoji,
      ...(x === undefined ? {} : { x }),
      ...(y === undefined ? {} : { y }),
    });
    return { ok: true };
  }
}

function rateLimited(what: string, waitMs: number): RoomRefusal {
  return {
    ok: false,
    code: ErrorCode.RateLimited,
    message: `too many ${what}; try again in ${waitMs} ms`,
    waitMs,
  };
}
