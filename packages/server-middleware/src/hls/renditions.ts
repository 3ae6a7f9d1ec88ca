import type { HlsEncodeRung } from '../ffmpeg';

/** One rendition of a channel's HLS ladder: what the encoder gets and what the master playlist says. */
export interface HlsRendition extends HlsEncodeRung {
  fps: number;
  /** Peak bits per second of the rendition (video + audio + container), for `BANDWIDTH`. */
  bandwidth: number;
  /** Average bits per second, for `AVERAGE-BANDWIDTH`. */
  averageBandwidth: number;
  /** RFC 6381 codecs string, e.g. `avc1.4d401f,mp4a.40.2`. */
  codecs: string;
}

export const HLS_AUDIO_KBPS = 128;
/** Matches rendition names in URLs: the height and a `p`. */
export const RENDITION_NAME_PATTERN = /^\d{2,4}p$/;

// Bits per pixel per frame at x264 veryfast: enough for talking heads and test cards without blocking.
const BITS_PER_PIXEL = 0.1;
const MIN_VIDEO_KBPS = 100;
// fMP4 boxes add a few percent over the elementary streams.
const CONTAINER_OVERHEAD = 1.05;

/** H.264 levels by frame size and macroblock rate (ITU-T H.264 Table A-1); 3.0 is the floor every player has. */
const LEVELS: readonly { name: string; idc: number; maxFrameMbs: number; maxMbPerSec: number }[] = [
  { name: '3.0', idc: 30, maxFrameMbs: 1620, maxMbPerSec: 40_500 },
  { name: '3.1', idc: 31, maxFrameMbs: 3600, maxMbPerSec: 108_000 },
  { name: '3.2', idc: 32, maxFrameMbs: 5120, maxMbPerSec: 216_000 },
  { name: '4.0', idc: 40, maxFrameMbs: 8192, maxMbPerSec: 245_760 },
  { name: '4.2', idc: 42, maxFrameMbs: 8704, maxMbPerSec: 522_240 },
  { name: '5.1', idc: 51, maxFrameMbs: 36_864, maxMbPerSec: 983_040 },
  { name: '5.2', idc: 52, maxFrameMbs: 36_864, maxMbPerSec: 2_073_600 },
];

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

export function h264Level(width: number, height: number, fps: number): { name: string; idc: number } {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const level =
    LEVELS.find((entry) => frameMbs <= entry.maxFrameMbs && frameMbs * fps <= entry.maxMbPerSec) ??
    (LEVELS.at(-1) as (typeof LEVELS)[number]);
  return { name: level.name, idc: level.idc };
}

/**
 * The ladder for a source of `sourceWidth × sourceHeight`: every rung up to the source's height, and rungs
 * above it replaced by one at the source's height, so nothing is upscaled and a small source still gets one
 * rendition at its own size.
 */
export function planRenditions(
  source: { width: number; height: number; fps: number; hasAudio: boolean },
  ladder: readonly number[],
): HlsRendition[] {
  const heights = [...new Set(ladder.map((height) => even(Math.min(height, source.height))))].sort(
    (a, b) => a - b,
  );
  return heights.map((height) => {
    const width = even((source.width * height) / source.height);
    const videoKbps = Math.max(
      MIN_VIDEO_KBPS,
      Math.round((width * height * source.fps * BITS_PER_PIXEL) / 1000),
    );
    const maxKbps = Math.round(videoKbps * 1.2);
    const audioKbps = source.hasAudio ? HLS_AUDIO_KBPS : 0;
    const level = h264Level(width, height, source.fps);
    // Main profile (0x4d), constraint_set1 (0x40) as x264 writes it for Main, then the level.
    const avc = `avc1.4d40${level.idc.toString(16).padStart(2, '0')}`;
    return {
      name: `${height}p`,
      width,
      height,
      fps: source.fps,
      videoKbps,
      maxKbps,
      bufferKbps: videoKbps * 2,
      level: level.name,
      bandwidth: Math.ceil((maxKbps + audioKbps) * 1000 * CONTAINER_OVERHEAD),
      averageBandwidth: Math.ceil((videoKbps + audioKbps) * 1000 * CONTAINER_OVERHEAD),
      codecs: source.hasAudio ? `${avc},mp4a.40.2` : avc,
    };
  });
}
