import {
  type FeedbackMessage,
  type MediaMessage,
  reducedRateExtraMs,
  type ViewerLimitsMessage,
} from '@onair/protocol';
import { AudioPlayout } from '../audio/audio-playout';
import type { PlayoutState } from '../state/derive-status';
import type { LiveStreamStats, StreamInfo } from '../state/snapshot';
import { FeedbackMeter } from '../stats/feedback-meter';
import { RateMeter } from '../stats/rate-meter';
import { RenderLoadLimiter } from '../stats/render-load-limiter';
import { CanvasRenderer } from '../video/canvas-renderer';
import { requestDisplayTick } from '../video/display-tick';
import { canDecodeFrames, decodeJpeg } from '../video/frame-decoder';
import { JitterBuffer } from './jitter-buffer';
import { LocalClock } from './local-clock';

export interface PlayoutOptions {
  videoBufferMs: number;
  audioBufferMs: number;
  /** Farther than this behind the live edge, the player says so (`atLiveEdge` false). */
  liveThresholdMs: number;
  /** The rate the server sends this viewer now (`stream.viewerFps`, then `quality-changed.viewerFps`). */
  viewerFps(): number;
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
/** How long the arrivals that say where live is are remembered; after a stall, older ones go. */
const ARRIVAL_WINDOW_MS = 3_000;
/** Display ticks further apart than this many frame intervals mean the page could not keep up (busy, throttled). */
const SLOW_TICK_FRAMES = 2;

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
  private readonly audio: AudioPlayout;
  private readonly limiter = new RenderLoadLimiter();
  // Where live is: the newest arrivals (best offset over a short window), and the `stream` message's channel time.
  private readonly arrivals = new LocalClock(0, ARRIVAL_WINDOW_MS);
  private streamAnchor: { channelTime: number; at: number } | null = null;
  private stream: StreamInfo | null = null;
  private shownSinceReport = 0;
  private renderDroppedSinceReport = 0;
  private lastTickAt: number | null = null;
  private limitsDue = false;
  // Bumped whenever buffered media becomes stale (new stream, pause): decodes finishing later are discarded.
  private generation = 0;
  private decodesInFlight = 0;
  private paused = false;
  private current: PlayoutState = 'waiting';
  private lastProgressAt = 0;
  private lastClock = Number.NEGATIVE_INFINITY;
  private onScreenTimestamp: number | null = null;
  private cancelTick: (() => void) | null = null;

  constructor(private readonly options: PlayoutOptions) {
    this.localClock = new LocalClock(options.videoBufferMs);
    this.audio = new AudioPlayout({
      bufferMs: options.audioBufferMs,
      onStateChange: () => options.onAudioState(),
      liveEdge: () => this.arrivals.now(performance.now()),
    });
  }

  get audioBlocked(): boolean {
    return this.audio.blocked;
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
    this.audio.setBufferMs(audioBufferMs);
    this.localClock.setDelay(videoBufferMs);
  }

  /** `roundTripMs`: the link's, when measured: the sound needs that much more margin on a link that retransmits. */
  start(stream: StreamInfo, roundTripMs: number | null = null): void {
    this.clearMedia();
    this.stream = stream;
    this.meter.reset();
    this.shownFrames.reset();
    this.onScreenTimestamp = null;
    this.streamAnchor = { channelTime: stream.channelTime, at: performance.now() };
    // A new stream (or a new connection) starts with no limit on the server: say it again.
    this.limitsDue = this.limiter.limit !== null;
    this.setState('waiting');
    this.audio.configure(stream.audio, roundTripMs);
    this.options.onAudioState();
    this.scheduleTick();
  }

  /** No stream any more (switching, disconnected); the last frame stays on the canvas. */
  stop(): void {
    this.stream = null;
    this.clearMedia();
    this.onScreenTimestamp = null;
    this.streamAnchor = null;
    this.shownFrames.reset();
  }

  dispose(): void {
    this.stop();
    this.receivedBytes.reset();
    this.audio.close();
    this.limiter.reset();
  }

  recordBytes(byteLength: number): void {
    this.receivedBytes.record(performance.now(), byteLength);
  }

  pushVideo(message: MediaMessage): void {
    if (!this.stream || this.paused) return;
    const now = performance.now();
    this.localClock.observe(message.timestamp, now);
    this.arrivals.observe(message.timestamp, now);
    if (!canDecodeFrames()) {
      this.buffer.push({ timestamp: message.timestamp, bitmap: null });
      return;
    }
    if (this.decodesInFlight >= MAX_DECODES_IN_FLIGHT) {
      // Decodes pile up: the device cannot keep up, the link is not to blame.
      this.meter.recordDropped(1);
      this.meter.recordRenderDropped(1);
      this.renderDroppedSinceReport++;
      return;
    }
    this.decodesInFlight++;
    this.meter.decodeStarted(now);
    const generation = this.generation;
    decodeJpeg(message.payload).then(
      (bitmap) => {
        this.decodesInFlight--;
        this.meter.decodeEnded(performance.now());
        if (generation !== this.generation) {
          bitmap.close();
          return;
        }
        this.buffer.push({ timestamp: message.timestamp, bitmap });
      },
      () => {
        this.decodesInFlight--;
        this.meter.decodeEnded(performance.now());
        if (generation === this.generation) this.meter.recordDropped(1);
      },
    );
  }

  pushAudio(message: MediaMessage): void {
    if (!this.stream?.audio || this.paused) return;
    this.arrivals.observe(message.timestamp, performance.now());
    this.audio.push(message.timestamp, message.payload);
  }

  /**
   * Back to the live edge: the jitter buffer keeps only its newest frame, buffered audio goes and primes again
   * from the next chunk, and the local clock starts over from the next arrival.
   */
  jumpToLive(): void {
    if (!this.stream) return;
    this.generation++;
    this.buffer.keepNewest();
    this.audio.reset();
    this.localClock.reset();
    this.lastClock = Number.NEGATIVE_INFINITY;
    const newest = this.buffer.newestTimestamp;
    if (newest !== undefined) this.lastClock = newest;
  }

  /** The `viewer-limits` to send now (the player's CPU limit changed, or a new stream needs it), or null. */
  takeViewerLimits(): ViewerLimitsMessage | null {
    if (!this.limitsDue) return null;
    this.limitsDue = false;
    return { type: 'viewer-limits', maxFps: this.limiter.limit };
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
    this.audio.setVolume(volume, muted);
  }

  async enableAudio(): Promise<void> {
    await this.audio.resume();
  }

  /** The `feedback` report for the interval since the previous call. */
  takeFeedback(timestamp: number): FeedbackMessage {
    const { dropped, late } = this.buffer.takeCounters();
    this.meter.recordDropped(dropped);
    this.meter.recordLate(late);
    const stream = this.stream;
    if (stream) {
      const sample = {
        shownFrames: this.shownSinceReport,
        renderDroppedFrames: this.renderDroppedSinceReport,
      };
      if (this.limiter.report(sample, this.viewerFps(), stream.fps, performance.now())) this.limitsDue = true;
    }
    this.shownSinceReport = 0;
    this.renderDroppedSinceReport = 0;
    return this.meter.report({ timestamp, bufferMs: this.bufferMs(), targetMs: this.targetMs() });
  }

  readStats(): PlayoutStats {
    const now = performance.now();
    const totals = this.meter.total;
    const liveDistanceMs = this.liveDistanceMs(now);
    const edge = this.liveEdgeAt(now);
    const heard = this.audio.now();
    return {
      ...this.audio.readStats(),
      renderDroppedFrames: totals.renderDroppedFrames,
      maxFps: this.limiter.limit,
      liveDistanceMs,
      atLiveEdge: liveDistanceMs === null || liveDistanceMs <= this.options.liveThresholdMs,
      audioDistanceMs: edge === null || heard === null ? null : Math.max(0, Math.round(edge - heard)),
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
    const held = this.buffer.size;
    const frame = clock === null ? undefined : this.buffer.takeDue(clock);
    const skipped = held - this.buffer.size - (frame ? 1 : 0);
    // Frames skipped because display ticks came too far apart were the page's own doing.
    if (skipped > 0 && this.slowTick(now)) {
      this.meter.recordRenderDropped(skipped);
      this.renderDroppedSinceReport += skipped;
    }
    if (this.lastTickAt !== null) this.meter.recordStall(now - this.lastTickAt);
    this.lastTickAt = now;
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
    this.shownSinceReport++;
    this.lastProgressAt = now;
    if (this.current !== 'playing') this.setState('playing');
  }

  /** Channel time at the playhead: audio is the master clock whenever it is audible. */
  private clockNow(now: number): number | null {
    const clock = this.audio.now() ?? this.localClock.now(now);
    if (clock === null) return null;
    this.lastClock = Math.max(this.lastClock, clock);
    return this.lastClock;
  }

  /**
   * Video held ahead of the playhead: up to the newest frame waiting (or on screen), and for a reduced rate the
   * time that frame stands for beyond the channel's own frame interval. A viewer sent 5 of 30 fps has no frame
   * waiting for most of each 200 ms; read as an empty buffer, the server stepped it down for a low buffer it could
   * never fill, and stepping down is what had reduced its rate.
   */
  private bufferMs(): number {
    const clock = this.clockNow(performance.now());
    const newest = this.buffer.newestTimestamp ?? this.onScreenTimestamp;
    if (clock === null || newest === null) return 0;
    const extraMs = this.stream ? reducedRateExtraMs(this.stream.fps, this.viewerFps()) : 0;
    return Math.max(0, newest + extraMs - clock);
  }

  private targetMs(): number {
    return this.audio.now() != null ? this.audio.baseDelayMs : this.options.videoBufferMs;
  }

  /** The channel clock now (the later of the `stream` message's time run on, and the newest arrivals). */
  private liveEdgeAt(now: number): number | null {
    const anchor = this.streamAnchor;
    const fromStream = anchor ? anchor.channelTime + (now - anchor.at) : null;
    const fromArrivals = this.arrivals.now(now);
    if (fromStream === null) return fromArrivals;
    return fromArrivals === null ? fromStream : Math.max(fromStream, fromArrivals);
  }

  private liveDistanceMs(now: number): number | null {
    const edge = this.liveEdgeAt(now);
    if (edge === null || this.onScreenTimestamp === null) return null;
    return Math.max(0, Math.round(edge - this.onScreenTimestamp));
  }

  /** The rate this viewer is sent now; 0 without a stream. */
  private viewerFps(): number {
    return this.stream ? this.options.viewerFps() : 0;
  }

  private slowTick(now: number): boolean {
    const fps = this.viewerFps();
    if (this.lastTickAt === null || fps <= 0) return false;
    return now - this.lastTickAt > (SLOW_TICK_FRAMES * 1000) / fps;
  }

  private stallMs(): number {
    const fps = this.viewerFps();
    return fps > 0 ? Math.max(MIN_STALL_MS, 3_000 / fps) : MIN_STALL_MS;
  }

  private setState(state: PlayoutState): void {
    this.lastProgressAt = performance.now();
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange(state);
  }

  private clearMedia(): void {
    this.generation++;
    this.buffer.clear();
    this.buffer.takeCounters();
    this.audio.reset();
    this.localClock.reset();
    this.arrivals.reset();
    this.lastTickAt = null;
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
