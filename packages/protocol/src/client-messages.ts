import * as v from 'valibot';
import { VideoIdSchema } from './catalog';
import { AUDIO_CODECS, FEEDBACK_LIMITS, VIEWER_LIMITS } from './constants';
import { ChatDeleteSchema, ChatPinSchema, ChatSendSchema, ReactionSendSchema } from './social';

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(FEEDBACK_LIMITS.maxCount));
const milliseconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(FEEDBACK_LIMITS.maxMs));

/** First message on every socket: states the protocol version the client speaks. */
export const HelloSchema = v.object({
  type: v.literal('hello'),
  protocolVersion: v.pipe(v.number(), v.integer()),
  /** Free-form client name for logs, e.g. "@onair/react 0.1.0". */
  client: v.optional(v.pipe(v.string(), v.maxLength(100))),
  /**
   * Audio codecs this client can decode, preferred first. Omitted means `['pcm']` (clients from before Opus).
   * The server picks the first one it can serve and names it in `stream.audio.codec`.
   */
  audioCodecs: v.optional(
    v.pipe(v.array(v.picklist(AUDIO_CODECS)), v.minLength(1), v.maxLength(AUDIO_CODECS.length * 2)),
  ),
  /** This client can take its sound on a second socket (PROTOCOL.md, "The audio socket"). Omitted: false. */
  audioSocket: v.optional(v.boolean()),
});

/** Asks for the catalog; answered by a `catalog` message. */
export const CatalogRequestSchema = v.object({ type: v.literal('catalog') });

/** Starts (or switches to) a video. */
export const SelectSchema = v.object({
  type: v.literal('select'),
  videoId: VideoIdSchema,
  /** Frames per second this viewer wants; the server decimates the channel's frames. Omit for the full rate. */
  videoFps: v.optional(v.pipe(v.number(), v.finite(), v.minValue(1), v.maxValue(120))),
  /**
   * False joins the video's room only (chat, reactions, viewer count): no `stream`, no media, no acks or
   * feedback expected. For a player that takes its picture from elsewhere, e.g. HLS. Omitted means true.
   */
  media: v.optional(v.boolean()),
});

/** Locks the viewer to one rung of the ladder, or gives control back to the server ('auto'). */
export const QualityRequestSchema = v.object({
  type: v.literal('quality'),
  rung: v.union([v.literal('auto'), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))]),
});

/** The player's report, every ~500 ms: what the server's rung controller reads. */
export const FeedbackSchema = v.object({
  type: v.literal('feedback'),
  /** Jitter-buffer fill as a fraction of its target (0 = empty, 1 = at target; may exceed 1). */
  bufferLevel: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(FEEDBACK_LIMITS.maxLevel)),
  /** Buffered media ahead of the playhead, in milliseconds. */
  bufferMs: milliseconds,
  /** The client's own estimate of its network. */
  networkQuality: v.picklist(['good', 'fair', 'poor', 'unknown']),
  /** Client clock (ms since its page load) when the report was made; echoed nowhere, used for ordering. */
  timestamp: v.pipe(v.number(), v.finite(), v.minValue(0)),
  /** Frames dropped (never shown) since the previous report. */
  droppedFrames: count,
  /** Frames shown after their time since the previous report. */
  lateFrames: count,
  /**
   * JPEG decode time per frame since the previous report, in milliseconds: the time spent decoding (overlapping
   * decodes counted once) over the frames decoded, so more than the frame interval means decoding cannot keep up.
   */
  decodeMs: milliseconds,
  /**
   * Of `droppedFrames`, those the player dropped because its own decode or render could not keep up (a busy
   * CPU), not because they arrived late. The server does not count them against the link. Omitted means 0.
   */
  renderDroppedFrames: v.optional(count),
  /**
   * The longest time since the previous report that the player could not go on, in milliseconds: two display
   * ticks that far apart (the page did not run it: a long task, a CPU busy elsewhere), or frame decodes under way
   * with none ending for that long. A player held that long stops reading and acking, and its buffer drains for
   * it: the server does not read that as the link. Omitted means 0.
   */
  pageStallMs: v.optional(milliseconds),
});

const limitFps = v.pipe(
  v.number(),
  v.finite(),
  v.minValue(VIEWER_LIMITS.minFps),
  v.maxValue(VIEWER_LIMITS.maxFps),
);
const limitHeight = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(VIEWER_LIMITS.minHeight),
  v.maxValue(VIEWER_LIMITS.maxHeight),
);

/**
 * What the player's CPU and screen can take: the server never sends this viewer more frames per second than
 * `maxFps`, nor a rung taller than `maxHeight` (rung 0 excepted: it is the floor). Absent or null: no limit.
 * Each message replaces the previous one whole.
 */
export const ViewerLimitsSchema = v.object({
  type: v.literal('viewer-limits'),
  maxFps: v.optional(v.nullable(limitFps)),
  maxHeight: v.optional(v.nullable(limitHeight)),
});

export const ClientMessageSchema = v.variant('type', [
  HelloSchema,
  CatalogRequestSchema,
  SelectSchema,
  QualityRequestSchema,
  FeedbackSchema,
  ViewerLimitsSchema,
  ChatSendSchema,
  ChatDeleteSchema,
  ChatPinSchema,
  ReactionSendSchema,
]);

export type HelloMessage = v.InferOutput<typeof HelloSchema>;
export type CatalogRequestMessage = v.InferOutput<typeof CatalogRequestSchema>;
export type SelectMessage = v.InferOutput<typeof SelectSchema>;
export type QualityRequestMessage = v.InferOutput<typeof QualityRequestSchema>;
export type FeedbackMessage = v.InferOutput<typeof FeedbackSchema>;
export type ViewerLimitsMessage = v.InferOutput<typeof ViewerLimitsSchema>;
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
/** Message type → message, for typed handlers: `on<'select'>(…)`. */
export type ClientMessageMap = { [T in ClientMessageType]: Extract<ClientMessage, { type: T }> };
