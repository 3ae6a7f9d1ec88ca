import type { RungSpec } from '../ladder/rung-plan';
import { optionError } from './option-checks';

/** A rung of the `ladder` option: a JPEG quality at the source's size, or a height (omitted: the source's) and one. */
export type LadderEntry = number | { height?: number | null; quality: number };

/** The longest ladder; each rung is an encoder while watched. */
export const MAX_LADDER_RUNGS = 16;

const HEIGHT = { min: 16, max: 4320 };
const QUALITY = { min: 1, max: 100 };

const isInteger = (value: unknown, { min, max }: { min: number; max: number }): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function toSpec(entry: unknown): RungSpec | null {
  if (isInteger(entry, QUALITY)) return { height: null, quality: entry };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const { height, quality, ...rest } = entry as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !isInteger(quality, QUALITY)) return null;
  if (height == null) return { height: null, quality };
  return isInteger(height, HEIGHT) ? { height, quality } : null;
}

/**
 * `fallback` when unset, else the rungs: 1 to 16 entries, each a JPEG quality 1–100 (at the source's size: the
 * ladder of qualities from before sizes) or `{ height?, quality }` with a height 16–4320. Order does not matter:
 * each channel orders its rungs by bitrate (`planRungs`).
 */
export function ladderOption(value: unknown, fallback: readonly LadderEntry[]): readonly RungSpec[] {
  const entries = value === undefined ? fallback : value;
  const specs = Array.isArray(entries) ? entries.map(toSpec) : [];
  if (specs.length < 1 || specs.length > MAX_LADDER_RUNGS || specs.some((spec) => spec === null)) {
    throw optionError(
      'ladder',
      `an array of 1 to ${MAX_LADDER_RUNGS} JPEG qualities (integers ${QUALITY.min}–${QUALITY.max}) or ` +
        `{ height, quality } objects (height an integer ${HEIGHT.min}–${HEIGHT.max}, omitted for the source's)`,
      value,
    );
  }
  return Object.freeze(specs as RungSpec[]);
}

/** The JPEG qualities of the configured rungs, for `welcome.ladder` (clients from before `stream.rungs`). */
export function ladderQualities(specs: readonly RungSpec[]): number[] {
  return specs.map((spec) => spec.quality);
}
