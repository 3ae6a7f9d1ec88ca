import { EMPTY_STATS, type HlsLevel, type LiveStreamStats } from '../state/snapshot';
import type { HlsInstance } from './hls-js';

// HLS playback's numbers for the stats readout: read from the `<video>` and hls.js on a steady cadence.

/** How often the player reads latency, buffer, bitrate and frame counts. */
const HLS_STATS_INTERVAL_MS = 500;

/** The browser's running frame total at the last reading, to turn it into a rate. */
interface FrameCounter {
  frames: number;
  at: number;
}

/**
 * Latency is `now − EXT-X-PROGRAM-DATE-TIME` of the playhead: like the WebSocket path's `now − timestamp`, it is
 * glass-to-glass when the packager stamps wall-clock time and the clocks agree. Without dates it falls back to
 * hls.js's distance to the live edge, which leaves out the time the newest segment took to be made.
 */
function readLatencyMs(video: HTMLVideoElement, hls: HlsInstance | null, now: number): number | null {
  const playing = hls ? hls.playingDate : nativePlayingDate(video);
  if (playing && Number.isFinite(playing.getTime())) return Math.max(0, Math.round(now - playing.getTime()));
  if (hls && Number.isFinite(hls.latency) && hls.latency > 0) return Math.round(hls.latency * 1000);
  return null;
}

/** Safari's `getStartDate()` is the PROGRAM-DATE-TIME of `currentTime` 0. */
function nativePlayingDate(video: HTMLVideoElement): Date | null {
  const startDate = (video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.();
  if (!startDate || Number.isNaN(startDate.getTime())) return null;
  return new Date(startDate.getTime() + video.currentTime * 1000);
}

/** HLS's live threshold when `liveThresholdMs` is left out and hls.js names no target: 2 × a 3 s target. */
const FALLBACK_HLS_LIVE_THRESHOLD_MS = 6_000;

/** Distance from the playhead to the live edge: hls.js's `latency`, or the end of native HLS's seekable range. */
function readLiveDistanceMs(video: HTMLVideoElement, hls: HlsInstance | null): number | null {
  if (hls) return Number.isFinite(hls.latency) && hls.latency > 0 ? Math.round(hls.latency * 1000) : null;
  const { seekable } = video;
  if (!seekable || seekable.length === 0) return null;
  return Math.max(0, Math.round((seekable.end(seekable.length - 1) - video.currentTime) * 1000));
}

/** `liveThresholdMs`, else twice the latency hls.js aims for. */
function liveThreshold(hls: HlsInstance | null, given: number | undefined): number {
  if (given !== undefined) return given;
  const target = hls?.targetLatency;
  return typeof target === 'number' && target > 0
    ? Math.round(target * 2000)
    : FALLBACK_HLS_LIVE_THRESHOLD_MS;
}

function readBufferMs(video: HTMLVideoElement): number {
  const { buffered, currentTime } = video;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered.start(index) <= currentTime && currentTime <= buffered.end(index)) {
      return Math.round((buffered.end(index) - currentTime) * 1000);
    }
  }
  return 0;
}

function readHlsStats(
  video: HTMLVideoElement,
  hls: HlsInstance | null,
  levels: readonly HlsLevel[],
  counter: FrameCounter,
  clock: { now: number; wallClock: number },
  liveThresholdMs?: number,
): { stats: LiveStreamStats; counter: FrameCounter } {
  const quality = video.getVideoPlaybackQuality?.();
  const frames = quality?.totalVideoFrames ?? 0;
  const elapsed = clock.now - counter.at;
  const fps = elapsed > 0 && frames >= counter.frames ? ((frames - counter.frames) * 1000) / elapsed : 0;
  const levelIndex = hls && hls.currentLevel >= 0 ? hls.currentLevel : null;
  const level = levelIndex === null ? undefined : levels[levelIndex];
  const liveDistanceMs = readLiveDistanceMs(video, hls);
  return {
    stats: {
      ...EMPTY_STATS,
      fps: Math.round(fps),
      rung: levelIndex,
      quality: null,
      level: level?.label ?? null,
      bufferMs: readBufferMs(video),
      latencyMs: readLatencyMs(video, hls, clock.wallClock),
      bitrateKbps: level?.bitrateKbps ?? 0,
      droppedFrames: quality?.droppedVideoFrames ?? 0,
      lateFrames: 0,
      decodeMs: 0,
      // The `<video>` plays the sound itself.
      audioPath: 'element',
      liveDistanceMs,
      atLiveEdge: liveDistanceMs === null || liveDistanceMs <= liveThreshold(hls, liveThresholdMs),
    },
    counter: { frames, at: clock.now },
  };
}

/** What the stats are read from; null while nothing plays. */
export interface HlsStatsSource {
  video: HTMLVideoElement;
  hls: HlsInstance | null;
  levels: readonly HlsLevel[];
  /** The `liveThresholdMs` option, if given. */
  liveThresholdMs?: number;
}

export interface HlsStatsSamplerDeps {
  source(): HlsStatsSource | null;
  /** The playhead moved since the last sample: playback runs, even if the browser sent no `playing`. */
  playheadMoved(): void;
  /** New stats were read. */
  changed(): void;
}

/**
 * Reads HLS playback stats on a steady cadence (the browser's frame counters turned into a rate, buffer, latency,
 * level), and watches the playhead between samples, since a stall can end without any event saying so.
 */
export class HlsStatsSampler {
  private current: LiveStreamStats = EMPTY_STATS;
  private counter: FrameCounter = { frames: 0, at: 0 };
  private lastTime = -1;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: HlsStatsSamplerDeps) {}

  get stats(): LiveStreamStats {
    return this.current;
  }

  start(): void {
    this.stop();
    this.counter = { frames: 0, at: performance.now() };
    this.timer = setInterval(() => this.tick(), HLS_STATS_INTERVAL_MS);
  }

  /** Nothing plays any more: no timer, and the stats of the next playback start from nothing. */
  reset(): void {
    this.stop();
    this.lastTime = -1;
    this.current = EMPTY_STATS;
  }

  /** Reads the stats now (a level switched, a level was chosen), not at the next tick. */
  refresh(): void {
    const source = this.deps.source();
    if (!source) return;
    const reading = readHlsStats(
      source.video,
      source.hls,
      source.levels,
      this.counter,
      {
        now: performance.now(),
        // Latency compares with EXT-X-PROGRAM-DATE-TIME, which is wall-clock time.
        wallClock: Date.now(),
      },
      source.liveThresholdMs,
    );
    this.counter = reading.counter;
    this.current = reading.stats;
    this.deps.changed();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const video = this.deps.source()?.video;
    if (!video) return;
    if (video.currentTime !== this.lastTime && !video.paused) this.deps.playheadMoved();
    this.lastTime = video.currentTime;
    this.refresh();
  }
}
