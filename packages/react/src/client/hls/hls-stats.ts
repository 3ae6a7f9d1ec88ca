import type { LiveStreamStats } from '../state/snapshot';
import type { HlsLevel } from './hls-levels';
import type { HlsInstance } from './hls-types';

/** The browser's running frame total at the last reading, to turn it into a rate. */
export interface FrameCounter {
  frames: number;
  at: number;
}

/**
 * Latency is `now − EXT-X-PROGRAM-DATE-TIME` of the playhead: like the WebSocket path's `now − timestamp`, it is
 * glass-to-glass when the packager stamps wall-clock time and the clocks agree. Without dates it falls back to
 * hls.js's distance to the live edge, which leaves out the time the newest segment took to be made.
 */
export function readLatencyMs(video: HTMLVideoElement, hls: HlsInstance | null, now: number): number | null {
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

export function readBufferMs(video: HTMLVideoElement): number {
  const { buffered, currentTime } = video;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered.start(index) <= currentTime && currentTime <= buffered.end(index)) {
      return Math.round((buffered.end(index) - currentTime) * 1000);
    }
  }
  return 0;
}

export function readHlsStats(
  video: HTMLVideoElement,
  hls: HlsInstance | null,
  levels: readonly HlsLevel[],
  counter: FrameCounter,
  clock: { now: number; wallClock: number },
): { stats: LiveStreamStats; counter: FrameCounter } {
  const quality = video.getVideoPlaybackQuality?.();
  const frames = quality?.totalVideoFrames ?? 0;
  const elapsed = clock.now - counter.at;
  const fps = elapsed > 0 && frames >= counter.frames ? ((frames - counter.frames) * 1000) / elapsed : 0;
  const levelIndex = hls && hls.currentLevel >= 0 ? hls.currentLevel : null;
  const level = levelIndex === null ? undefined : levels[levelIndex];
  return {
    stats: {
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
    },
    counter: { frames, at: clock.now },
  };
}
