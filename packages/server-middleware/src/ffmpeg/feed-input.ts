import { PassThrough } from 'node:stream';
import type { VideoSource } from '../source/video-source';
import type { SpawnedChild } from './supervised-child';

/**
 * Input options of every ffmpeg and ffprobe that reads a broadcast's feed. The feed starts with the container's
 * init (WebM Tracks; FLV's header and the H.264/AAC sequence headers), which already says what the streams are,
 * so a long probe only waits: with the default 5 s `-analyzeduration`, ffmpeg held the first frame of an FLV
 * stream ~1.3 s after its first byte, 0.1 s with this (the 2018 build, measured with
 * `scripts/broadcast-startup.mjs`).
 */
export const BROADCAST_INPUT_OPTIONS: readonly string[] = Object.freeze(['-analyzeduration', '100000']);

/** The input options `source` is read with: its own, then a broadcast's. */
export function feedInputOptions(source: VideoSource): readonly string[] {
  return source.kind === 'broadcast'
    ? [...source.inputOptions, ...BROADCAST_INPUT_OPTIONS]
    : source.inputOptions;
}

/** A broadcast's feed, attached for one child that reads it on stdin. */
export interface FeedInput {
  /**
   * Seconds of media before the live edge that the reader starts with (from the latest keyframe): the decoder
   * skips them (`-ss` on the input: decoded, not shown), so it starts at live rather than a GOP behind. Null
   * when there is nothing to skip.
   */
  seekSec: number | null;
  /** Feeds the child's stdin until the feed or the child ends. */
  connect(spawned: SpawnedChild): void;
}

/**
 * Attaches a reader to a `broadcast` source's feed before its child is spawned (the reader says how much to skip,
 * which goes in the child's arguments); null for every other kind. The feed writes into a pass-through that is
 * piped into the child's stdin once it exists, so the feed sees the child's backpressure.
 */
export function openFeedInput(source: VideoSource): FeedInput | null {
  const feed = source.feed;
  if (source.kind !== 'broadcast' || feed === undefined) return null;
  const pass = new PassThrough();
  const reader = feed.attach(pass);
  return {
    seekSec: reader.skipMs > 0 ? reader.skipMs / 1000 : null,
    connect({ child, input }) {
      if (input) pass.pipe(input);
      else pass.resume();
      void child.exited.then(() => {
        reader.close();
        pass.unpipe();
        pass.destroy();
      });
    },
  };
}
