import { performance } from 'node:perf_hooks';
import type { AudioCodec } from '@onair/protocol';
import { OpusTrack } from '../audio/opus-track';
import type { FfmpegTools, ProbeResult, probeAsync } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import type { JpegEncoder } from '../ladder/jpeg-encoder';
import type { ChannelRung } from '../ladder/rung-plan';
import { OnDemandRun, type RunReport } from '../lifecycle/on-demand-run';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isRealTime, type VideoSource } from '../source/video-source';
import type { ChannelState, ChannelStats } from '../stats';
import { planFileStart, positionAt } from '../timeline/epoch-timeline';
import { AdaptiveDecoder, type Decoder } from './adaptive-decoder';
import type { AudioChunk } from './audio-chunker';
import { ChannelAudience, type ChannelViewer } from './channel-audience';
import { DecoderRun, type DecoderRunConfig, type DecoderRunHandlers } from './decoder-run';
import type { WriteWaitSampler } from './decoder-write-wait';
import { FormatProbe } from './format-probe';
import type { ChannelFormat } from './output-format';
import { outputLevels } from './output-levels';

export type { ChannelViewer };

/** What a channel uses of its decoder. */
type ChannelDecoder = Pick<AdaptiveDecoder, 'process' | 'stop' | 'stats' | 'encodeShed'>;

/**
 * A JPEG that finishes encoding this long after its frame's time is not sent: it would reach viewers late and
 * the next frame is already on its way. Counted in `stats().encodesShed`.
 */
export const LATE_ENCODE_MS = 250;

/**
 * An encode that by itself took this long (not counting the wait before it started), on an event loop mostly idle
 * meanwhile, was starved of CPU: its late finish counts against the channel's output level
 * (`AdaptiveDecoder.encodeShed`). Encodes that finished late otherwise waited for a busy event loop (hundreds of
 * viewers to send to), which a lower level does not help.
 */
export const SLOW_ENCODE_MS = LATE_ENCODE_MS / 2;

/** Thrown by the channel's encode wrapper for an encode that finished late: the ladder drops it as failed. */
class LateEncode extends Error {
  constructor(
    readonly encodeMs: number,
    /** Share of the encode's time the event loop was busy: a busy loop may have held its result back. */
    readonly loopBusy: number,
  ) {
    super('late encode');
  }
}

export interface ChannelDeps {
  tools: FfmpegTools;
  options: ResolvedOptions;
  encode: JpegEncoder;
  /** Starts one decoder run (a channel restarts runs to change its output level). Default: an ffmpeg `DecoderRun`; tests hand in a fake. */
  startDecoder?: (config: DecoderRunConfig, handlers: DecoderRunHandlers) => Decoder;
  /** Probes an input that was not probed at start-up. Default: ffprobe (`probeAsync`); tests hand in a fake. */
  probe?: typeof probeAsync;
  /** Samples whether a decoder process is blocked writing to us. Default: Linux's `/proc`; tests hand in a fake. */
  decoderWriteWait?: WriteWaitSampler;
  /**
   * Starts a measure of the event loop; what it returns gives the share of the time since that the loop was busy.
   * Default: `performance.eventLoopUtilization`; tests hand in a fake (fake timers run on a busy loop).
   */
  measureLoop?: () => () => number;
}

const measureEventLoop = (): (() => number) => {
  const start = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(start).utilization;
};

/** An encode that finished late while the event loop was busy this share of the time may have waited for it. */
const BUSY_LOOP_SHARE = 0.5;

const startDecoderRun = (config: DecoderRunConfig, handlers: DecoderRunHandlers): Decoder =>
  new DecoderRun(config, handlers);

/**
 * One video on air: ONE decoder however many viewers, started by the first viewer (or at once when `eager`),
 * stopped `idleTimeoutMs` after the last one leaves, restarted with backoff when it dies (`OnDemandRun` does all
 * of that). The channel adds what is its own: the input's format, and the frames with the audience they go to.
 */
export class Channel {
  private readonly formatProbe: FormatProbe;
  private readonly audience: ChannelAudience;
  private readonly opus: OpusTrack;
  private readonly decoder: OnDemandRun<ChannelFormat, ChannelDecoder>;
  private framesIn = 0;
  private audioChunksIn = 0;
  private encodesShed = 0;
  /** Frames shed by decoders that have ended. */
  private framesShed = 0;

  constructor(
    readonly source: VideoSource,
    probe: ProbeResult | null,
    private readonly deps: ChannelDeps,
  ) {
    const { options } = deps;
    // Viewers that joined before a background probe finished get their stream now.
    const formatKnown = () => this.tellViewersReady();
    this.formatProbe = new FormatProbe(deps.tools, source, options, probe, formatKnown, deps.probe);
    this.opus = new OpusTrack({ ffmpegPath: deps.tools.ffmpeg, options, videoId: source.id });
    this.audience = new ChannelAudience({
      rungs: options.ladder,
      encode: (frame, quality) => this.encodeOnTime(frame, quality),
      maxEncodesInFlight: options.maxEncodesInFlight,
      onEncodeError: (error) => {
        if (error instanceof LateEncode) {
          this.encodesShed++;
          if (error.encodeMs >= SLOW_ENCODE_MS && error.loopBusy < BUSY_LOOP_SHARE)
            this.decoder.run?.encodeShed(error.encodeMs / options.maxEncodesInFlight);
        } else options.logger.error(`JPEG encode failed on channel "${source.id}"`, { error });
      },
      opus: this.opus,
    });
    this.decoder = new OnDemandRun(
      {
        ...options,
        label: `channel "${source.id}"`,
        videoId: source.id,
        idleTimeoutMs: options.idleTimeoutMs,
      },
      {
        held: () => this.audience.size > 0 || options.eager,
        prepare: () => this.format ?? this.probeFormat(),
        spawn: (format, report) => this.spawn(format, report),
        halt: (run) => this.halt(run),
        failed: (reason) => this.failed(reason),
        // Every viewer was told ONAIR_CHANNEL_FAILED: their stream starts over.
        recovered: () => this.tellViewersReady(),
      },
    );
  }

  get id(): string {
    return this.source.id;
  }

  /** Null until a background probe has read the input. */
  get format(): ChannelFormat | null {
    return this.formatProbe.format;
  }

  get state(): ChannelState {
    const state = this.decoder.state;
    return state === 'starting' && this.format === null ? 'probing' : state;
  }

  get viewerCount(): number {
    return this.audience.size;
  }

  /** The output format, probing the input first if that has not been done (HLS waits on it). */
  ensureFormat(): Promise<ChannelFormat> {
    return this.formatProbe.ensure();
  }

  /** The channel clock now: ms since the epoch. */
  now(): number {
    return Date.now() - this.deps.options.epochMs;
  }

  /** Seconds into the file at channel time `time`; null for inputs without an end. */
  positionAt(time: number): number | null {
    const duration = this.format?.durationSec ?? null;
    return duration === null ? null : positionAt(time, duration);
  }

  /**
   * Where a fresh read of the file seeks to show channel time `time`, as a decoder starting then would; null:
   * from its first frame (an input without an end, or `time` within a frame or two of either end of the file,
   * where a seek past the last frame would give no picture at all).
   */
  seekAt(time: number): number | null {
    return planFileStart(time, this.format?.durationSec ?? null).seekSec;
  }

  /** This channel's ladder (sizes × qualities, lowest bitrate first); null until its format is known. */
  get rungs(): readonly ChannelRung[] | null {
    const format = this.format;
    return format ? this.audience.configure(format) : null;
  }

  /** Bitrate estimates of the rungs, kbit/s at the channel's frame rate (measured where encoded). */
  rungKbps(): number[] {
    return this.audience.rungKbps();
  }

  /** The newest raw frame while decoding (thumbnails are cut from it). */
  newestFrame(): RawFrame | null {
    return this.audience.newestFrame();
  }

  /**
   * Called once at start-up: starts an `eager` channel, and probes inputs that were not probed synchronously so
   * the catalog soon shows their size.
   */
  wake(): void {
    if (!this.format) {
      this.formatProbe.ensure().catch((error: Error) => {
        if (this.decoder.state !== 'closed') {
          this.deps.options.logger.warn(`probing "${this.id}" failed: ${error.message}`, {
            videoId: this.id,
          });
        }
      });
    }
    if (this.deps.options.eager) this.decoder.want('eager');
  }

  /** `audioCodec`: what the viewer's hello negotiated; Opus starts the channel's Opus encoder. */
  join(viewer: ChannelViewer, rung: number, audioCodec: AudioCodec = 'pcm'): void {
    if (this.decoder.state === 'closed') return;
    this.audience.join(viewer, rung, audioCodec);
    this.decoder.want('a viewer joined');
  }

  /** Whether `rung` is being encoded now (somebody watches it). */
  encodes(rung: number): boolean {
    return this.audience.encodes(rung);
  }

  setRung(viewer: ChannelViewer, rung: number): void {
    this.audience.setRung(viewer, rung);
  }

  leave(viewer: ChannelViewer): void {
    if (this.audience.leave(viewer)) this.decoder.keepAlive();
  }

  stats(): ChannelStats {
    const rungs = this.audience.rungStats();
    const activeRungs = this.audience.activeRungs();
    const run = this.decoder.run;
    const decoding = run?.stats() ?? null;
    return {
      id: this.id,
      state: this.state,
      viewers: this.audience.size,
      activeRungs,
      encoders: activeRungs.length,
      encodesInFlight: rungs.reduce((sum, rung) => sum + rung.inFlight, 0),
      framesIn: this.framesIn,
      audioChunksIn: this.audioChunksIn,
      restarts: this.decoder.restarts,
      lagMs: decoding?.lagMs ?? null,
      behind: decoding?.behind ?? false,
      behindCause: decoding?.behindCause ?? null,
      decoderSpeed: decoding?.decoderSpeed ?? null,
      framesShed: this.framesShed + (decoding?.framesShed ?? 0),
      encodesShed: this.encodesShed,
      output: decoding ? { level: decoding.level, ...decoding.output, changes: decoding.levelChanges } : null,
      decoder: { pid: run?.process.pid ?? null, running: run?.process.isRunning ?? false },
      opus: this.opus.stats(),
      rungs,
    };
  }

  /** Ends the decoder and any probe, clears every timer; the channel never starts again. */
  async close(): Promise<void> {
    for (const viewer of this.audience.viewers()) this.audience.leave(viewer);
    await Promise.all([this.decoder.close(), this.opus.close()]);
  }

  private probeFormat(): Promise<ChannelFormat> {
    return this.formatProbe.ensure().catch((error: Error) => {
      throw new Error(`probe failed: ${error.message}`);
    });
  }

  private spawn(format: ChannelFormat, report: RunReport): ChannelDecoder {
    this.audience.configure(format);
    const { options, tools } = this.deps;
    return new AdaptiveDecoder(
      {
        ffmpegPath: tools.ffmpeg,
        source: this.source,
        format,
        levels: outputLevels(format, this.source.kind === 'file'),
        // A live input cannot be restarted at will (a restart reconnects), and is not paced (never shed).
        adaptive: !isRealTime(this.source.kind),
        audioChunkMs: options.audioChunkMs,
        now: () => this.now(),
        startRun: this.deps.startDecoder ?? startDecoderRun,
        writeWait: this.deps.decoderWriteWait,
        onLevel: (level, output, reason) =>
          options.logger.info?.(
            `channel "${this.id}" output ${reason} to level ${level}: ` +
              `${output.width}x${output.height} at ${output.fps} fps`,
            { videoId: this.id },
          ),
      },
      {
        onFrame: (frame) => {
          report.running();
          this.frameArrived(frame);
        },
        onAudio: (chunk) => this.audioArrived(chunk),
        onExit: (exit, requested, stderrTail) => {
          this.keepShedCount(report);
          report.exited(exit, requested, stderrTail);
        },
      },
    );
  }

  /** A run's shed frames stay counted after it ends. */
  private keepShedCount(report: RunReport): void {
    if (report.isCurrent()) this.framesShed += this.decoder.run?.stats().framesShed ?? 0;
  }

  private frameArrived(frame: RawFrame): void {
    this.framesIn++;
    this.audience.pushFrame(frame);
  }

  /** The JPEG encode, dropped (as a `LateEncode` failure) when it finishes too late to go on air. */
  private async encodeOnTime(frame: RawFrame, quality: number): Promise<Buffer> {
    const startedAt = this.now();
    const loopBusy = (this.deps.measureLoop ?? measureEventLoop)();
    const jpeg = await this.deps.encode(frame, quality);
    const now = this.now();
    if (now - frame.timestamp > LATE_ENCODE_MS) throw new LateEncode(now - startedAt, loopBusy());
    return jpeg;
  }

  private audioArrived(chunk: AudioChunk): void {
    this.audioChunksIn++;
    this.audience.pushAudio(chunk);
  }

  /** Viewers (re)start their stream: the format became known, or the decoder is back after a failure. */
  private tellViewersReady(): void {
    for (const viewer of this.audience.viewers()) viewer.channelReady();
  }

  private failed(reason: string): void {
    this.audience.forgetFrames();
    for (const viewer of this.audience.viewers()) viewer.channelFailed(reason);
  }

  /** Stops the decoder and any probe, and forgets the frames of the run: they belong to a timeline that was cut. */
  private async halt(run: ChannelDecoder | null): Promise<void> {
    this.formatProbe.cancel();
    this.framesShed += run?.stats().framesShed ?? 0;
    this.audience.forgetFrames();
    await run?.stop();
  }
}
