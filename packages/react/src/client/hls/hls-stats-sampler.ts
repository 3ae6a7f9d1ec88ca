import { EMPTY_STATS, type LiveStreamStats } from '../state/snapshot';
import { HLS_STATS_INTERVAL_MS } from './hls-config';
import type { HlsLevel } from './hls-levels';
import { type FrameCounter, readHlsStats } from './hls-stats';
import type { HlsInstance } from './hls-types';

/** What the stats are read from; null while nothing plays. */
export interface HlsStatsSource {
  video: HTMLVideoElement;
  hls: HlsInstance | null;
  levels: readonly HlsLevel[];
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
    const reading = readHlsStats(source.video, source.hls, source.levels, this.counter, {
      now: performance.now(),
      // Latency compares with EXT-X-PROGRAM-DATE-TIME, which is wall-clock time.
      wallClock: Date.now(),
    });
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
