import * as v from 'valibot';
import { VideoIdSchema } from './catalog';
import { ErrorMessageSchema } from './server-messages';

/**
 * The broadcast socket (`<mount>/ingest`): a broadcaster sends its stream to the server as the chunks of one media
 * container (a browser's `MediaRecorder` WebM), after a hello that names the stream and carries its key. Separate
 * from the viewer socket: a broadcaster's connection carries media the other way, under other limits.
 */

/** Most bytes in one media chunk (a `MediaRecorder` chunk of at most 250 ms at a few Mbit/s is far below). */
export const MAX_BROADCAST_CHUNK_BYTES = 1024 * 1024;
/** Longest stream key accepted. */
export const MAX_STREAM_KEY_LENGTH = 200;
/** Container types a broadcaster may send, as `MediaRecorder.mimeType` names them (codecs parameter optional). */
export const BROADCAST_MIME_PATTERN = /^(video|audio)\/(webm|x-matroska)(;\s*codecs="?[A-Za-z0-9.,\s]+"?)?$/;

/** First message of a broadcast socket. A socket that resumes a broadcast sends it again, with a new container. */
export const BroadcastHelloSchema = v.object({
  type: v.literal('broadcast-hello'),
  protocolVersion: v.pipe(v.number(), v.integer()),
  streamId: VideoIdSchema,
  /** The stream's key, as `POST <mount>/streams` returned it. */
  key: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_STREAM_KEY_LENGTH)),
  /** The container and codecs of the chunks that follow, e.g. `video/webm;codecs=vp8,opus`. */
  mimeType: v.pipe(v.string(), v.maxLength(200), v.regex(BROADCAST_MIME_PATTERN)),
  client: v.optional(v.pipe(v.string(), v.maxLength(100))),
});

/**
 * The chunks that follow start a new container (the broadcaster switched camera or source, which restarts its
 * recorder): the server starts decoding afresh from them.
 */
export const BroadcastContainerSchema = v.object({
  type: v.literal('broadcast-container'),
  mimeType: v.pipe(v.string(), v.maxLength(200), v.regex(BROADCAST_MIME_PATTERN)),
});

/** The broadcaster ends the stream (a socket that just closes may resume). */
export const BroadcastEndSchema = v.object({ type: v.literal('broadcast-end') });

export const BroadcastClientMessageSchema = v.variant('type', [
  BroadcastHelloSchema,
  BroadcastContainerSchema,
  BroadcastEndSchema,
]);

/** The hello was accepted: media chunks may follow. */
export const BroadcastWelcomeSchema = v.object({
  type: v.literal('broadcast-welcome'),
  protocolVersion: v.pipe(v.number(), v.integer()),
  streamId: VideoIdSchema,
  maxChunkBytes: v.pipe(v.number(), v.integer()),
  /** True when this socket continues a broadcast whose previous socket was lost. */
  resumed: v.boolean(),
});

/** About once a second while live. */
export const BroadcastStatusSchema = v.object({
  type: v.literal('broadcast-status'),
  viewers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** When the stream went live, epoch ms. */
  startedAt: v.number(),
  receivedBytes: v.pipe(v.number(), v.minValue(0)),
});

/** The stream ended (by the broadcaster, the host or `DELETE`): the socket closes after it. */
export const BroadcastEndedSchema = v.object({
  type: v.literal('broadcast-ended'),
  reason: v.picklist(['ended', 'removed']),
});

export const BroadcastServerMessageSchema = v.variant('type', [
  BroadcastWelcomeSchema,
  BroadcastStatusSchema,
  BroadcastEndedSchema,
  ErrorMessageSchema,
]);

export type BroadcastHelloMessage = v.InferOutput<typeof BroadcastHelloSchema>;
export type BroadcastContainerMessage = v.InferOutput<typeof BroadcastContainerSchema>;
export type BroadcastEndMessage = v.InferOutput<typeof BroadcastEndSchema>;
export type BroadcastClientMessage = v.InferOutput<typeof BroadcastClientMessageSchema>;
export type BroadcastWelcomeMessage = v.InferOutput<typeof BroadcastWelcomeSchema>;
export type BroadcastStatusMessage = v.InferOutput<typeof BroadcastStatusSchema>;
export type BroadcastEndedMessage = v.InferOutput<typeof BroadcastEndedSchema>;
export type BroadcastServerMessage = v.InferOutput<typeof BroadcastServerMessageSchema>;
