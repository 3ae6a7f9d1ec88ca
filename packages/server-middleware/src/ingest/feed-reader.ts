import type { Writable } from 'node:stream';
import type { FeedReader } from '../source/live-feed';

/** A unit the feed hands its readers: bytes, and whether a reader that skipped may start again there. */
export interface FeedUnit {
  bytes: Buffer;
  keyframe: boolean;
}

/**
 * One reader of a broadcast feed, writing into its destination (a decoder's stdin) at the destination's pace.
 * What the destination has not taken waits here, bounded by `maxBacklogBytes`: past that the reader is too slow
 * for live, so the backlog is dropped and the reader waits for the next keyframe (it jumps to live instead of
 * falling further behind, and never holds more than the bound). Whole units only, so the container stays
 * well-formed across a jump.
 */
export class BroadcastFeedReader implements FeedReader {
  private backlog: Buffer[] = [];
  private backlogBytes = 0;
  private blocked = false;
  private waitingForKeyframe: boolean;
  private ending = false;
  private closed = false;
  /** Times the reader fell `maxBacklogBytes` behind and jumped to the next keyframe. */
  skips = 0;

  constructor(
    private readonly destination: Writable,
    readonly skipMs: number,
    private readonly maxBacklogBytes: number,
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
    if (this.blocked && this.backlogBytes + unit.bytes.length > this.maxBacklogBytes) {
      this.backlog = [];
      this.backlogBytes = 0;
      this.skips++;
      this.waitingForKeyframe = !unit.keyframe;
      if (this.waitingForKeyframe) return;
    }
    this.write(unit.bytes);
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

  private write(bytes: Buffer): void {
    if (this.closed) return;
    if (this.blocked) {
      this.backlog.push(bytes);
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
      const bytes = this.backlog.shift() as Buffer;
      this.backlogBytes -= bytes.length;
      this.write(bytes);
    }
    if (this.ending && !this.blocked) this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.destination.end();
    this.close();
  }
}
