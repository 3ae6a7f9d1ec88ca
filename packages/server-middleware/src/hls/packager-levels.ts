import type { X264Preset } from '../ffmpeg';
import type { HlsRendition } from './renditions';

/** What a packager run encodes at one level: which renditions, with which x264 preset. */
export interface PackagerLevel {
  preset: X264Preset;
  /** Lowest first, a prefix of the full ladder. */
  renditions: HlsRendition[];
}

/**
 * The levels a packager sheds down to, full output first: the whole ladder at `veryfast`, then at `ultrafast`
 * (about half the encode time, for some quality at the same bitrate), then the top rendition dropped one at a
 * time down to the lowest alone. The master playlist keeps every rendition; a shed one is served the highest
 * one still encoded (its files, in `LiveWindow`).
 */
export function packagerLevels(renditions: readonly HlsRendition[]): PackagerLevel[] {
  const all = [...renditions];
  const levels: PackagerLevel[] = [
    { preset: 'veryfast', renditions: all },
    { preset: 'ultrafast', renditions: all },
  ];
  for (let count = all.length - 1; count >= 1; count--) {
    levels.push({ preset: 'ultrafast', renditions: all.slice(0, count) });
  }
  return levels;
}
