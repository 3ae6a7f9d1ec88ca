import { HLS_DEFAULTS } from './defaults';
import {
  ascendingIntegersOption,
  type NumberBounds,
  numberOption,
  optionError,
  refuseUnknownOptions,
} from './option-checks';

/** `liveStream(videos, { hls })`: HLS packaging, off by default. `true` takes every default (`HLS_DEFAULTS`). */
export interface HlsOptions {
  /**
   * Heights of the renditions, lowest first. Rungs taller than the source become one rendition at the source's
   * height (never upscaled), so a small source still gets one. Default [360, 480, 720]; 1–8 rungs, 16–4320.
   */
  ladder?: readonly number[];
  /**
   * Segment length in seconds, also the keyframe interval. Default 1 (a player at the live edge is 1–2 s
   * behind; hls.js' default sync of three segments puts it ~3–4 s behind); 1–6.
   */
  segmentSeconds?: number;
  /** Segments listed in each rendition playlist. Default 6; 3–60. */
  windowSegments?: number;
  /** How long a channel keeps packaging after its last HLS request. Default 30 000 ms; 100–86 400 000. */
  idleTimeoutMs?: number;
  /** How long a playlist request waits for the first segment before a 503. Default 15 000 ms; 1 000–120 000. */
  firstSegmentTimeoutMs?: number;
}

export interface ResolvedHlsOptions {
  ladder: readonly number[];
  segmentSeconds: number;
  windowSegments: number;
  idleTimeoutMs: number;
  firstSegmentTimeoutMs: number;
}

const HLS_OPTION_NAMES = new Set<string>([
  'ladder',
  'segmentSeconds',
  'windowSegments',
  'idleTimeoutMs',
  'firstSegmentTimeoutMs',
] satisfies (keyof HlsOptions)[]);

const MAX_HLS_RUNGS = 8;

/** Limits of the numeric HLS options; integers unless `integer: false`. */
const NUMBER_BOUNDS = {
  segmentSeconds: { min: 1, max: 6, integer: false },
  windowSegments: { min: 3, max: 60 },
  idleTimeoutMs: { min: 100, max: 86_400_000 },
  firstSegmentTimeoutMs: { min: 1_000, max: 120_000 },
} as const satisfies Partial<Record<keyof HlsOptions, NumberBounds>>;

/** `undefined`/`false` → null (HLS off); `true` → defaults; an object → checked, a `TypeError` naming the option. */
export function resolveHlsOptions(value: unknown): ResolvedHlsOptions | null {
  if (value === undefined || value === false) return null;
  if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw optionError('hls', 'true, false or an object of HLS options', value);
  }
  const options: HlsOptions = value === true ? {} : (value as HlsOptions);
  refuseUnknownOptions(options, HLS_OPTION_NAMES, 'hls.');
  const bounded = (name: keyof typeof NUMBER_BOUNDS) =>
    numberOption(`hls.${name}`, options[name], HLS_DEFAULTS[name], NUMBER_BOUNDS[name]);
  return {
    ladder: ascendingIntegersOption('hls.ladder', options.ladder, HLS_DEFAULTS.ladder, {
      entries: 'heights',
      maxLength: MAX_HLS_RUNGS,
      min: 16,
      max: 4320,
    }),
    segmentSeconds: bounded('segmentSeconds'),
    windowSegments: bounded('windowSegments'),
    idleTimeoutMs: bounded('idleTimeoutMs'),
    firstSegmentTimeoutMs: bounded('firstSegmentTimeoutMs'),
  };
}
