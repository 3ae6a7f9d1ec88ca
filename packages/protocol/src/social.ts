import * as v from 'valibot';
import { VideoIdSchema } from './catalog';
import { MAX_CHAT_LENGTH, MAX_CLIENT_ID_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './constants';
import { DecodeErrorCode } from './error-codes';
import { type DecodeResult, fail, ok } from './result';

/** Length as people count it: code points, not UTF-16 units (an emoji is one character, not two). */
export function chatLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

const fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));
// The wire allows more than MAX_CHAT_LENGTH so the server can answer an over-long message with its own code
// (ONAIR_CHAT_TOO_LONG) instead of a generic ONAIR_BAD_MESSAGE.
const chatText = v.pipe(v.string(), v.maxLength(MAX_CHAT_LENGTH * 8));
const messageId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const clientId = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CLIENT_ID_LENGTH));
const emoji = v.pipe(v.string(), v.minLength(1), v.maxLength(16));
const displayName = v.pipe(v.string(), v.maxLength(MAX_DISPLAY_NAME_LENGTH * 4));

export const ChatRoleSchema = v.picklist(['viewer', 'chatter', 'moderator']);
export type ChatRole = v.InferOutput<typeof ChatRoleSchema>;

/** One chat message as stored and fanned out. */
export const ChatMessageSchema = v.object({
  id: messageId,
  /**
   * The video's id, under the room messages' name for it: the same value as `videoId` in `select` and `stream`
   * (PROTOCOL.md, "One video, two field names").
   */
  streamId: VideoIdSchema,
  /** The sender's own id for it, so a resend after a lost ack is recognised and not stored twice. */
  clientId: v.optional(clientId),
  displayName,
  text: chatText,
  /** Unix milliseconds when the server accepted it. */
  sentAt: v.pipe(v.number(), v.finite()),
});
export type ChatMessage = v.InferOutput<typeof ChatMessageSchema>;

// --- client to server ---------------------------------------------------------------------------------------

/** Sends a chat message to the room of the selected video. Answered by `chat-ack` or an `error` with `ref`. */
export const ChatSendSchema = v.object({
  type: v.literal('chat-send'),
  clientId,
  text: chatText,
  /** Shown with the message unless the host's authorize hook names the viewer itself. */
  displayName: v.optional(displayName),
});

/**
 * The body of REST's `POST /streams/:id/chat`: a `chat-send`'s fields under the same rules, `clientId` optional
 * (a bot that never resends needs none), so the socket and REST refuse the same messages.
 */
export const ChatPostSchema = v.object({
  text: chatText,
  displayName: v.optional(displayName),
  clientId: v.optional(clientId),
});

/** Moderators: remove a message for everyone. */
export const ChatDeleteSchema = v.object({ type: v.literal('chat-delete'), messageId });

/** Moderators: pin a message (or unpin with `messageId: null`). */
export const ChatPinSchema = v.object({ type: v.literal('chat-pin'), messageId: v.nullable(messageId) });

/** A reaction, optionally at a point of the picture (x, y in 0..1 from the top left). */
export const ReactionSendSchema = v.object({
  type: v.literal('reaction'),
  emoji,
  x: v.optional(fraction),
  y: v.optional(fraction),
});

// --- server to client ---------------------------------------------------------------------------------------

/** Sent when a viewer joins a room (on `select`): what the chat, reactions and count need to start. */
export const RoomSchema = v.object({
  type: v.literal('room'),
  /** The selected video's id (its `videoId`). */
  streamId: VideoIdSchema,
  /** What this viewer may do here. */
  role: ChatRoleSchema,
  canChat: v.boolean(),
  canModerate: v.boolean(),
  /** The emoji this server accepts. */
  reactions: v.array(emoji),
  maxChatLength: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Most recent messages, oldest first (bounded history). */
  history: v.array(ChatMessageSchema),
  pinned: v.nullable(ChatMessageSchema),
  viewers: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export const ChatAckSchema = v.object({
  type: v.literal('chat-ack'),
  clientId,
  message: ChatMessageSchema,
});

export const ChatMessageEventSchema = v.object({
  type: v.literal('chat-message'),
  message: ChatMessageSchema,
});

export const ChatDeletedSchema = v.object({
  type: v.literal('chat-deleted'),
  streamId: VideoIdSchema,
  messageId,
});

export const ChatPinnedSchema = v.object({
  type: v.literal('chat-pinned'),
  streamId: VideoIdSchema,
  message: v.nullable(ChatMessageSchema),
});

/** Reactions of the last batch window: counts per emoji, plus a bounded sample of positions to animate. */
export const ReactionsSchema = v.object({
  type: v.literal('reactions'),
  streamId: VideoIdSchema,
  counts: v.record(emoji, v.pipe(v.number(), v.integer(), v.minValue(0))),
  samples: v.array(v.object({ emoji, x: v.optional(fraction), y: v.optional(fraction) })),
});

/** How many are watching this stream, across every server instance. Sent on change, at most ~once a second. */
export const ViewersSchema = v.object({
  type: v.literal('viewers'),
  streamId: VideoIdSchema,
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export type ChatSendMessage = v.InferOutput<typeof ChatSendSchema>;
export type ChatPost = v.InferOutput<typeof ChatPostSchema>;
export type ChatDeleteMessage = v.InferOutput<typeof ChatDeleteSchema>;
export type ChatPinMessage = v.InferOutput<typeof ChatPinSchema>;
export type ReactionSendMessage = v.InferOutput<typeof ReactionSendSchema>;
export type RoomMessage = v.InferOutput<typeof RoomSchema>;
export type ChatAckMessage = v.InferOutput<typeof ChatAckSchema>;
export type ChatMessageEvent = v.InferOutput<typeof ChatMessageEventSchema>;
export type ChatDeletedMessage = v.InferOutput<typeof ChatDeletedSchema>;
export type ChatPinnedMessage = v.InferOutput<typeof ChatPinnedSchema>;
export type ReactionsMessage = v.InferOutput<typeof ReactionsSchema>;
export type ViewersMessage = v.InferOutput<typeof ViewersSchema>;

/** Reads a REST chat body (already parsed JSON) under the `chat-send` field rules. Never throws. */
export function decodeChatPost(body: unknown): DecodeResult<ChatPost> {
  const parsed = v.safeParse(ChatPostSchema, body);
  return parsed.success ? ok(parsed.output) : fail(DecodeErrorCode.Invalid, v.summarize(parsed.issues));
}
