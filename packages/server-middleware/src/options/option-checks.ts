/**
 * The checks every options set of the package shares (`liveStream()`, its `hls` object, `memoryHub()`,
 * `redisHub()`), so a bad value is refused the same way everywhere: a `TypeError` that names the factory, the
 * option, what it must be and what it got, thrown when the factory is called (STYLE.md, "Middleware shape").
 */

/** The factory whose options are checked: the first word of every message. */
export type OptionOwner = 'liveStream' | 'memoryHub' | 'redisHub';

/** A rate limit: up to `burst` at once, and `sustained` more per `windowMs` after that. */
export interface RateLimit {
  burst: number;
  sustained: number;
  windowMs: number;
}

/** The bounds of each field of a `RateLimit` option: integers, at least one message, at most an hour's window. */
const RATE_LIMIT_RANGES = {
  burst: { min: 1, max: 100_000 },
  sustained: { min: 1, max: 1_000_000 },
  windowMs: { min: 100, max: 3_600_000 },
} as const satisfies Record<keyof RateLimit, { min: number; max: number }>;

function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A circular object (a client instance passed where an option object belongs).
    return String(value);
  }
}

/** `<owner>: option "<name>" must be <expected>, got <value>`. */
export function optionError(
  name: string,
  expected: string,
  value: unknown,
  owner: OptionOwner = 'liveStream',
): TypeError {
  return new TypeError(`${owner}: option "${name}" must be ${expected}, got ${shown(value)}`);
}

/** True for a finite number from `min` to `max`, and a whole one unless `integer` is false. */
function isNumberIn(value: unknown, min: number, max: number, integer = true): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    value >= min &&
    value <= max
  );
}

/** Bounds of a numeric option; `integer: false` lets fractions through. */
export interface NumberBounds {
  min: number;
  max: number;
  integer?: boolean;
}

/** `fallback` when the option is unset, else the value if it is within `bounds`; otherwise a `TypeError`. */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  { min, max, integer = true }: NumberBounds,
  owner?: OptionOwner,
): number {
  if (value === undefined) return fallback;
  if (!isNumberIn(value, min, max, integer)) {
    throw optionError(name, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value, owner);
  }
  return value;
}

/** Bounds of an array of strictly ascending integers (a ladder of qualities or of heights). */
export interface AscendingBounds {
  /** What the entries are, for the message: "JPEG qualities", "heights". */
  entries: string;
  maxLength: number;
  min: number;
  max: number;
}

/** `fallback` when unset, else a frozen copy of 1 to `maxLength` strictly ascending integers in range. */
export function ascendingIntegersOption(
  name: string,
  value: unknown,
  fallback: readonly number[],
  { entries, maxLength, min, max }: AscendingBounds,
): readonly number[] {
  if (value === undefined) return fallback;
  const ascending =
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= maxLength &&
    value.every(
      (entry: unknown, index) => isNumberIn(entry, min, max) && (index === 0 || entry > value[index - 1]),
    );
  if (!ascending) {
    const expected = `an array of 1 to ${maxLength} ascending integer ${entries} from ${min} to ${max}`;
    throw optionError(name, expected, value);
  }
  return Object.freeze([...(value as number[])]);
}

/** `fallback` when unset, else a copy of the `{ burst, sustained, windowMs }` object if every field is in range. */
export function rateLimitOption(name: string, value: unknown, fallback: RateLimit): RateLimit {
  if (value === undefined) return fallback;
  const limit = value as Partial<Record<keyof RateLimit, unknown>> | null;
  const fits =
    typeof limit === 'object' &&
    limit !== null &&
    Object.entries(RATE_LIMIT_RANGES).every(([field, { min, max }]) =>
      isNumberIn(limit[field as keyof RateLimit], min, max),
    );
  if (!fits) {
    const { burst, sustained, windowMs } = RATE_LIMIT_RANGES;
    const expected =
      `an object { burst: ${burst.min}–${burst.max}, sustained: ${sustained.min}–${sustained.max}, ` +
      `windowMs: ${windowMs.min}–${windowMs.max} } of integers`;
    throw optionError(name, expected, value);
  }
  const { burst, sustained, windowMs } = value as RateLimit;
  return { burst, sustained, windowMs };
}

/** Throws unless every key of `options` is a known option name; `prefix` names a nested object ("hls."). */
export function refuseUnknownOptions(options: object, known: ReadonlySet<string>, prefix = ''): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`liveStream: unknown option "${prefix}${key}"`);
  }
}
