import type { Writable } from 'node:stream';

/** One reader of a live feed: what it was given to start with, and how to let go of it. */
export interface FeedReader {
  /**
   * Media time, in ms, between the keyframe the reader starts at and the newest media the feed had when it was
   * attached: a decoder skips that much (`-ss`) to start at the live edge rather than a GOP behind it.
   */
  readonly skipMs: number;
  /** Stops writing to the destination (it is not ended). */
  close(): void;
}

/**
 * A compressed container byte stream that arrives live (a broadcast from a browser or from OBS): what a
 * `broadcast` source's ffmpeg reads on stdin instead of a file or URL. Lives in `source/`, the lowest floor, so
 * the channel and ffmpeg layers can read a feed without knowing who fills it (`ingest/` does).
 */
export interface LiveFeed {
  /** ffmpeg's name of the container (`-f`): `webm` or `flv`. */
  readonly container: string;
  /**
   * Writes the container's init bytes, then the media from the latest keyframe on, then the live media as it
   * comes, to `destination`; ends it when the broadcast ends or starts over. Synchronous: the reader's
   * `skipMs` describes exactly what was queued.
   */
  attach(destination: Writable): FeedReader;
}
