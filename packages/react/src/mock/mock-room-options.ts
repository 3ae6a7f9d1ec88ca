import { type ChatRole, DEFAULT_REACTIONS, MAX_CHAT_LENGTH } from '@onair/protocol';

/** A line of chat as a story or test writes it; the mock fills in id, stream and time. */
export interface MockChatLine {
  displayName: string;
  text: string;
  id?: string;
  /** Unix ms. Default: a minute apart, ending now. */
  sentAt?: number;
}

export interface MockRoomOptions {
  /** This viewer's role in every room. `viewer` reads only; `moderator` may delete and pin. Default `chatter`. */
  role?: ChatRole;
  /** Messages every room starts with, oldest first. Default none. */
  history?: MockChatLine[];
  /** Id of the history message pinned in every room. Default none. */
  pinnedId?: string;
  /** Viewer count each room reports on join. Default 1. */
  viewers?: number;
  /** The emoji the mock accepts. Default the protocol's DEFAULT_REACTIONS. */
  reactions?: readonly string[];
  /** Default MAX_CHAT_LENGTH (500). */
  maxChatLength?: number;
  /** Store and acknowledge `chat-send`. False swallows messages unanswered (to see the client's timeout). */
  acks?: boolean;
  /**
   * This viewer's reactions, limited as the server's default limits them: a burst, then so many a second; over
   * it a reaction is dropped, with at most one `ONAIR_RATE_LIMITED` a second. False lets every reaction through.
   * Default `{ burst: 10, perSecond: 5 }`.
   */
  reactionLimit?: { burst: number; perSecond: number } | false;
}

export type ResolvedMockRoomOptions = Required<Omit<MockRoomOptions, 'pinnedId'>> & {
  pinnedId: string | null;
};

export function resolveMockRoomOptions(options: MockRoomOptions): ResolvedMockRoomOptions {
  return {
    role: options.role ?? 'chatter',
    history: options.history ?? [],
    pinnedId: options.pinnedId ?? null,
    viewers: options.viewers ?? 1,
    reactions: options.reactions ?? DEFAULT_REACTIONS,
    maxChatLength: options.maxChatLength ?? MAX_CHAT_LENGTH,
    acks: options.acks ?? true,
    reactionLimit: options.reactionLimit ?? { burst: 10, perSecond: 5 },
  };
}
