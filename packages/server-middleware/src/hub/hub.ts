import type { ChatMessage } from '@onair/protocol';
import { HUB_DEFAULTS } from '../options/defaults';
import type { LiveStreamLogger } from '../options/live-stream-options';
import { numberOption, type OptionOwner } from '../options/option-checks';
import type { BroadcastSharing } from './broadcast-sharing';

/** A reaction as the hub carries it: the emoji and, when the viewer pointed at the picture, where. */
export interface ReactionSample {
  emoji: string;
  x?: number;
  y?: number;
}

/** Reactions of one batch window on one stream: totals per emoji and a bounded sample to animate. */
export interface ReactionBatch {
  counts: Record<string, number>;
  samples: ReactionSample[];
}

/** What a stored message is made from; the hub gives it its id and stream. */
export interface ChatDraft {
  clientId?: string;
  displayName: string;
  text: string;
  sentAt: number;
}

/** The answer to an append: the stored message, and whether it was already there (a resend). */
export interface AppendResult {
  message: ChatMessage;
  duplicate: boolean;
}

/**
 * What every instance hears, its own publications included: each instance fans these out to its own viewers.
 * `source` is the opaque tag the publisher passed, so the sender of a message can be left out of its fan-out.
 */
export type HubEvent =
  | { type: 'chat-message'; message: ChatMessage; source?: string }
  | { type: 'chat-deleted'; streamId: string; messageId: string }
  | { type: 'chat-pinned'; streamId: string; message: ChatMessage | null }
  | ({ type: 'reactions'; streamId: string } & ReactionBatch)
  | { type: 'viewers'; streamId: string; count: number };

/**
 * Carries chat, reactions and presence between the viewers of a stream, across every server instance that
 * shares it (DESIGN.md, "Chat, reactions, presence"). One hub belongs to one `liveStream()`, which closes it.
 * The hub stores what it is given: chat is validated, capped, rate limited and named before it gets here, by its
 * one caller, `room/room-actions.ts` (the policy both the socket and REST go through, by way of `Rooms`).
 */
export interface Hub {
  /**
   * Stores a message in the stream's bounded history and publishes it, unless a message with the same
   * `clientId` was stored on this stream recently: then that one is returned and nothing is published.
   */
  appendChat(streamId: string, draft: ChatDraft, source?: string): Promise<AppendResult>;
  /** The most recent messages, oldest first, at most the hub's history size; deleted ones are gone. */
  history(streamId: string): Promise<ChatMessage[]>;
  /** Removes a message (and its pin) and publishes the deletion. False when the stream has no such message. */
  deleteChat(streamId: string, messageId: string): Promise<boolean>;
  /** Pins a message (null unpins) and publishes it. Undefined when the stream has no such message. */
  pin(streamId: string, messageId: string | null): Promise<ChatMessage | null | undefined>;
  pinned(streamId: string): Promise<ChatMessage | null>;
  /** Publishes one batch of this instance's reactions to every instance. */
  publishReactions(streamId: string, batch: ReactionBatch): Promise<void>;
  /** How many viewers this instance has on `streamId` now; the hub totals every instance's counts. */
  setPresence(streamId: string, localCount: number): void;
  /** Viewers on `streamId` across every instance. */
  viewerCount(streamId: string): Promise<number>;
  /** Registers the listener for every event; returns the unsubscribe function. */
  subscribe(listener: (event: HubEvent) => void): () => void;
  /**
   * The logger of the `liveStream()` that uses the hub, for failures of its background work (a hub may report
   * them elsewhere when its own options say so). Optional: `liveStream()` calls it when a hub has it.
   */
  useLogger?(logger: LiveStreamLogger): void;
  /**
   * Streams created at run time and their broadcasts, shared with the other instances (issue 13, item 4). Only
   * a hub spanning instances has it (`redisHub`); without it, streams and broadcasts stay on their instance.
   */
  readonly broadcasts?: BroadcastSharing;
  /** Stops timers and connections the hub opened (never the host's own Redis client). Idempotent. */
  close(): Promise<void>;
}

/** How long a `clientId` is remembered for making a resend idempotent. */
export const CLIENT_ID_MEMORY_MS = 10 * 60_000;

/** Message ids are what a URL path segment may carry safely: `DELETE <mount>/streams/:id/chat/:msgId`. */
const MESSAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isValidMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID_PATTERN.test(value);
}

/** The `historySize` option of both hubs: messages kept per stream for late joiners. */
export function checkHistorySize(owner: OptionOwner, value: number | undefined): number {
  return numberOption('historySize', value, HUB_DEFAULTS.historySize, { min: 1, max: 10_000 }, owner);
}
