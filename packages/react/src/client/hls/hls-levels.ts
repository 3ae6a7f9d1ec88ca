import type { HlsLevelInfo } from './hls-types';

/** One rendition of the master playlist, as the quality menu offers it. */
export interface HlsLevel {
  /** Index in `hls.levels`: what `setQuality` takes. */
  index: number;
  /** "480p"; with the bitrate added when two renditions share a height ("480p 900 kbps"). */
  label: string;
  width: number;
  height: number;
  bitrateKbps: number;
}

export function toHlsLevels(levels: readonly HlsLevelInfo[]): HlsLevel[] {
  const heights = levels.map((level) => level.height);
  return levels.map((level, index) => {
    const bitrateKbps = Math.round(level.bitrate / 1000);
    const shared = heights.filter((height) => height === level.height).length > 1;
    const label =
      level.height > 0
        ? shared
          ? `${level.height}p ${bitrateKbps} kbps`
          : `${level.height}p`
        : `${bitrateKbps} kbps`;
    return { index, label, width: level.width, height: level.height, bitrateKbps };
  });
}
