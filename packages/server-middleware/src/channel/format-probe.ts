import { type FfmpegTools, type PendingProbe, type ProbeResult, probeAsync } from '../ffmpeg';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { VideoSource } from '../source/video-source';
import { type ChannelFormat, channelFormat } from './output-format';

/**
 * A channel's output format. Files arrive probed (synchronously, at start-up); other inputs are probed here in
 * the background, once however many callers wait, and the probe can be cancelled when the channel stops.
 */
export class FormatProbe {
  private known: ChannelFormat | null;
  private running: { probe: PendingProbe; format: Promise<ChannelFormat> } | null = null;

  constructor(
    private readonly tools: FfmpegTools,
    private readonly source: VideoSource,
    private readonly options: ResolvedOptions,
    probed: ProbeResult | null,
    /** Called once, when a background probe makes the format known. */
    private readonly onKnown: (format: ChannelFormat) => void,
    private readonly probe: typeof probeAsync = probeAsync,
  ) {
    this.known = probed ? this.formatOf(probed) : null;
  }

  /** Null until known. */
  get format(): ChannelFormat | null {
    return this.known;
  }

  ensure(): Promise<ChannelFormat> {
    if (this.known) return Promise.resolve(this.known);
    if (this.running) return this.running.format;
    const probe = this.probe(this.tools, this.source, this.options.probeTimeoutMs);
    const settle = () => {
      if (this.running?.probe === probe) this.running = null;
    };
    const format = probe.result.then(
      (result) => {
        settle();
        if (!this.known) {
          this.known = this.formatOf(result);
          this.onKnown(this.known);
        }
        return this.known;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.running = { probe, format };
    return format;
  }

  /** Kills a running ffprobe; its waiters see a rejection. */
  cancel(): void {
    this.running?.probe.cancel();
    this.running = null;
  }

  private formatOf(result: ProbeResult): ChannelFormat {
    return channelFormat(result, this.source.kind, this.options.maxFps, this.options.maxHeight);
  }
}
