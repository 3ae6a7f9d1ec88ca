import * as v from 'valibot';
import { MAX_VIDEO_ID_LENGTH, VIDEO_ID_PATTERN } from './constants';

export const VideoIdSchema = v.pipe(v.string(), v.maxLength(MAX_VIDEO_ID_LENGTH), v.regex(VIDEO_ID_PATTERN));

/**
 * Where a stream is in its life (issue 13): `scheduled` (created, not on air) → `live` → `ended`; a scheduled
 * stream that is ended without going live is `cancelled`. A removed stream is gone from every list.
 */
export const StreamStatusSchema = v.picklist(['scheduled', 'live', 'ended', 'cancelled']);
export type StreamStatus = v.InferOutput<typeof StreamStatusSchema>;

/**
 * A stream's recording (issue 13 item 5), for streams that record: `recording` while the broadcast is written,
 * `finishing` while its parts are joined into one file after the stream ended, `ready` when the ended stream can
 * be replayed (a `select` of it plays the recording), `failed` when no playable file could be made.
 */
export const RecordingStateSchema = v.picklist(['recording', 'finishing', 'ready', 'failed']);
export type RecordingState = v.InferOutput<typeof RecordingStateSchema>;

/** What a stream says of its recording: its state, its size so far, and its length. */
export const RecordingInfoSchema = v.object({
  state: RecordingStateSchema,
  /** Bytes written so far (while recording, the bytes handed to the recorder); the file's size once `ready`. */
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Seconds: time recorded so far while recording, the file's duration once `ready`; null when not known. */
  durationSec: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0))),
});
export type RecordingInfo = v.InferOutput<typeof RecordingInfoSchema>;

/** One entry of the catalog (`GET <mount>/videos` and the `catalog` message). */
export const VideoInfoSchema = v.object({
  id: VideoIdSchema,
  title: v.pipe(v.string(), v.maxLength(500)),
  /** Seconds; null for inputs without an end (devices, network streams). */
  duration: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0))),
  width: v.pipe(v.number(), v.integer(), v.minValue(0)),
  height: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Frames per second of the channel (the source's, capped by the server's `maxFps`). */
  fps: v.pipe(v.number(), v.finite(), v.minValue(0)),
  hasAudio: v.boolean(),
  /** URL of a JPEG thumbnail, relative to the page (includes the mount path). */
  thumbnailUrl: v.string(),
  /** URL of the HLS master playlist (includes the mount path); absent or null when the server offers no HLS. */
  hlsUrl: v.optional(v.nullable(v.string())),
  /**
   * The stream's status (absent from servers before issue 13: read it as `live`). Only a `live` entry with a
   * non-zero size plays; a `select` of any other gets a `stream-status` message instead of `stream`.
   */
  status: v.optional(StreamStatusSchema),
  /** When a `scheduled` stream is planned to start, Unix ms; null or absent when not said. */
  scheduledAt: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  /**
   * The stream's recording, present only for a stream that records (absent from servers before it). An `ended`
   * entry whose recording is `ready` plays: its `select` gets a `stream` with the recording (a file looped on the
   * channel clock like any other), not a `stream-status`.
   */
  recording: v.optional(RecordingInfoSchema),
});

export type VideoInfo = v.InferOutput<typeof VideoInfoSchema>;
