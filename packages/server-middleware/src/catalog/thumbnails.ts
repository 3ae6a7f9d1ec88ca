import sharp from 'sharp';
import type { Channel } from '../channel/channel';
import { type FfmpegTools, grabThumbnail, type PendingGrab } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import type { ResolvedOptions } from '../options/live-stream-options';

const THUMBNAIL_QUALITY = 75;

/** A thumbnail from a channel's newest frame (no ffmpeg run needed while the channel is decoding). */
function encodeThumbnail(frame: RawFrame, width: number): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize({ width: Math.min(width, frame.width) })
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}

interface CachedThumbnail {
  jpeg: Buffer;
  expiresAt: number;
}

/**
 * Thumbnails at the live position: cut from the channel's newest frame while it decodes, else grabbed by a
 * one-shot ffmpeg run. Kept `thumbnailMaxAgeMs`, and concurrent requests for one video share one grab, so a
 * page of pickers cannot start a crowd of ffmpeg processes.
 */
export class Thumbnails {
  private readonly cache = new Map<string, CachedThumbnail>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  private readonly grabs = new Set<PendingGrab>();
  private closed = false;

  constructor(
    private readonly tools: FfmpegTools,
    private readonly options: ResolvedOptions,
  ) {}

  get(channel: Channel): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('thumbnails are closed'));
    const cached = this.cache.get(channel.id);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.jpeg);
    const running = this.pending.get(channel.id);
    if (running) return running;
    const produced = this.produce(channel)
      .then((jpeg) => {
        if (this.options.thumbnailMaxAgeMs > 0 && !this.closed) {
          this.cache.set(channel.id, { jpeg, expiresAt: Date.now() + this.options.thumbnailMaxAgeMs });
        }
        return jpeg;
      })
      .finally(() => this.pending.delete(channel.id));
    this.pending.set(channel.id, produced);
    return produced;
  }

  /** Cancels running grabs and waits until their processes are gone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const grab of this.grabs) grab.cancel();
    await Promise.allSettled([...this.pending.values()]);
    this.cache.clear();
  }

  private produce(channel: Channel): Promise<Buffer> {
    const frame = channel.newestFrame();
    if (frame) return encodeThumbnail(frame, this.options.thumbnailWidth);
    const position = channel.positionAt(channel.now());
    const grab = grabThumbnail(
      this.tools,
      channel.source,
      position,
      this.options.thumbnailWidth,
      this.options.probeTimeoutMs,
    );
    this.grabs.add(grab);
    return grab.result.finally(() => this.grabs.delete(grab));
  }
}
