import * as v from 'valibot';
import { RecordingInfoSchema, StreamStatusSchema, VideoIdSchema } from './catalog';
import { ChatRoleSchema } from './social';

/**
 * The roles the host's `authorize` hook is asked about: the chat roles, and `broadcaster` (creates, starts,
 * ends and removes streams over REST).
 */
export const AccessRoleSchema = v.picklist([...ChatRoleSchema.options, 'broadcaster']);
export type AccessRole = v.InferOutput<typeof AccessRoleSchema>;

const title = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500));
const description = v.pipe(v.string(), v.maxLength(5000));
/** Unix milliseconds. */
const time = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * An ffmpeg input named in `POST <mount>/streams` (only where the server allows inputs over REST): what
 * `liveStream()`'s video list takes as an object, without its id and title (the stream's own).
 */
export const StreamInputSchema = v.strictObject({
  input: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  format: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_,-]+$/), v.maxLength(64))),
  inputOptions: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(64))),
});

/** The body of `POST <mount>/streams`. Unknown fields are refused, so a typo is not silently ignored. */
export const StreamCreateSchema = v.strictObject({
  /** Default: a random id. */
  id: v.optional(VideoIdSchema),
  title,
  description: v.optional(description),
  scheduledAt: v.optional(time),
  input: v.optional(StreamInputSchema),
  /**
   * Keep the broadcast as a file to replay once the stream ended (issue 13 item 5). Default: the server's
   * `record` option.
   */
  record: v.optional(v.boolean()),
});
export type StreamCreate = v.InferOutput<typeof StreamCreateSchema>;

/** One stream as REST answers it (`GET <mount>/streams`, `…/streams/:id`); never carries its ingest key. */
export const StreamInfoSchema = v.object({
  id: VideoIdSchema,
  title: v.pipe(v.string(), v.maxLength(500)),
  description: v.nullable(description),
  status: StreamStatusSchema,
  scheduledAt: v.nullable(time),
  createdAt: time,
  startedAt: v.nullable(time),
  endedAt: v.nullable(time),
  /** True when the stream reads an ffmpeg input; false for a broadcast that an ingest feeds. */
  hasInput: v.boolean(),
  /** The stream's recording; present only for a stream that records. */
  recording: v.optional(RecordingInfoSchema),
});
export type StreamInfo = v.InferOutput<typeof StreamInfoSchema>;

/** How to feed a stream: given once, to its creator, in the answer to `POST <mount>/streams`. */
export const StreamIngestSchema = v.object({
  /** The stream's secret key: whoever holds it may feed the stream. */
  key: v.pipe(v.string(), v.minLength(16), v.maxLength(128)),
});
export type StreamIngest = v.InferOutput<typeof StreamIngestSchema>;

/** The answer to `POST <mount>/streams` (201). */
export const StreamCreatedSchema = v.object({ stream: StreamInfoSchema, ingest: StreamIngestSchema });
export type StreamCreated = v.InferOutput<typeof StreamCreatedSchema>;

/** `GET <mount>/streams?status=`: one status, or several separated by commas. */
export const StreamListQuerySchema = v.object({
  status: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(100),
      v.transform((value) => value.split(',')),
      v.array(StreamStatusSchema),
    ),
  ),
});

/**
 * Server to client: the video this viewer selected is not on air, so no `stream` and no media follow for it.
 * Sent instead of `stream` in answer to a `select` of a stream that is scheduled, ended or waiting for its feed,
 * and when the stream the viewer watches ends or is removed (the viewer then has no video selected; its socket
 * stays open). Not an error.
 */
export const StreamStatusMessageSchema = v.object({
  type: v.literal('stream-status'),
  videoId: VideoIdSchema,
  /** `live` here means live but not fed yet (a broadcast waiting for its broadcaster). */
  status: v.picklist(['scheduled', 'live', 'ended', 'cancelled', 'removed']),
  scheduledAt: v.optional(v.nullable(time)),
});
export type StreamStatusMessage = v.InferOutput<typeof StreamStatusMessageSchema>;
