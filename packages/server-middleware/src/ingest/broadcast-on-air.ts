import type { ResolvedOptions } from '../options/live-stream-options';
import { broadcastSource } from '../source/video-source';
import type { StreamRegistry } from '../streams/stream-registry';
import type { BroadcastFeed } from './broadcast-feed';

/** A broadcaster whose connection was lost has this long to come back before its stream ends. */
export const BROADCAST_GRACE_MS = 10_000;

/**
 * What every ingest (the browser's socket, RTMP) does with the stream a broadcaster feeds: a scheduled stream goes
 * live with its first broadcaster and the feed becomes its channel's input; a broadcaster gone for
 * `BROADCAST_GRACE_MS` without coming back ends the stream.
 */
export class BroadcastOnAir {
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** The feed each broadcaster here feeds: a lost one ends its stream only if the stream still reads it. */
  private readonly feeds = new Map<string, BroadcastFeed>();

  constructor(
    private readonly registry: StreamRegistry,
    private readonly options: ResolvedOptions,
  ) {}

  /** `feed` now feeds `streamId` (first publish, or the same feed again after a lost connection). */
  fed(streamId: string, feed: BroadcastFeed, firstTime: boolean): void {
    this.stopTimer(streamId);
    this.feeds.set(streamId, feed);
    const stream = this.registry.get(streamId);
    if (!stream) return;
    // Resumed here after the stream was fed on another instance meanwhile (issue 13, item 4): fed here again.
    if (!firstTime && stream.source?.feed === feed) return;
    if (stream.status === 'scheduled') this.registry.start(streamId);
    this.registry.attachFeed(streamId, broadcastSource({ id: streamId, title: stream.title, feed }));
    if (firstTime) this.options.logger.info?.(`broadcast "${streamId}" started`, { streamId });
  }

  /** The broadcaster of `streamId` went away without ending: the stream waits for it, then ends. */
  lost(streamId: string): void {
    this.stopTimer(streamId);
    const timer = setTimeout(() => {
      this.graceTimers.delete(streamId);
      const stream = this.registry.get(streamId);
      // The broadcaster came back on another instance (issue 13, item 4): the stream is fed there now.
      if (stream?.source?.feed !== this.feeds.get(streamId)) return;
      this.options.logger.warn(`broadcast "${streamId}" lost its broadcaster; the stream ends`, { streamId });
      if (stream?.status === 'live') this.registry.end(streamId);
    }, BROADCAST_GRACE_MS);
    timer.unref();
    this.graceTimers.set(streamId, timer);
  }

  /** The stream ended or went: no timer, and its feed is forgotten. */
  cancelGrace(streamId: string): void {
    this.stopTimer(streamId);
    this.feeds.delete(streamId);
  }

  private stopTimer(streamId: string): void {
    const timer = this.graceTimers.get(streamId);
    if (timer) clearTimeout(timer);
    this.graceTimers.delete(streamId);
  }

  close(): void {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    this.feeds.clear();
  }
}
