/** `liveStream(videos, { hls })`: HLS packaging, off by default. `true` takes every default. */
export interface HlsOptions {
  /**
   * Heights of the renditions, lowest first. Rungs taller than the source become one rendition at the source's
   * height (never upscaled), so a small source still gets one. Default `[360, 480, 720]`; 1–8 rungs, 16–4320.
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

export const DEFAULT_HLS_LADDER: readonly number[] = Object.freeze([360, 480, 720]);
const MAX_HLS_RUNGS = 8;

function hlsError(name: string, expected: string, value: unknown): TypeError {
  const shown = JSON.stringify(value) ?? String(value);
  return new TypeError(`liveStream: option "${name}" must be ${expected}, got ${shown}`);
}

function numberIn(
  options: HlsOptions,
  name: keyof HlsOptions,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    value >= min &&
    value <= max;
  if (!ok)
    throw hlsError(`hls.${name}`, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value);
  return value;
}

function resolveLadder(value: HlsOptions['ladder']): readonly number[] {
  if (value === undefined) return DEFAULT_HLS_LADDER;
  const expected = `an array of 1 to ${MAX_HLS_RUNGS} ascending integer heights from 16 to 4320`;
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_HLS_RUNGS) {
    throw hlsError('hls.ladder', expected, value);
  }
  value.forEach((height: unknown, index) => {
    const previous = index > 0 ? (value[index - 1] as number) : 0;
    if (typeof height !== 'number' || !Number.isInteger(height) || height < 16 || height > 4320) {
      throw hlsError('hls.ladder', expected, value);
    }
    if (height <= previous) throw hlsError('hls.ladder', expected, value);
  });
  return Object.freeze([...value]);
}

/** `undefined`/`false` → null (HLS off); `true` → defaults; an object → checked, a `TypeError` naming the option. */
export function resolveHlsOptions(value: unknown): ResolvedHlsOptions | null {
  if (value === undefined || value === false) return null;
  if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw hlsError('hls', 'true, false or an object of HLS options', value);
  }
  const options: HlsOptions = value === true ? {} : (value as HlsOptions);
  for (const key of Object.keys(options)) {
    if (!HLS_OPTION_NAMES.has(key)) throw new TypeError(`liveStream: unknown option "hls.${key}"`);
  }
  return {
    ladder: resolveLadder(options.ladder),
    segmentSeconds: numberIn(options, 'segmentSeconds', 1, 1, 6, false),
    windowSegments: numberIn(options, 'windowSegments', 6, 3, 60, true),
    idleTimeoutMs: numberIn(options, 'idleTimeoutMs', 30_000, 100, 86_400_000, true),
    firstSegmentTimeoutMs: numberIn(options, 'firstSegmentTimeoutMs', 15_000, 1_000, 120_000, true),
  };
}
