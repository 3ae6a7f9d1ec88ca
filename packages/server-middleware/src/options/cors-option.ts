import { optionError } from './option-checks';

/** The `cors` option: `true` for any origin (`*`), `false` for none, or the origins allowed (a list or a predicate). */
export type CorsOption = boolean | readonly string[] | ((origin: string) => boolean);

/**
 * What the CORS headers of a response say for a request's `Origin`: `*` (any origin, no credentials), the origin
 * itself (it was allowed by name, credentials too), or null (no CORS headers: the browser keeps the answer from
 * the page).
 */
export type CorsPolicy = (origin: string | undefined) => CorsGrant | null;

export interface CorsGrant {
  allowOrigin: string;
  /** Only for an origin the host named: a `*` answer may never carry cookies (Fetch standard, CORS check). */
  credentials: boolean;
}

const ANY_ORIGIN: CorsGrant = Object.freeze({ allowOrigin: '*', credentials: false });

/** The `cors` option checked and turned into the policy the routes apply; throws a `TypeError` naming it. */
export function corsOption(value: unknown, fallback: boolean): CorsPolicy | null {
  const given = value === undefined ? fallback : value;
  if (given === false) return null;
  if (given === true) return () => ANY_ORIGIN;
  if (typeof given === 'function') {
    const allowed = given as (origin: string) => unknown;
    return (origin) =>
      origin !== undefined && allowed(origin) === true ? { allowOrigin: origin, credentials: true } : null;
  }
  if (!Array.isArray(given) || given.some((entry) => typeof entry !== 'string')) {
    throw optionError('cors', 'true, false, an array of origin strings or a function', value);
  }
  const origins = new Set<string>(given);
  return (origin) =>
    origin !== undefined && origins.has(origin) ? { allowOrigin: origin, credentials: true } : null;
}
