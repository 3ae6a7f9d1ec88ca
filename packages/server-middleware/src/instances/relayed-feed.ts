import type { Writable } from 'node:stream';
import type { RelayedFeedSink } from '../hub/broadcast-sharing';
import { type BroadcastContainer, BroadcastFeed } from '../ingest/broadcast-feed';
import type { FeedReader, LiveFeed } from '../source/live-feed';

/**
 * How long a relayed feed keeps reading after its last reader let go: a decoder that restarts, or the probe
 * handing over to the decoder, attaches again within it and finds the init and GOP still here.
 */
export const RELAYED_FEED_LINGER_MS = 3_000;

/**
 * A broadcast ingested on another instance, as a feed of this one (issue 13, item 4): a local `BroadcastFeed`
 * filled from the hub only while something reads it. The first reader (the channel's probe or decoder, an HLS
 * packager) starts the reading, which begins at the relayed stream's live end with its init, so that reader
 * starts at the next keyframe (at most a GOP away: 1 s from the browser broadcaster); later readers find the
 * init and the GOP cache here, as with a local feed. `RELAYED_FEED_LINGER_MS` after the last reader leaves (no
 * viewers: the decoder stopped at its idle timeout), reading stops and the local feed is dropped.
 */
export class RelayedFeed implements LiveFeed {
  private feed: BroadcastFeed | null = null;
  private stopReading: (() => void) | null = null;
  private linger: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    readonly container: BroadcastContainer,
    private readonly read: (sink: RelayedFeedSink) => () => void,
    private readonly lingerMs = RELAYED_FEED_LINGER_MS,
  ) {}

  /** Whether the feed is reading from the hub now. */
  get isReading(): boolean {
    return this.stopReading !== null;
  }

  attach(destination: Writable): FeedReader {
    if (this.linger) clearTimeout(this.linger);
    this.linger = null;
    const reader = this.open().attach(destination);
    destination.once('close', () => this.released());
    return {
      skipMs: reader.skipMs,
      close: () => {
        reader.close();
        this.released();
      },
    };
  }

  /** The stream ended: readers end, reading stops, and any later reader is ended at once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.feed?.end();
    this.stop();
  }

  private open(): BroadcastFeed {
    if (this.feed) return this.feed;
    const feed = new BroadcastFeed({ container: this.container });
    this.feed = feed;
    if (this.ended) {
      feed.end();
      return feed;
    }
    this.stopReading = this.read({
      piece: (piece) => feed.pushPiece(piece),
      restart: () => feed.restart(),
      end: () => feed.end(),
    });
    return feed;
  }

  /** A reader let go: with none left, reading stops after the linger. */
  private released(): void {
    setImmediate(() => {
      if (this.linger || !this.feed || this.feed.stats().readers > 0) return;
      this.linger = setTimeout(() => {
        this.linger = null;
        if (this.feed && this.feed.stats().readers === 0) this.stop();
      }, this.lingerMs);
      this.linger.unref();
    });
  }

  private stop(): void {
    if (this.linger) clearTimeout(this.linger);
    this.linger = null;
    this.stopReading?.();
    this.stopReading = null;
    if (!this.ended) this.feed = null;
  }
}
