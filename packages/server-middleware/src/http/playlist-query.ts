/** A query that can go into a playlist as it came: URL characters only (no `"`, space or line break). */
const PLAIN_QUERY = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/;
const URI_ATTRIBUTE = /URI="([^"]*)"/g;

/**
 * The query string of a request (without `?`), or '' for none. A query with other characters is re-encoded, so
 * whatever a client sent can never break a playlist line or a quoted attribute.
 */
export function requestQuery(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return '';
  const query = url.slice(at + 1);
  return PLAIN_QUERY.test(query) ? query : new URLSearchParams(query).toString();
}

function withQuery(uri: string, query: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

/**
 * Carries the query of a playlist request onto every URI in the playlist (variant playlists, segments, the
 * `EXT-X-MAP` init segment, any `URI="…"` attribute), so a token given once on the master playlist's URL reaches
 * every request a player makes from it, with hls.js and native HLS alike (RFC 8216 §4.1: a URI line is any line
 * that is neither blank nor starts with `#`).
 */
export function propagateQuery(playlist: string, query: string): string {
  if (query === '') return playlist;
  return playlist
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      if (line.startsWith('#'))
        return line.replace(URI_ATTRIBUTE, (_all, uri: string) => `URI="${withQuery(uri, query)}"`);
      return withQuery(line, query);
    })
    .join('\n');
}
