import type { FeedbackMessage, MediaMessage } from '@onair/protocol';
import { AudioOutput } from '../audio/audio-output';
import type { PlayoutState } from '../state/derive-status';
import type { LiveStreamStats, StreamInfo } from '../state/snapshot';
import { FeedbackMeter } from '../stats/feedback-meter';
import { RateMeter } from '../stats/rate-meter';
import { CanvasRenderer } from '../video/canvas-renderer';
import { requestDisplayTick } from '../video/display-tick';
import { canDecodeFrames, decodeJpeg } from '../video/frame-decoder';
import { JitterBuffer } from './jitter-buffer';
import { LocalClock } from './local-clock';

export interface PlayoutOptions {
  videoBufferMs: number;
  audioBufferMs: number;
  onStateChange(state: PlayoutState): void;
  /** Audio started, stopped, or got blocked/unblocked by the autoplay policy. */
  onAudioState(): void;
}

/** What the playout measures itself; the rung and quality come from the protocol session. */
export type PlayoutStats = Omit<LiveStreamStats, 'rung' | 'quality' | 'level'>;

interface BufferedFrame {
  timestamp: number;
  /** Null where frames cannot be decoded (jsdom): the timing still runs, only drawing is skipped. */
  bitmap: ImageBitmap | null;
}

/** Decodes allowed at once; past it the device is not keeping up and a frame is dropped before decoding. */
const MAX_DECODES_IN_FLIGHT = 6;
/** The buffer must stay empty this long (or three frame intervals, if longer) to count as starved. */
const MIN_STALL_MS = 500;

/**
 * The media pipeline of one player: JPEG decoding, the jitter buffer, the playback clock (audio when it plays,
 * the local clock otherwise), drawing on display ticks, and the numbers the feedback and stats report.
 */
export class Playout {
  private readonly buffer = new JitterBuffer<BufferedFrame>({ onDiscard: (frame) => frame.bitmap?.close() });
  private readonly localClock: LocalClock;
  private readonly renderer = new CanvasRenderer();
  private readonly meter = new FeedbackMeter();
  private readonly shownFrames = new RateMeter();
  private readonly receivedBytes = new RateMeter();
  private audio: AudioOutput | null = null;
  private stream: StreamInfo | null = null;
  // Bumped whenever buffered media becomes stale (new stream, pause): decodes finishing later are discarded.
  private generation = 0;
  private decodesInFlight = 0;
  private paused = false;
  private current: PlayoutState = 'waiting';
  private lastProgressAt = 0;
  private lastClock = Number.NEGATIVE_INFINITY;
  private onScreenTimestamp: number | null = null;
  private cancelTick: (() => void) | null = null;
  private volume = 1;
  private muted = false;

  constructor(private readonly options: PlayoutOptions) {
    this.localClock = new LocalClock(options.videoBufferMs);
  }

  get audioBlocked(): boolean {
    return this.audio?.blocked ?? false;
  }

  get state(): PlayoutState {
    return this.current;
  }

  /** A feedback report is due at each tick of the cadence: a stream plays and the viewer has not paused. */
  get reporting(): boolean {
    return this.stream !== null && !this.paused;
  }

  setBufferTargets(videoBufferMs: number, audioBufferMs: number): void {
    this.options.videoBufferMs = videoBufferMs;
    // Audio keeps its delay until the next stream builds a new worklet with the new priming size.
    this.options.audioBufferMs = audioBufferMs;
    this.localClock.setDelay(videoBufferMs);
  }

  start(stream: StreamInfo): void {
    this.clearMedia();
    this.stream = stream;
    this.meter.reset();
    this.shownFrames.reset();
    this.onScreenTimestamp = null;
    this.setState('waiting');
    this.prepareAudio(stream);
    this.scheduleTick();
  }

  /** No stream any more (switching, disconnected); the last frame stays on the canvas. */
  stop(): void {
    this.stream = null;
    this.clearMedia();
    this.onScreenTimestamp = null;
    this.shownFrames.reset();
  }

  dispose(): void {
    this.stop();
    this.receivedBytes.reset();
    this.audio?.close();
    this.audio = null;
  }

  recordBytes(byteLength: number): void {
    this.receivedBytes.record(performance.now(), byteLength);
  }

  pushVideo(message: MediaMessage): void {
    if (!this.stream || this.paused) return;
    this.localClock.observe(message.timestamp, performance.now());
    if (!canDecodeFrames()) {
      this.buffer.push({ timestamp: message.timestamp, bitmap: null });
      return;
    }
    if (this.decodesInFlight >= MAX_DECODES_IN_FLIGHT) {
      this.meter.recordDropped(1);
      return;
    }
    this.decodesInFlight++;
    const generation = this.generation;
    decodeJpeg(message.payload).then(
      ({ bitmap, decodeMs }) => {
        this.decodesInFlight--;
        if (generation !== this.generation) {
          bitmap.close();
          return;
        }
        this.meter.recordDecode(decodeMs);
        this.buffer.push({ timestamp: message.timestamp, bitmap });
      },
      () => {
        this.decodesInFlight--;
        if (generation === this.generation) this.meter.recordDropped(1);
      },
    );
  }

  pushAudio(message: MediaMessage): void {
    if (!this.stream?.audio || this.paused) return;
    this.audio?.push(message.timestamp, message.payload);
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    // Live has no pause buffer: what arrived while paused is old news, and playing resumes at the live edge.
    this.clearMedia();
    if (!paused && this.stream) {
      this.lastProgressAt = performance.now();
      this.scheduleTick();
    }
  }

  attachCanvas(canvas: HTMLCanvasElement | null): void {
    this.renderer.attach(canvas);
  }

  setVolume(volume: number, muted: boolean): void {
    this.volume = volume;
    this.muted = muted;
    this.audio?.setVolume(volume, muted);
  }

  async enableAudio(): Promise<void> {
    await this.audio?.resume();
  }

  /** The `feedback` report for the interval since the previous call. */
  takeFeedback(timestamp: number): FeedbackMessage {
    const { dropped, late } = this.buffer.takeCounters();
    this.meter.recordDropped(dropped);
    this.meter.recordLate(late);
    return this.meter.report({ timestamp, bufferMs: this.bufferMs(), targetMs: this.targetMs() });
  }

  readStats(): PlayoutStats {
    const now = performance.now();
    const totals = this.meter.total;
    return {
      fps: roundTo(this.shownFrames.perSecond(now), 1),
      bufferMs: Math.round(this.bufferMs()),
      latencyMs: this.onScreenTimestamp === null ? null : Math.round(Date.now() - this.onScreenTimestamp),
      bitrateKbps: Math.round((this.receivedBytes.perSecond(now) * 8) / 1000),
      droppedFrames: totals.droppedFrames,
      lateFrames: totals.lateFrames,
      decodeMs: roundTo(this.meter.meanDecodeMs, 1),
    };
  }

  private readonly tick = (): void => {
    this.cancelTick = null;
    if (!this.stream || this.paused) return;
    const now = performance.now();
    const clock = this.clockNow(now);
    const frame = clock === null ? undefined : this.buffer.takeDue(clock);
    if (frame) this.show(frame, now);
    if (this.current === 'playing' && this.buffer.size === 0 && now - this.lastProgressAt > this.stallMs()) {
      this.setState('starved');
    }
    this.scheduleTick();
  };

  private show(frame: BufferedFrame, now: number): void {
    if (frame.bitmap) {
      this.renderer.draw(frame.bitmap);
      // The canvas keeps its own copy of the pixels.
      frame.bitmap.close();
    }
    this.onScreenTimestamp = frame.timestamp;
    this.shownFrames.record(now);
    this.lastProgressAt = now;
    if (this.current !== 'playing') this.setState('playing');
  }

  /** Channel time at the playhead: audio is the master clock whenever it is audible. */
  private clockNow(now: number): number | null {
    const clock = this.audio?.now() ?? this.localClock.now(now);
    if (clock === null) return null;
    this.lastClock = Math.max(this.lastClock, clock);
    return this.lastClock;
  }

  private bufferMs(): number {
    const clock = this.clockNow(performance.now());
    return clock === null ? 0 : this.buffer.bufferedMs(clock);
  }

  private targetMs(): number {
    return this.audio?.now() != null ? this.options.audioBufferMs : this.options.videoBufferMs;
  }

  private stallMs(): number {
    const fps = this.stream?.viewerFps ?? 0;
    return fps > 0 ? Math.max(MIN_STALL_MS, 3_000 / fps) : MIN_STALL_MS;
  }

  private setState(state: PlayoutState): void {
    this.lastProgressAt = performance.now();
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange(state);
  }

  private prepareAudio(stream: StreamInfo): void {
    const format = stream.audio;
    const reusable = this.audio && format && this.audio.sampleRate === format.sampleRate;
    if (reusable && this.audio?.channels === format.channels) return;
    this.audio?.close();
    this.audio = null;
    if (format && AudioOutput.isSupported()) {
      try {
        this.audio = new AudioOutput({
          sampleRate: format.sampleRate,
          channels: format.channels,
          bufferMs: this.options.audioBufferMs,
          onStateChange: () => this.options.onAudioState(),
        });
        this.audio.setVolume(this.volume, this.muted);
      } catch {
        // An AudioContext the browser refuses (rate unsupported, too many contexts) means video only.
        this.audio = null;
      }
    }
    this.options.onAudioState();
  }

  private clearMedia(): void {
    this.generation++;
    this.buffer.clear();
    this.buffer.takeCounters();
    this.audio?.reset();
    this.localClock.reset();
    this.lastClock = Number.NEGATIVE_INFINITY;
    this.cancelTick?.();
    this.cancelTick = null;
  }

  private scheduleTick(): void {
    if (this.cancelTick) return;
    this.cancelTick = requestDisplayTick(this.tick);
  }
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
