import { describeExit, type FfmpegTools, type ProbeResult } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import type { JpegEncoder } from '../ladder/jpeg-encoder';
import { RestartBackoff } from '../lifecycle/restart-backoff';
import type { ResolvedOptions } from '../options';
import type { VideoSource } from '../source/video-source';
import type { ChannelState, ChannelStats } from '../stats';
import { planFileStart, positionAt } from '../timeline/epoch-timeline';
import type { AudioChunk } from './audio-chunker';
import { ChannelAudience, type ChannelViewer } from './channel-audience';
import { DecoderRun } from './decoder-run';
import { FormatProbe } from './format-probe';
import type { ChannelFormat } from './output-format';

export type { ChannelViewer };

export interface ChannelDeps {
  tools: FfmpegTools;
  options: ResolvedOptions;
  encode: JpegEncoder;
}

// A decoder that has delivered frames this long is healthy again: its next failure restarts at the first delay.
const HEALTHY_AFTER_MS = 10_000;

/**
 * One video on air: ONE decoder however many viewers, started by the first viewer (or at once when `eager`),
 * stopped `idleTimeoutMs` after the last one leaves, restarted with backoff when it dies.
 */
export class Channel {
  private readonly formatProbe: FormatProbe;
  private stateValue: ChannelState = 'idle';
  private readonly audience: ChannelAudience;
  private readonly backoff: RestartBackoff;
  private run: DecoderRun | null = null;
  private readonly stopping = new Set<Promise<void>>();
  private runStartedAt = 0;
  private startAttempt = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private recovering = false;
  private framesIn = 0;
  private audioChunksIn = 0;
  private restarts = 0;
  private lastLagMs: number | null = null;

  constructor(
    readonly source: VideoSource,
    probe: ProbeResult | null,
    private readonly deps: ChannelDeps,
  ) {
    const { options } = deps;
    this.formatProbe = new FormatProbe(deps.tools, source, options, probe, () => {
      for (const viewer of this.audience.viewers()) viewer.channelReady();
    });
    this.backoff = new RestartBackoff(options.restartDelayMs, options.maxRestartDelayMs);
    this.audience = new ChannelAudience({
      qualities: options.ladder,
      encode: deps.encode,
      maxEncodesInFlight: options.maxEncodesInFlight,
      onEncodeError: (error) =>
        options.logger.error(`JPEG encode failed on channel "${source.id}"`, { error }),
    });
  }

  get id(): string {
    return this.source.id;
  }

  /** Null until a background probe has read the input. */
  get format(): ChannelFormat | null {
    return this.formatProbe.format;
  }

  get state(): ChannelState {
    return this.stateValue;
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
        if (this.stateValue !== 'closed') {
          this.deps.options.logger.warn(`probing "${this.id}" failed: ${error.message}`, {
            videoId: this.id,
          });
        }
      });
    }
    this.reconcile();
  }

  join(viewer: ChannelViewer, rung: number): void {
    if (this.stateValue === 'closed') return;
    this.audience.join(viewer, rung);
    this.reconcile();
  }

  setRung(viewer: ChannelViewer, rung: number): void {
    this.audience.setRung(viewer, rung);
  }

  leave(viewer: ChannelViewer): void {
    if (this.audience.leave(viewer)) this.reconcile();
  }

  stats(): ChannelStats {
    const rungs = this.audience.rungStats();
    const activeRungs = this.audience.activeRungs();
    return {
      id: this.id,
      state: this.stateValue,
      viewers: this.audience.size,
      activeRungs,
      encoders: activeRungs.length,
      encodesInFlight: rungs.reduce((sum, rung) => sum + rung.inFlight, 0),
      framesIn: this.framesIn,
      audioChunksIn: this.audioChunksIn,
      restarts: this.restarts,
      lagMs: this.run?.lagMs ?? this.lastLagMs,
      decoder: { pid: this.run?.process.pid ?? null, running: this.run?.process.isRunning ?? false },
      rungs,
    };
  }

  /** Ends the decoder and any probe, clears every timer; the channel never starts again. */
  async close(): Promise<void> {
    this.stateValue = 'closed';
    for (const viewer of this.audience.viewers()) this.leave(viewer);
    await this.halt();
    // Decoders an idle stop was still ending.
    await Promise.all(this.stopping);
  }

  private reconcile(): void {
    if (this.stateValue === 'closed') return;
    const wanted = this.audience.size > 0 || this.deps.options.eager;
    if (wanted) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      if (this.stateValue === 'idle') this.start();
    } else if (this.stateValue !== 'idle' && this.idleTimer === null) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        // Idle at once, not when ffmpeg has exited: a viewer arriving meanwhile starts a fresh decoder.
        this.stateValue = 'idle';
        void this.halt();
      }, this.deps.options.idleTimeoutMs);
    }
  }

  private start(): void {
    const known = this.format;
    if (known) {
      this.spawn(known);
      return;
    }
    this.stateValue = 'probing';
    const attempt = ++this.startAttempt;
    const current = () => this.stateValue === 'probing' && attempt === this.startAttempt;
    this.formatProbe.ensure().then(
      (format) => {
        if (current()) this.spawn(format);
      },
      (error: Error) => {
        if (current()) this.fail(`probe failed: ${error.message}`, '');
      },
    );
  }

  private spawn(format: ChannelFormat): void {
    const time = this.now();
    const plan =
      this.source.kind === 'file'
        ? planFileStart(time, format.durationSec)
        : { seekSec: null, firstFrameTime: time };
    this.stateValue = 'starting';
    this.runStartedAt = Date.now();
    const run: DecoderRun = new DecoderRun(
      {
        ffmpegPath: this.deps.tools.ffmpeg,
        source: this.source,
        format,
        seekSec: plan.seekSec,
        firstFrameTime: plan.firstFrameTime,
        audioChunkMs: this.deps.options.audioChunkMs,
        now: () => this.now(),
      },
      {
        onFrame: (frame) => this.frameArrived(frame),
        onAudio: (chunk) => this.audioArrived(chunk),
        onExit: (exit, requested, stderr) => {
          if (this.run !== run) return;
          this.lastLagMs = run.lagMs;
          this.run = null;
          if (!requested && this.stateValue !== 'closed') this.fail(describeExit(exit), stderr);
        },
      },
    );
    this.run = run;
  }

  private frameArrived(frame: RawFrame): void {
    if (this.stateValue === 'starting') {
      this.stateValue = 'running';
      if (this.recovering) {
        this.recovering = false;
        for (const viewer of this.audience.viewers()) viewer.channelReady();
      }
    }
    if (Date.now() - this.runStartedAt > HEALTHY_AFTER_MS) this.backoff.reset();
    this.framesIn++;
    this.audience.pushFrame(frame);
  }

  private audioArrived(chunk: AudioChunk): void {
    this.audioChunksIn++;
    this.audience.pushAudio(chunk);
  }

  private fail(reason: string, stderr: string): void {
    this.restarts++;
    this.recovering = true;
    this.audience.forgetFrames();
    const delay = this.backoff.next();
    this.deps.options.logger.warn(`channel "${this.id}" failed, restarting in ${delay} ms: ${reason}`, {
      videoId: this.id,
      stderr,
    });
    for (const viewer of this.audience.viewers()) viewer.channelFailed(reason);
    this.stateValue = 'backoff';
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stateValue !== 'backoff') return;
      if (this.audience.size > 0 || this.deps.options.eager) this.start();
      else this.stateValue = 'idle';
    }, delay);
  }

  /** Stops whatever runs (decoder, probe, timers) and forgets the frames of the run. */
  private async halt(): Promise<void> {
    for (const timer of [this.idleTimer, this.restartTimer]) if (timer) clearTimeout(timer);
    this.idleTimer = null;
    this.restartTimer = null;
    this.startAttempt++;
    this.formatProbe.cancel();
    const run = this.run;
    this.run = null;
    this.recovering = false;
    this.audience.forgetFrames();
    if (run) {
      this.lastLagMs = run.lagMs;
      const stopped = run.stop();
      this.stopping.add(stopped);
      await stopped;
      this.stopping.delete(stopped);
    }
  }
}
