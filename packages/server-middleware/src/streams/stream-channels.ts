import { Channel } from '../channel/channel';
import type { FfmpegTools, ProbeResult } from '../ffmpeg';
import { HlsPackager } from '../hls/hls-packager';
import { encodeJpeg } from '../ladder/jpeg-encoder';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { VideoSource } from '../source/video-source';

/**
 * The channels on air, and their HLS packagers when HLS is on: the one mutable set every reader shares (the
 * catalog and HLS routes, the viewer sessions, stats, close). Readers hold the maps themselves, so what is
 * added or removed here is what the next request or `select` sees.
 */
export class StreamChannels {
  readonly channels: ReadonlyMap<string, Channel>;
  /** Null when HLS is off. */
  readonly packagers: ReadonlyMap<string, HlsPackager> | null;
  private readonly channelMap = new Map<string, Channel>();
  private readonly packagerMap: Map<string, HlsPackager> | null;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly tools: FfmpegTools,
    private readonly options: ResolvedOptions,
  ) {
    this.channels = this.channelMap;
    this.packagerMap = options.hls ? new Map() : null;
    this.packagers = this.packagerMap;
  }

  /** Puts `source` on air (replacing a channel of the same id, closed first). `probe`: a file probed at start-up. */
  open(source: VideoSource, probe: ProbeResult | null = null): Channel {
    void this.close(source.id);
    const { tools, options } = this;
    const channel = new Channel(source, probe, { tools, options, encode: encodeJpeg });
    this.channelMap.set(source.id, channel);
    if (this.packagerMap && options.hls) {
      const packager = new HlsPackager({
        tools,
        source,
        options,
        hls: options.hls,
        format: () => channel.ensureFormat(),
      });
      this.packagerMap.set(source.id, packager);
    }
    return channel;
  }

  /**
   * Takes the channel off air at once (the next request or `select` no longer finds it) and ends its processes.
   * The viewers on it are to be told before (`stream-status`), as the channel drops them silently.
   */
  close(id: string): Promise<void> {
    const channel = this.channelMap.get(id);
    const packager = this.packagerMap?.get(id);
    this.channelMap.delete(id);
    this.packagerMap?.delete(id);
    if (!channel && !packager) return Promise.resolve();
    const closed = Promise.all([channel?.close(), packager?.close()]).then(() => {});
    this.closing.add(closed);
    const settled = () => void this.closing.delete(closed);
    closed.then(settled, settled);
    return closed;
  }

  /** Every channel and packager closed, those being closed included. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.channelMap.keys()].map((id) => this.close(id)));
    await Promise.all([...this.closing]);
  }
}
