import type { Readable } from 'node:stream';
import {
  type ChildExit,
  type ChildStatus,
  type DecodeProcess,
  KILL_GRACE_MS,
  spawnDecodeProcess,
  stopWithGrace,
} from '../ffmpeg';
import type { RawFrame } from '../ladder/frames';
import { isRealTime, type VideoSource } from '../source/video-source';
import { type AudioChunk, AudioChunker } from './audio-chunker';
import { FrameAssembler } from './frame-assembler';
import { MediaPacer } from './media-pacer';
import type { ChannelFormat } from './output-format';
import type { OutputLevel } from './output-levels';
import { type AheadBounds, type MediaTrack, RealTimeAnchor } from './real-time-anchor';

export interface DecoderRunConfig {
  ffmpegPath: string;
  source: VideoSource;
  format: ChannelFormat;
  /** Frame rate and size this run decodes to (the format's, or lower when the channel sheds). */
  output: OutputLevel;
  seekSec: number | null;
  /** Channel time of the first frame and of the first audio sample. */
  firstFrameTime: number;
  audioChunkMs: number;
  /** The channel clock. */
  now: () => number;
}

export interface DecoderRunHandlers {
  /** A frame goes on air, `lateMs` after its time (0 when on time). */
  onFrame(frame: RawFrame, lateMs: number): void;
  /** A frame reached the pacer more than `LATE_LIMIT_MS` after its time and was dropped. */
  onShed(frame: RawFrame, lateMs: number): void;
  /** The pacer paused the decoder (it is ahead of the clock) or let it go on. */
  onPressure(paused: boolean): void;
  onAudio(chunk: AudioChunk): void;
  /** The process ended; `requested` when `stop()` asked for it. */
  onExit(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

// A few frames of slack absorb pipe and timer jitter; more would only cost memory (a 1080p frame is 6 MB).
const VIDEO_HIGH_WATER = 4;
const VIDEO_LOW_WATER = 2;
const AUDIO_AHEAD_MS = 500;
/**
 * A frame this late is shed rather than shown: later ones would only stack delay (a decoder slower than real
 * time drifts further each frame). Enough slack for pipe and timer jitter and a slow frame now and then.
 */
export const LATE_LIMIT_MS = 100;
/**
 * How far ahead of the clock a real-time input's media may come before it is skipped (see `RealTimeAnchor`): in
 * the first second, about a frame (a new decoder catching up is not live); after, more than the lump a browser
 * broadcaster's recorder sends at once (chunks of up to 250 ms, all of whose frames arrive together).
 */
export const EARLY_LIMITS: AheadBounds = { startMs: 50, settleMs: 1_000, steadyMs: 300 };

/**
 * One decoder process of a channel, from spawn to exit: splits its pipes into frames and audio chunks, stamps
 * them on the channel clock (frame n at `firstFrameTime + n × 1000 / fps`), and paces them out in real time.
 */
export class DecoderRun {
  private readonly child: DecodeProcess;
  private readonly videoPacer: MediaPacer<RawFrame>;
  private readonly audioPacer: MediaPacer<AudioChunk>;
  private stopRequested = false;
  private framesDecoded = 0;
  private startTime: number | null = null;
  private audioEnd: number | null = null;
  /** A real-time input's media kept on the clock; null for a file, whose pacer sheds late frames instead. */
  private readonly anchor: RealTimeAnchor | null;

  constructor(
    private readonly config: DecoderRunConfig,
    private readonly handlers: DecoderRunHandlers,
  ) {
    const { format, source, output } = config;
    const paced = !isRealTime(source.kind);
    this.anchor = paced ? null : new RealTimeAnchor(LATE_LIMIT_MS, EARLY_LIMITS, config.now);
    this.child = spawnDecodeProcess(config.ffmpegPath, {
      source,
      seekSec: config.seekSec,
      fps: output.fps,
      width: output.width,
      height: output.height,
      audio: format.hasAudio,
      ...(output.skipFrames ? { skipFrames: output.skipFrames } : {}),
    });
    this.videoPacer = new MediaPacer<RawFrame>({
      now: config.now,
      paced,
      highWater: VIDEO_HIGH_WATER,
      lowWater: VIDEO_LOW_WATER,
      lateLimitMs: LATE_LIMIT_MS,
      onShed: (frame, lateMs) => handlers.onShed(frame, lateMs),
      onPressure: (full) => {
        this.hold(this.child.video, full);
        handlers.onPressure(full);
      },
      emit: (frame) => handlers.onFrame(frame, Math.max(0, config.now() - frame.timestamp)),
    });
    const audioHighWater = Math.max(2, Math.ceil(AUDIO_AHEAD_MS / config.audioChunkMs));
    this.audioPacer = new MediaPacer<AudioChunk>({
      now: config.now,
      paced,
      highWater: audioHighWater,
      lowWater: Math.floor(audioHighWater / 2),
      onPressure: (full) => this.hold(this.child.audio, full),
      emit: (chunk) => handlers.onAudio(chunk),
    });
    this.readVideo();
    this.readAudio();
    void this.child.exited.then((exit) => this.exited(exit));
  }

  /** The decoder's ffmpeg process, for stats. */
  get process(): ChildStatus {
    return this.child;
  }

  /**
   * Channel time the run's decoded sound reaches (the end of its newest chunk, sent or still held until its
   * time); null before its first chunk. Past it, the run carries no sound until its process produces more.
   */
  get audioDecodedUntil(): number | null {
    return this.audioEnd;
  }

  /** Ends the process (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.videoPacer.clear();
    this.audioPacer.clear();
    await stopWithGrace(this.child, KILL_GRACE_MS, [this.child.video, this.child.audio]);
  }

  private hold(stream: Readable | null, full: boolean): void {
    if (!stream || this.stopRequested) return;
    if (full) stream.pause();
    else stream.resume();
  }

  /**
   * Channel time of the run's first frame and first audio sample. A real-time input's first output comes when it
   * comes (a broadcast's decoder first reads seconds of stream to learn its format): its timeline starts then, not
   * at the spawn, or every frame would be stamped that much in the past and arrive late.
   */
  private start(): number {
    if (this.startTime === null) {
      const { firstFrameTime, source, now } = this.config;
      this.startTime = isRealTime(source.kind) ? Math.max(firstFrameTime, now()) : firstFrameTime;
    }
    return this.startTime;
  }

  /**
   * The channel time of media counted to `timestamp` whose last part (`durationMs` later) has just arrived: as
   * counted for a file; for a real-time input, kept on the clock with the rest of the run's media (null: skipped,
   * as it came ahead of the clock).
   */
  private onClock(track: MediaTrack, timestamp: number, durationMs: number): number | null {
    return this.anchor ? this.anchor.place(track, timestamp, durationMs) : timestamp;
  }

  private readVideo(): void {
    const { output } = this.config;
    const assembler = new FrameAssembler(output.width * output.height * 3);
    const intervalMs = 1000 / output.fps;
    this.child.video.on('data', (chunk: Buffer) => {
      if (this.stopRequested) return;
      for (const data of assembler.push(chunk)) {
        const timestamp = this.onClock('video', this.start() + this.framesDecoded++ * intervalMs, 0);
        if (timestamp === null) continue;
        this.videoPacer.push({ data, width: output.width, height: output.height, timestamp });
      }
    });
    // Pipe errors (EPIPE on kill) end in the exit handler; without a listener they would crash the host.
    this.child.video.on('error', () => {});
  }

  private readAudio(): void {
    const audio = this.child.audio;
    if (!audio) return;
    let chunker: AudioChunker | null = null;
    audio.on('data', (data: Buffer) => {
      if (this.stopRequested) return;
      chunker ??= new AudioChunker(this.config.audioChunkMs, this.start());
      for (const chunk of chunker.push(data)) {
        const timestamp = this.onClock('audio', chunk.timestamp, this.config.audioChunkMs);
        if (timestamp === null) continue;
        this.audioEnd = timestamp + this.config.audioChunkMs;
        this.audioPacer.push({ ...chunk, timestamp });
      }
    });
    audio.on('error', () => {});
  }

  private exited(exit: ChildExit): void {
    this.videoPacer.clear();
    this.audioPacer.clear();
    this.handlers.onExit(exit, this.stopRequested, this.child.stderrTail());
  }
}
