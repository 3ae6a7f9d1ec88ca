import sharp from 'sharp';
import type { Channel } from '../channel/channel';
import { type FfmpegTools, grabThumbnail, type PendingGrab } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import type { ResolvedOptions } from '../options/live-stream-options';

const THUMBNAIL_QUALITY = 75;

/**
 * After a failed grab, how long a video gets no new one: requests meanwhile are answered at once (the previous
 * thumbnail, or 503 with this as `Retry-After`), so a broken ffmpeg costs one spawn per video per interval, not
 * one per request.
 */
export const THUMBNAIL_RETRY_AFTER_MS = 2_000;

/** No thumbnail can be given now (the grab failed, or failed a moment ago); the client may retry later. */
export class ThumbnailUnavailableError extends Error {
  override readonly name = 'ThumbnailUnavailableError';
  constructor(
    readonly videoId: string,
    /** Whole seconds, for `Retry-After`. */
    readonly retryAfterSec: number,
  ) {
    super(`no thumbnail for "${videoId}" now; retry in ${retryAfterSec} s`);
  }
}

/** `close()` was called. */
export class ThumbnailsClosedError extends Error {
  override readonly name = 'ThumbnailsClosedError';
  constructor() {
    super('thumbnails are closed');
  }
}

/** A thumbnail from a channel's newest frame (no ffmpeg run needed while the channel is decoding). */
function encodeThumbnail(frame: RawFrame, width: number): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize({ width: Math.min(width, frame.width) })
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}

interface CachedThumbnail {
  jpeg: Buffer;
  /** Until then it is fresh; after, it is still served while a new one is made. */
  freshUntil: number;
}

/**
 * Thumbnails at the live position: cut from the channel's newest frame while it decodes, else grabbed by a
 * one-shot ffmpeg run. Under load, nothing multiplies:
 * - one grab at a time per video: concurrent requests share it;
 * - a thumbnail is fresh for `thumbnailMaxAgeMs`; after that it is still served, at once, while one new grab
 *   replaces it (stale-while-revalidate), and it stays served if that grab fails;
 * - after a failure, no new grab for `THUMBNAIL_RETRY_AFTER_MS`: a request with nothing to serve gets a
 *   `ThumbnailUnavailableError` (the route answers 503 with `Retry-After`).
 * With `thumbnailMaxAgeMs` 0 nothing is kept: every request shares the running grab or starts one.
 */
export class Thumbnails {
  private readonly cache = new Map<string, CachedThumbnail>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  /** Video id → when a new grab may start after a failure. */
  private readonly failedUntil = new Map<string, number>();
  private readonly grabs = new Set<PendingGrab>();
  private closed = false;

  constructor(
    private readonly tools: FfmpegTools,
    private readonly options: ResolvedOptions,
  ) {}

  /**
   * The thumbnail of `channel`. Rejects with `ThumbnailUnavailableError` when there is none to give (the error
   * is already logged), `ThumbnailsClosedError` after `close()`.
   */
  get(channel: Channel): Promise<Buffer> {
    if (this.closed) return Promise.reject(new ThumbnailsClosedError());
    const now = Date.now();
    const cached = this.cache.get(channel.id);
    if (cached && cached.freshUntil > now) return Promise.resolve(cached.jpeg);
    const coolingUntil = this.failedUntil.get(channel.id) ?? 0;
    if (coolingUntil > now) {
      if (cached) return Promise.resolve(cached.jpeg);
      return Promise.reject(new ThumbnailUnavailableError(channel.id, secondsUntil(coolingUntil, now)));
    }
    const made = this.pending.get(channel.id) ?? this.refresh(channel);
    if (!cached) return made;
    // Served now; the refresh (and whatever it gives or fails with) is left to run.
    made.catch(() => {});
    return Promise.resolve(cached.jpeg);
  }

  /**
   * The stream `id` was removed: what was kept of it goes, so a new stream given the same id never shows the old
   * picture. A grab still running finishes for those who wait on it.
   */
  forget(id: string): void {
    this.cache.delete(id);
    this.failedUntil.delete(id);
  }

  /** Cancels running grabs and waits until their processes are gone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const grab of this.grabs) grab.cancel();
    await Promise.allSettled([...this.pending.values()]);
    this.cache.clear();
    this.failedUntil.clear();
  }

  /** Starts the one grab of `channel`; every request until it settles shares it. */
  private refresh(channel: Channel): Promise<Buffer> {
    // A synchronous throw (sharp refusing a frame) becomes a rejection like any other failure.
    const made = new Promise<Buffer>((resolve) => resolve(this.produce(channel))).then(
      (jpeg) => {
        this.failedUntil.delete(channel.id);
        const maxAgeMs = this.options.thumbnailMaxAgeMs;
        if (maxAgeMs > 0 && !this.closed) {
          this.cache.set(channel.id, { jpeg, freshUntil: Date.now() + maxAgeMs });
        }
        return jpeg;
      },
      (error: unknown) => {
        if (this.closed) throw new ThumbnailsClosedError();
        const until = Date.now() + THUMBNAIL_RETRY_AFTER_MS;
        this.failedUntil.set(channel.id, until);
        this.options.logger.warn(`thumbnail of "${channel.id}" failed`, { videoId: channel.id, error });
        throw new ThumbnailUnavailableError(channel.id, secondsUntil(until, Date.now()));
      },
    );
    const shared = made.finally(() => this.pending.delete(channel.id));
    this.pending.set(channel.id, shared);
    return shared;
  }

  private produce(channel: Channel): Promise<Buffer> {
    const frame = channel.newestFrame();
    if (frame) return encodeThumbnail(frame, this.options.thumbnailWidth);
    const grab = grabThumbnail(
      this.tools,
      channel.source,
      channel.seekAt(channel.now()),
      this.options.thumbnailWidth,
      this.options.probeTimeoutMs,
    );
    this.grabs.add(grab);
    return grab.result.finally(() => this.grabs.delete(grab));
  }
}

function secondsUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
