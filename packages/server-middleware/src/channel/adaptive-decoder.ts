import type { ChildExit, ChildStatus } from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import { isRealTime, type VideoSource } from '../source/video-source';
import { planFileStart } from '../timeline/epoch-timeline';
import type { AudioChunk } from './audio-chunker';
import type { DecoderRun, DecoderRunConfig, DecoderRunHandlers } from './decoder-run';
import { procWriteWaitSampler, type WriteWaitSampler, type WriteWaitWatch } from './decoder-write-wait';
import type { ChannelFormat } from './output-format';
import {
  type BehindCause,
  DEFAULT_LEVEL_CONTROLLER,
  type LevelControllerSettings,
  OutputLevelController,
} from './output-level-controller';
import type { OutputLevel } from './output-levels';

/** What the adaptive decoder uses of one decoder run. */
export type Decoder = Pick<DecoderRun, 'process' | 'stop' | 'audioDecodedUntil'>;

export interface AdaptiveDecoderConfig {
  ffmpegPath: string;
  source: VideoSource;
  format: ChannelFormat;
  /** Levels to shed down to, full output first. */
  levels: readonly OutputLevel[];
  /**
   * False: one run at level 0, never judged nor restarted (live inputs: their frames already come in real time,
   * and a restart reconnects).
   */
  adaptive: boolean;
  audioChunkMs: number;
  /** The channel clock. */
  now: () => number;
  startRun: (config: DecoderRunConfig, handlers: DecoderRunHandlers) => Decoder;
  controller?: LevelControllerSettings;
  /** How often the level is judged. */
  tickMs?: number;
  /** Samples whether the decoder process is blocked writing to us (default: Linux's `/proc`, off the loop). */
  writeWait?: WriteWaitSampler;
  /** A level change, for the logs. */
  onLevel?: (level: number, output: OutputLevel, reason: 'down' | 'up' | 'resync') => void;
}

export interface AdaptiveDecoderHandlers {
  onFrame(frame: RawFrame): void;
  onAudio(chunk: AudioChunk): void;
  /** A run ended on its own (a crash): the whole decoder is over; `requested` when `stop()` asked for it. */
  onExit(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

export interface AdaptiveDecoderStats {
  /** Channel clock now − timestamp of the newest frame put on air, ms; null before the first. */
  lagMs: number | null;
  /** Frames reach the pacer too late now (they are shed), or the decoder has stalled. */
  behind: boolean;
  /** Why it is behind: the decoder is slower than real time, or the event loop reads it late; null when not. */
  behindCause: BehindCause | null;
  /**
   * How fast the decoder produces when it is not waiting for us to read, as a multiple of real time (last
   * second); null when it cannot be measured (not Linux, a live input, just (re)started).
   */
  decoderSpeed: number | null;
  /** Frames that reached the pacer too late and were dropped, this decoder's life. */
  framesShed: number;
  level: number;
  output: OutputLevel;
  levelChanges: number;
}

function roundSpeed(speed: number | null): number | null {
  return speed === null ? null : Math.round(speed * 100) / 100;
}

/** The most a pending run's audio waits for the old run's (3 s of 100 ms chunks): past it the old run is stuck. */
const MAX_HELD_AUDIO_CHUNKS = 30;
/** Nothing on air for this long: the server is starved, and a late frame is better than none... */
const STARVED_AFTER_MS = 1_000;
/** ...as long as it is still this close to live. */
const STARVED_LATE_LIMIT_MS = 1_000;
/** Chunks a change's start may move back to clear a file's ends (their 0.5 s, in 100 ms chunks, and some). */
const MAX_EDGE_STEPS = 10;
/** A level change whose new run has put no frame on air after this long switches anyway. */
const SWITCH_GIVE_UP_MS = 2_000;
/**
 * A run starts this far ahead of the clock: ffmpeg's start-up (spawn, open, seek, first frame) fits in it, so its
 * first frames are held rather than shed as late.
 */
export const START_LEAD_MS = 300;

interface Run {
  decoder: Decoder;
  level: number;
  startedAt: number;
}

/**
 * A channel's decoding across output levels: one `DecoderRun` at a time, restarted at a lower frame rate or size
 * when it cannot keep up with the clock (`OutputLevelController` decides) and back up when the CPU has room.
 *
 * A change is made before it is broken: the new run starts at the current position while the old one goes on,
 * and takes over at its first frame on time. Audio from both is joined on the chunk grid (the new run starts on
 * a chunk boundary of the old one, duplicates are dropped), so sound carries on through a change.
 */
export class AdaptiveDecoder {
  private current: Run;
  private pending: Run | null = null;
  private readonly controller: OutputLevelController;
  private readonly ticker: NodeJS.Timeout;
  private waitWatch: { pid: number; watch: WriteWaitWatch | null } | null = null;
  private newestOnAir: number | null = null;
  /** Channel clock when a frame last went on air. */
  private lastOnAirAt: number | null = null;
  private nextAudioAt: number | null = null;
  /** The pending run's chunks ahead of the sound sent: they wait for the old run's audio to reach them. */
  private heldAudio: AudioChunk[] = [];
  private shed = 0;
  private changes = 0;
  private stopped = false;

  constructor(
    private readonly config: AdaptiveDecoderConfig,
    private readonly handlers: AdaptiveDecoderHandlers,
  ) {
    const now = config.now();
    this.controller = new OutputLevelController(
      config.levels.length,
      now,
      config.controller ?? DEFAULT_LEVEL_CONTROLLER,
    );
    // A live input is not paced: its frames go out as they come, so a lead would only misdate them.
    this.current = this.startRun(0, isRealTime(config.source.kind) ? now : now + START_LEAD_MS);
    this.ticker = setInterval(() => this.judge(), config.tickMs ?? 250);
    if (!config.adaptive) clearInterval(this.ticker);
  }

  /** The ffmpeg process on air, for stats. */
  get process(): ChildStatus {
    return this.current.decoder.process;
  }

  stats(): AdaptiveDecoderStats {
    const now = this.config.now();
    const level = this.current.level;
    return {
      lagMs: this.newestOnAir === null ? null : Math.max(0, Math.round(now - this.newestOnAir)),
      behind: this.controller.behind(now),
      behindCause: this.controller.cause(now),
      decoderSpeed: roundSpeed(this.controller.decoderSpeed(now)),
      framesShed: this.shed,
      level,
      output: this.output(level),
      levelChanges: this.changes,
    };
  }

  /**
   * A frame of the run on air was encoded too slowly to be sent; `encoderMs` is the encoder time it took from the
   * channel (its duration over the encoders it may run at once). See `OutputLevelController.encodeShed`.
   */
  encodeShed(encoderMs: number): void {
    if (this.stopped) return;
    this.controller.encodeShed(this.config.now(), encoderMs / this.frameMs(this.current));
  }

  /** Ends every run and resolves once their processes have exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopJudging();
    const runs = [this.current, this.pending].filter((run): run is Run => run !== null);
    this.pending = null;
    this.heldAudio = [];
    await Promise.all(runs.map((run) => run.decoder.stop()));
  }

  private stopJudging(): void {
    clearInterval(this.ticker);
    this.waitWatch?.watch?.close();
    this.waitWatch = null;
  }

  /**
   * Hands the controller the samples of whether the run on air was blocked writing to us: its evidence that late
   * frames are the reader's doing, not the decoder's. The watch follows the run on air.
   */
  private reportWriteWaits(now: number): void {
    const pid = this.current.decoder.process.pid;
    if (this.waitWatch?.pid !== pid) {
      this.waitWatch?.watch?.close();
      this.waitWatch =
        pid === null ? null : { pid, watch: (this.config.writeWait ?? procWriteWaitSampler)(pid) };
    }
    const counts = this.waitWatch?.watch?.take();
    if (counts) this.controller.writeWaits(now, counts.samples, counts.waiting);
  }

  private output(level: number): OutputLevel {
    return this.config.levels[level] ?? (this.config.levels[0] as OutputLevel);
  }

  private judge(): void {
    if (this.stopped) return;
    const now = this.config.now();
    this.reportWriteWaits(now);
    const pending = this.pending;
    if (pending) {
      // The change under way is judged once its run has taken over, not by the old run it replaces.
      if (now - pending.startedAt <= SWITCH_GIVE_UP_MS) return;
      this.switchTo(pending);
    }
    const level = this.controller.decide(now);
    if (level === null) return;
    this.changes++;
    const from = this.current.level;
    this.config.onLevel?.(level, this.output(level), level > from ? 'down' : level < from ? 'up' : 'resync');
    this.pending = this.startRun(level, this.changeStartTime(now));
  }

  /**
   * Where a new run starts, on the audio chunk grid of the sound sent so far so the two runs' chunks line up.
   * When the sound sent is behind the clock, where it has got to: the new run fills the gap while it catches up.
   * Else the first chunk boundary `START_LEAD_MS` ahead (the old run plays until then, and ffmpeg's start-up fits
   * in the lead), but no further than the old run has decoded its sound: a run that stalls now would leave a hole
   * up to the new run's start, and the switch does not wait for it.
   *
   * Near either end of a file a start would snap to the file's start, off the grid, so it moves back a chunk at a
   * time until it is clear of the ends: earlier chunks are ones already sent (dropped as duplicates), while moving
   * forward would leave a hole the old run is not sure to fill (a stalled run did, 300–600 ms of silence).
   */
  private changeStartTime(now: number): number {
    const chunk = this.config.audioChunkMs;
    const next = this.nextAudioAt;
    if (next === null) return now + START_LEAD_MS;
    const ahead = next + Math.max(0, Math.ceil((now + START_LEAD_MS - next) / chunk)) * chunk;
    const decoded = Math.max(next, this.current.decoder.audioDecodedUntil ?? next);
    let time = next <= now ? next : Math.min(ahead, decoded);
    const { source, format } = this.config;
    for (let tries = 0; source.kind === 'file' && tries < MAX_EDGE_STEPS; tries++) {
      if (planFileStart(time, format.durationSec).firstFrameTime === time) break;
      time -= chunk;
    }
    return time;
  }

  private startRun(level: number, time: number): Run {
    const { source, format } = this.config;
    const plan =
      source.kind === 'file'
        ? planFileStart(time, format.durationSec)
        : { seekSec: null, firstFrameTime: time };
    const run: Run = { decoder: null as unknown as Decoder, level, startedAt: this.config.now() };
    run.decoder = this.config.startRun(
      {
        ffmpegPath: this.config.ffmpegPath,
        source,
        format,
        output: this.output(level),
        seekSec: plan.seekSec,
        firstFrameTime: plan.firstFrameTime,
        audioChunkMs: this.config.audioChunkMs,
        now: this.config.now,
      },
      {
        onFrame: (frame) => this.frameOnTime(run, frame),
        onShed: (frame, lateMs) => this.frameShed(run, frame, lateMs),
        onPressure: (paused) => {
          if (run === this.current) this.controller.pressure(this.config.now(), paused);
        },
        onAudio: (chunk) => this.audio(run, chunk),
        onExit: (exit, requested, stderrTail) => this.runExited(run, exit, requested, stderrTail),
      },
    );
    return run;
  }

  private frameOnTime(run: Run, frame: RawFrame): void {
    if (this.stopped) return;
    if (run === this.pending) this.switchTo(run);
    if (run !== this.current) return;
    const now = this.config.now();
    this.controller.frame(now, false, this.frameMs(run));
    this.putOnAir(frame, now);
  }

  private frameShed(run: Run, frame: RawFrame, lateMs: number): void {
    if (this.stopped || run !== this.current) return;
    const now = this.config.now();
    this.controller.frame(now, true, this.frameMs(run));
    // A picture late beats none: the very first frame goes on air however late (the lag says how late), and on a
    // server so starved that nothing has gone on air for a while, a frame still less than `STARVED_LATE_LIMIT_MS`
    // late does (judged late all the same, so the level keeps going down).
    const starved = this.lastOnAirAt !== null && now - this.lastOnAirAt >= STARVED_AFTER_MS;
    if (this.newestOnAir === null || (starved && lateMs < STARVED_LATE_LIMIT_MS)) {
      this.putOnAir(frame, now);
      return;
    }
    this.shed++;
  }

  private putOnAir(frame: RawFrame, now: number): void {
    this.newestOnAir = frame.timestamp;
    this.lastOnAirAt = now;
    this.handlers.onFrame(frame);
  }

  private frameMs(run: Run): number {
    return 1000 / this.output(run.level).fps;
  }

  /**
   * Joins the runs' sound on the chunk grid: a chunk already sent is dropped; a chunk of the pending run ahead of
   * the sound sent waits until the old run's audio reaches it (or the switch), since sending it first would leave
   * a hole where the old run's chunks, then late, were dropped.
   */
  private audio(run: Run, chunk: AudioChunk): void {
    if (this.stopped || (run !== this.current && run !== this.pending)) return;
    const half = this.config.audioChunkMs / 2;
    const next = this.nextAudioAt;
    if (next !== null && chunk.timestamp < next - half) return;
    if (run === this.pending && next !== null && chunk.timestamp > next + half) {
      this.heldAudio.push(chunk);
      if (this.heldAudio.length > MAX_HELD_AUDIO_CHUNKS) this.releaseHeldAudio(true);
      return;
    }
    this.sendAudio(chunk);
    this.releaseHeldAudio(false);
  }

  /** Sends the held chunks the sound has reached; `all`: every one (the old run will not fill the gap). */
  private releaseHeldAudio(all: boolean): void {
    const half = this.config.audioChunkMs / 2;
    while (this.heldAudio.length > 0) {
      const chunk = this.heldAudio[0] as AudioChunk;
      const next = this.nextAudioAt ?? chunk.timestamp;
      if (!all && chunk.timestamp > next + half) return;
      this.heldAudio.shift();
      if (chunk.timestamp >= next - half) this.sendAudio(chunk);
    }
  }

  private sendAudio(chunk: AudioChunk): void {
    this.nextAudioAt = chunk.timestamp + this.config.audioChunkMs;
    this.handlers.onAudio(chunk);
  }

  private switchTo(run: Run): void {
    const old = this.current;
    this.current = run;
    this.pending = null;
    this.controller.started(this.config.now());
    void old.decoder.stop();
    this.releaseHeldAudio(true);
  }

  private runExited(run: Run, exit: ChildExit, requested: boolean, stderrTail: string): void {
    if (this.stopped || requested || (run !== this.current && run !== this.pending)) {
      if (this.stopped && run === this.current) this.handlers.onExit(exit, true, stderrTail);
      return;
    }
    // One run crashed: the decoder as a whole failed, and the channel's lifecycle restarts it.
    this.stopped = true;
    this.stopJudging();
    for (const other of [this.current, this.pending]) if (other && other !== run) void other.decoder.stop();
    this.pending = null;
    this.heldAudio = [];
    this.handlers.onExit(exit, false, stderrTail);
  }
}
