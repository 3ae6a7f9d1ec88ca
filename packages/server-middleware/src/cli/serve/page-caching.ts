/**
 * Vite names everything under `assets/` after its content, so a changed file is a new URL: those are kept by
 * browsers and proxies for a year without asking again (RFC 8246 `immutable`).
 */
export const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The page itself and any file with a fixed name: kept, but checked (ETag) before each use. */
export const REVALIDATE_CACHE_CONTROL = 'no-cache';

/** The `Cache-Control` of a file of the built page, by its path in the page folder (`/` separators). */
export function cacheControlFor(file: string): string {
  return file.startsWith('assets/') ? HASHED_ASSET_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL;
}
