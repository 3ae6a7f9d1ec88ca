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

/** The options that bound a channel's output. */
export interface OutputLimits {
  maxFps: number;
  maxHeight: number | null;
  /** width × height × fps; null: no cap. */
  maxPixelRate: number | null;
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

function evenAtMost(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}

/** Pixels per second a format makes the channel decode, scale and encode from. */
export function pixelRate(format: Pick<ChannelFormat, 'width' | 'height' | 'fps'>): number {
  return format.width * format.height * format.fps;
}

/** The output of a probed input under `maxFps` and `maxHeight` alone, before any pixel-rate cap. */
function cappedFormat(probe: ProbeResult, kind: SourceKind, maxFps: number, maxHeight: number | null) {
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

/**
 * The output of a probed input under `maxFps`, `maxHeight` and `maxPixelRate`: even sizes (JPEG 4:2:0), aspect
 * ratio kept. Over the pixel rate, the size shrinks (never the frame rate: smoothness is what live is about) to the
 * largest even size that fits.
 */
export function channelFormat(probe: ProbeResult, kind: SourceKind, limits: OutputLimits): ChannelFormat {
  const format = cappedFormat(probe, kind, limits.maxFps, limits.maxHeight);
  const cap = limits.maxPixelRate;
  if (cap === null || pixelRate(format) <= cap) return format;
  const shrink = Math.sqrt(cap / pixelRate(format));
  const height = evenAtMost(format.height * shrink);
  return { ...format, width: evenAtMost((probe.width * height) / probe.height), height };
}

/**
 * Why a probed input is over `maxPixelRate` (`"7680x4320 at 30 fps is 995 328 000 pixels/s, over maxPixelRate
 * (124 416 000)"`), or null when it fits.
 */
export function overPixelRate(probe: ProbeResult, kind: SourceKind, limits: OutputLimits): string | null {
  const format = cappedFormat(probe, kind, limits.maxFps, limits.maxHeight);
  const cap = limits.maxPixelRate;
  if (cap === null || pixelRate(format) <= cap) return null;
  const spaced = (value: number) => String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return (
    `${format.width}x${format.height} at ${format.fps} fps is ${spaced(pixelRate(format))} pixels/s, ` +
    `over maxPixelRate (${spaced(cap)})`
  );
}
