import type { Writable } from 'node:stream';
import type { FeedReader } from '../source/live-feed';

/** A unit the feed hands its readers: bytes, and whether a reader that skipped may start again there. */
export interface FeedUnit {
  bytes: Buffer;
  keyframe: boolean;
  /** Media time of the unit, ms, when the container gives one. */
  timeMs?: number;
}

/** How far behind the feed a reader may fall, in bytes and in media time, before it jumps to the next keyframe. */
export interface ReaderBounds {
  maxBacklogBytes: number;
  /**
   * Media time between the oldest unit waiting and the newest. Bytes alone allowed 30 s behind live on a
   * 1 Mbit/s broadcast whose decoder could not keep up (4 MiB); time bounds the lag whatever the bitrate. It
   * applies once the reader has caught up a first time: its start (the cached GOP, written at once, and a child
   * process still starting) is bounded by bytes only.
   */
  maxBacklogMs: number;
}

/**
 * One reader of a broadcast feed, writing into its destination (a decoder's stdin) at the destination's pace.
 * What the destination has not taken waits here, bounded by `maxBacklogBytes`: past that the reader is too slow
 * for live, so the backlog is dropped and the reader waits for the next keyframe (it jumps to live instead of
 * falling further behind, and never holds more than the bound). Whole units only, so the container stays
 * well-formed across a jump.
 */
export class BroadcastFeedReader implements FeedReader {
  private backlog: { bytes: Buffer; timeMs: number | undefined }[] = [];
  private backlogBytes = 0;
  /**
   * The destination has drained everything once: its reader has started reading (a spawned ffmpeg takes a while
   * to), so from now on falling behind in media time is its own slowness.
   */
  private caughtUp = false;
  private blocked = false;
  private waitingForKeyframe: boolean;
  private ending = false;
  private closed = false;
  /** Times the reader fell `maxBacklogBytes` behind and jumped to the next keyframe. */
  skips = 0;

  constructor(
    private readonly destination: Writable,
    readonly skipMs: number,
    private readonly bounds: ReaderBounds,
    startsAtKeyframe: boolean,
    private readonly onClose: (reader: BroadcastFeedReader) => void,
  ) {
    this.waitingForKeyframe = !startsAtKeyframe;
    const gone = () => this.close();
    destination.once('close', gone);
    destination.once('error', gone);
    destination.once('finish', gone);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes waiting for the destination. */
  get pendingBytes(): number {
    return this.backlogBytes;
  }

  /** Init bytes: always written (a reader without them can decode nothing). */
  sendInit(bytes: Buffer): void {
    this.write(bytes);
  }

  send(unit: FeedUnit): void {
    if (this.closed || this.ending) return;
    if (this.waitingForKeyframe) {
      if (!unit.keyframe) return;
      this.waitingForKeyframe = false;
    }
    if (this.blocked && this.tooFarBehind(unit)) {
      this.backlog = [];
      this.backlogBytes = 0;
      this.skips++;
      this.waitingForKeyframe = !unit.keyframe;
      if (this.waitingForKeyframe) return;
    }
    this.write(unit.bytes, unit.timeMs);
  }

  private tooFarBehind(unit: FeedUnit): boolean {
    const { maxBacklogBytes, maxBacklogMs } = this.bounds;
    if (this.backlogBytes + unit.bytes.length > maxBacklogBytes) return true;
    const oldest = this.backlog.find((waiting) => waiting.timeMs !== undefined)?.timeMs;
    if (!this.caughtUp || oldest === undefined || unit.timeMs === undefined) return false;
    return unit.timeMs - oldest > maxBacklogMs;
  }

  /** Ends the destination once what is waiting has been written. */
  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    if (!this.blocked) this.finish();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.backlog = [];
    this.backlogBytes = 0;
    this.onClose(this);
  }

  private write(bytes: Buffer, timeMs?: number): void {
    if (this.closed) return;
    if (this.blocked) {
      this.backlog.push({ bytes, timeMs });
      this.backlogBytes += bytes.length;
      return;
    }
    if (!this.destination.write(bytes)) {
      this.blocked = true;
      this.destination.once('drain', () => this.drain());
    }
  }

  private drain(): void {
    this.blocked = false;
    while (!this.closed && !this.blocked && this.backlog.length > 0) {
      const { bytes, timeMs } = this.backlog.shift() as { bytes: Buffer; timeMs: number | undefined };
      this.backlogBytes -= bytes.length;
      this.write(bytes, timeMs);
    }
    if (this.backlog.length === 0 && !this.blocked) this.caughtUp = true;
    if (this.ending && !this.blocked) this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.destination.end();
    this.close();
  }
}
