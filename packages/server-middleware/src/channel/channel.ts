import { AUDIO_FORMAT, encodeMediaMessage } from '@onair/protocol';
import type { VideoSource } from '../catalog/video-source';
import { type DecodeExit, type FfmpegTools, type PendingProbe, type ProbeResult, probeAsync } from '../ffmpeg';
import { type EncodedFrame, FrameLadder, type LadderFrame } from '../ladder/frame-ladder';
import type { JpegEncoder } from '../ladder/jpeg-encoder';
import type { ResolvedOptions } from '../options';
import type { ChannelState, ChannelStats } from '../stats';
import type { AudioChunk } from './audio-chunker';
import { DecoderRun, type RawFrame } from './decoder-run';
import { type ChannelFormat, channelFormat } from './output-format';
import { RestartBackoff } from './restart-backoff';
import { planFileStart, positionAt } from './timeline';

/** What a channel needs from a viewer: where its media and lifecycle news go. */
export interface ChannelViewer {
  /** A video message of the viewer's rung. `catchUp` marks the newest frame sent on joining. */
  receiveVideo(frame: EncodedFrame, catchUp: boolean): void;
  receiveAudio(message: Buffer): void;
  /** The format became known (inputs probed in the background) or the decoder is back after a failure. */
  channelReady(): void;
  channelFailed(reason: string): void;
}

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
  private formatValue: ChannelFormat | null;
  private stateValue: ChannelState = 'idle';
  private readonly rungOf = new Map<ChannelViewer, number>();
  private readonly viewersOn: Set<ChannelViewer>[];
  private readonly ladder: FrameLadder;
  private readonly backoff: RestartBackoff;
  private run: DecoderRun | null = null;
  private readonly stopping = new Set<Promise<void>>();
  private runStartedAt = 0;
  private probe: { pending: PendingProbe; format: Promise<ChannelFormat> } | null = null;
  private startAttempt = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private newest: LadderFrame | null = null;
  private recovering = false;
  private videoSequence = 0;
  private audioSequence = 0;
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
    this.formatValue = probe ? channelFormat(probe, source.kind, options.maxFps, options.maxHeight) : null;
    this.viewersOn = options.ladder.map(() => new Set());
    this.backoff = new RestartBackoff(options.restartDelayMs, options.maxRestartDelayMs);
    this.ladder = new FrameLadder({
      qualities: options.ladder,
      encode: deps.encode,
      maxInFlight: options.maxEncodesInFlight,
      deliver: (rung, frame, catchUp) => {
        for (const viewer of this.viewersOn[rung] ?? []) viewer.receiveVideo(frame, catchUp);
      },
      onError: (error) => options.logger.error(`JPEG encode failed on channel "${source.id}"`, { error }),
    });
  }

  get id(): string {
    return this.source.id;
  }

  /** Null until a background probe has read the input. */
  get format(): ChannelFormat | null {
    return this.formatValue;
  }

  get state(): ChannelState {
    return this.stateValue;
  }

  get viewerCount(): number {
    return this.rungOf.size;
  }

  /** The channel clock now: ms since the epoch. */
  now(): number {
    return Date.now() - this.deps.options.epochMs;
  }

  /** Seconds into the file at channel time `time`; null for inputs without an end. */
  positionAt(time: number): number | null {
    const duration = this.formatValue?.durationSec ?? null;
    return duration === null ? null : positionAt(time, duration);
  }

  /** The newest raw frame while decoding (thumbnails are cut from it). */
  newestFrame(): RawFrame | null {
    return this.newest;
  }

  /**
   * Called once at start-up: starts an `eager` channel, and probes inputs that were not probed synchronously so
   * the catalog soon shows their size.
   */
  wake(): void {
    if (!this.formatValue) {
      this.ensureFormat().catch((error: Error) => {
        if (this.stateValue !== 'closed') {
          this.deps.options.logger.warn(`probing "${this.id}" failed: ${error.message}`, { videoId: this.id });
        }
      });
    }
    this.reconcile();
  }

  join(viewer: ChannelViewer, rung: number): void {
    if (this.stateValue === 'closed' || this.rungOf.has(viewer)) return;
    this.rungOf.set(viewer, rung);
    this.viewersOn[rung]?.add(viewer);
    const cached = this.ladder.activate(rung, this.newest);
    if (cached) viewer.receiveVideo(cached, true);
    this.reconcile();
  }

  setRung(viewer: ChannelViewer, rung: number): void {
    const previous = this.rungOf.get(viewer);
    if (previous === undefined || previous === rung) return;
    this.viewersOn[previous]?.delete(viewer);
    this.ladder.deactivate(previous);
    this.rungOf.set(viewer, rung);
    this.viewersOn[rung]?.add(viewer);
    this.ladder.activate(rung, this.newest);
  }

  leave(viewer: ChannelViewer): void {
    const rung = this.rungOf.get(viewer);
    if (rung === undefined) return;
    this.rungOf.delete(viewer);
    this.viewersOn[rung]?.delete(viewer);
    this.ladder.deactivate(rung);
    this.reconcile();
  }

  stats(): ChannelStats {
    const rungs = this.ladder.stats();
    const activeRungs = this.ladder.activeRungs();
    return {
      id: this.id,
      state: this.stateValue,
      viewers: this.rungOf.size,
      activeRungs,
      encoders: activeRungs.length,
      encodesInFlight: rungs.reduce((sum, rung) => sum + rung.inFlight, 0),
      framesIn: this.framesIn,
      audioChunksIn: this.audioChunksIn,
      restarts: this.restarts,
      lagMs: this.run?.lagMs ?? this.lastLagMs,
      decoder: { pid: this.run?.pid ?? null, running: this.run?.isRunning ?? false },
      rungs,
    };
  }

  /** Ends the decoder and any probe, clears every timer; the channel never starts again. */
  async close(): Promise<void> {
    this.stateValue = 'closed';
    for (const viewer of [...this.rungOf.keys()]) this.leave(viewer);
    await this.halt();
    // Decoders an idle stop was still ending.
    await Promise.all(this.stopping);
  }

  private reconcile(): void {
    if (this.stateValue === 'closed') return;
    const wanted = this.rungOf.size > 0 || this.deps.options.eager;
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
    if (this.formatValue) {
      this.spawn(this.formatValue);
      return;
    }
    this.stateValue = 'probing';
    const attempt = ++this.startAttempt;
    this.ensureFormat().then(
      (format) => {
        if (this.stateValue === 'probing' && attempt === this.startAttempt) this.spawn(format);
      },
      (error: Error) => {
        if (this.stateValue === 'probing' && attempt === this.startAttempt) {
          this.fail(`probe failed: ${error.message}`, '');
        }
      },
    );
  }

  /** The format, probing the input (once, shared by every caller) when it is not known yet. */
  private ensureFormat(): Promise<ChannelFormat> {
    if (this.formatValue) return Promise.resolve(this.formatValue);
    if (this.probe) return this.probe.format;
    const pending = probeAsync(this.deps.tools, this.source, this.deps.options.probeTimeoutMs);
    const forget = () => {
      if (this.probe?.pending === pending) this.probe = null;
    };
    const format = pending.result.then(
      (result) => {
        forget();
        const { maxFps, maxHeight } = this.deps.options;
        this.formatValue ??= channelFormat(result, this.source.kind, maxFps, maxHeight);
        for (const viewer of this.rungOf.keys()) viewer.channelReady();
        return this.formatValue;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    this.probe = { pending, format };
    return format;
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
        for (const viewer of this.rungOf.keys()) viewer.channelReady();
      }
    }
    if (Date.now() - this.runStartedAt > HEALTHY_AFTER_MS) this.backoff.reset();
    this.framesIn++;
    this.newest = { ...frame, sequence: this.videoSequence++ };
    this.ladder.push(this.newest);
  }

  private audioArrived(chunk: AudioChunk): void {
    this.audioChunksIn++;
    const bytes = encodeMediaMessage({
      kind: 'audio',
      timestamp: chunk.timestamp,
      sequence: this.audioSequence++,
      rungOrChannels: AUDIO_FORMAT.channels,
      payload: chunk.pcm,
    });
    const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const viewer of this.rungOf.keys()) viewer.receiveAudio(message);
  }

  private fail(reason: string, stderr: string): void {
    this.restarts++;
    this.recovering = true;
    this.newest = null;
    this.ladder.reset();
    const delay = this.backoff.next();
    this.deps.options.logger.warn(`channel "${this.id}" failed, restarting in ${delay} ms: ${reason}`, {
      videoId: this.id,
      stderr,
    });
    for (const viewer of this.rungOf.keys()) viewer.channelFailed(reason);
    this.stateValue = 'backoff';
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stateValue !== 'backoff') return;
      if (this.rungOf.size > 0 || this.deps.options.eager) this.start();
      else this.stateValue = 'idle';
    }, delay);
  }

  /** Stops whatever runs (decoder, probe, timers) and forgets the frames of the run. */
  private async halt(): Promise<void> {
    for (const timer of [this.idleTimer, this.restartTimer]) if (timer) clearTimeout(timer);
    this.idleTimer = null;
    this.restartTimer = null;
    this.startAttempt++;
    this.probe?.pending.cancel();
    this.probe = null;
    const run = this.run;
    this.run = null;
    this.newest = null;
    this.recovering = false;
    this.ladder.reset();
    if (run) {
      this.lastLagMs = run.lagMs;
      const stopped = run.stop();
      this.stopping.add(stopped);
      await stopped;
      this.stopping.delete(stopped);
    }
  }
}

function describeExit(exit: DecodeExit): string {
  if (exit.error) return `ffmpeg could not run: ${exit.error.message}`;
  if (exit.signal) return `ffmpeg was killed by ${exit.signal}`;
  return `ffmpeg exited with code ${exit.code}`;
}
