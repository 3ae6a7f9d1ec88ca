import type { ProbeResult } from '../ffmpeg';
import type { SourceKind } from '../source/video-source';

/** What a channel outputs: the raw frames every rung is encoded from, and its audio. */
export interface ChannelFormat {
  width: number;
  height: number;
  fps: number;
  hasAudio: boolean;
  /** Loop length for files; null for inputs without an end. */
  durationSec: number | null;
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/** The output of a probed input under `maxFps` and `maxHeight`: even sizes (JPEG 4:2:0), aspect ratio kept. */
export function channelFormat(
  probe: ProbeResult,
  kind: SourceKind,
  maxFps: number,
  maxHeight: number | null,
): ChannelFormat {
  const height = maxHeight !== null && probe.height > maxHeight ? maxHeight : probe.height;
  const width = (probe.width * height) / probe.height;
  const fps = Math.min(probe.fps ?? maxFps, maxFps);
  return {
    width: even(width),
    height: even(height),
    fps: Math.round(fps * 1000) / 1000,
    hasAudio: probe.hasAudio,
    durationSec: kind === 'file' ? probe.durationSec : null,
  };
}
