import type { FrameVerdict } from './simulated-buffer';

export interface LatencySummary {
  mean: number;
  min: number;
  max: number;
}

/** One line of `watch` output: what happened during the last interval (normally one second). */
export interface WatchSample {
  /** Seconds since the first stream started, at the end of the interval. */
  elapsedS: number;
  videoId: string;
  /** Video frames received per second. */
  fps: number;
  rung: number;
  /** JPEG quality of that rung. */
  quality: number | null;
  mode: 'auto' | 'locked';
  /** Now minus the on-air time of each frame in the interval; null when no frame came. */
  latencyMs: LatencySummary | null;
  /** Payload bits per second, all media, then each kind, in kbit/s. */
  kbps: number;
  videoKbps: number;
  audioKbps: number;
  /** The simulated jitter buffer at the end of the interval. */
  bufferMs: number;
  bufferLevel: number;
  /** Frames the server skipped for this viewer, and frames that came after their playout time. */
  dropped: number;
  late: number;
}

export interface StreamPosition {
  videoId: string;
  rung: number;
  quality: number | null;
  mode: 'auto' | 'locked';
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Adds up the media of one interval; `take` closes it and starts the next. */
export class IntervalStats {
  private frames = 0;
  private videoBytes = 0;
  private audioBytes = 0;
  private dropped = 0;
  private late = 0;
  private latencies: number[] = [];

  constructor(private intervalStartedAt: number) {}

  addVideo(payloadBytes: number, latencyMs: number, verdict: FrameVerdict): void {
    this.frames += 1;
    this.videoBytes += payloadBytes;
    this.latencies.push(latencyMs);
    this.dropped += verdict.skipped;
    if (verdict.late) this.late += 1;
  }

  addAudio(payloadBytes: number): void {
    this.audioBytes += payloadBytes;
  }

  take(
    now: number,
    elapsedS: number,
    position: StreamPosition,
    buffer: { bufferMs: number; level: number },
  ): WatchSample {
    const seconds = Math.max(now - this.intervalStartedAt, 1) / 1000;
    const kbps = (bytes: number) => round1((bytes * 8) / 1000 / seconds);
    const sample: WatchSample = {
      elapsedS: round1(elapsedS),
      ...position,
      fps: round1(this.frames / seconds),
      latencyMs: summarise(this.latencies),
      kbps: kbps(this.videoBytes + this.audioBytes),
      videoKbps: kbps(this.videoBytes),
      audioKbps: kbps(this.audioBytes),
      bufferMs: Math.round(buffer.bufferMs),
      bufferLevel: Math.round(buffer.level * 100) / 100,
      dropped: this.dropped,
      late: this.late,
    };
    this.intervalStartedAt = now;
    this.frames = 0;
    this.videoBytes = 0;
    this.audioBytes = 0;
    this.dropped = 0;
    this.late = 0;
    this.latencies = [];
    return sample;
  }
}

function summarise(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { mean: round1(sum / values.length), min: round1(min), max: round1(max) };
}
