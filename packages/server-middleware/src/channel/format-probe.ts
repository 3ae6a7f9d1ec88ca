import { type FfmpegTools, type PendingProbe, type ProbeResult, probeAsync } from '../ffmpeg';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { VideoSource } from '../source/video-source';
import { type ChannelFormat, channelFormat, overPixelRate } from './output-format';

/** A source over `maxPixelRate` under `overPixelRate: 'refuse'`; at start-up the message names the input. */
export class PixelRateRefused extends Error {
  override name = 'PixelRateRefused';
}

/** A source over `maxPixelRate` under `overPixelRate: 'refuse'`: the refusal (naming no input), else null. */
function pixelRateRefusal(result: ProbeResult, kind: VideoSource['kind'], options: ResolvedOptions) {
  const over = overPixelRate(result, kind, options);
  if (over === null || options.overPixelRate !== 'refuse') return null;
  // Viewers read this in ONAIR_CHANNEL_FAILED: no input (a URL may hold credentials); the log names the channel.
  return new PixelRateRefused(`${over}, and overPixelRate is "refuse"`);
}

/** The refusal `liveStream()` throws for a file probed at start-up, naming it, as for a missing file. */
function startupRefusal(source: VideoSource, error: PixelRateRefused): PixelRateRefused {
  return new PixelRateRefused(`liveStream: ${source.label}: ${error.message} (${source.input})`);
}

/** Throws at start-up for a file `FormatProbe` would refuse, before any channel exists. */
export function assertServableAtStartup(
  source: VideoSource,
  probed: ProbeResult,
  options: ResolvedOptions,
): void {
  const refusal = pixelRateRefusal(probed, source.kind, options);
  if (refusal) throw startupRefusal(source, refusal);
}

/**
 * A channel's output format. Files arrive probed (synchronously, at start-up); other inputs are probed here in
 * the background, once however many callers wait, and the probe can be cancelled when the channel stops.
 * A source over `maxPixelRate` is refused here (the constructor throws for a file probed at start-up; `ensure()`
 * rejects for the others) or scaled down with a warning, so the catalog and the decoder see the same size.
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
    this.known = probed ? this.startupFormat(probed) : null;
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

  /** Inside `liveStream()`: a refusal is its error, as a missing file's is. */
  private startupFormat(probed: ProbeResult): ChannelFormat {
    try {
      return this.formatOf(probed);
    } catch (error) {
      throw error instanceof PixelRateRefused ? startupRefusal(this.source, error) : error;
    }
  }

  private formatOf(result: ProbeResult): ChannelFormat {
    const { source, options } = this;
    const refusal = pixelRateRefusal(result, source.kind, options);
    if (refusal) throw refusal;
    const over = overPixelRate(result, source.kind, options);
    const format = channelFormat(result, source.kind, options);
    if (result.statedDurationSec !== undefined && format.durationSec !== null) {
      options.logger.warn(
        `${source.label}: its data ends at ${format.durationSec} s, before the ${result.statedDurationSec} s ` +
          `its header states (a file cut short?); looping at ${format.durationSec} s (${source.input})`,
        { videoId: source.id },
      );
    }
    if (over !== null) {
      options.logger.warn(
        `${source.label}: ${over}; served at ${format.width}x${format.height} (${source.input})`,
        { videoId: source.id },
      );
    }
    return format;
  }
}
