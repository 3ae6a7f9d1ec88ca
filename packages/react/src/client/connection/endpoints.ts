/** The URLs the client derives from the provider's `url` (the server's mount path). */
export interface LiveStreamEndpoints {
  /** `${url}/videos`: the catalog over HTTP. */
  videosUrl: string;
  /** `${url}/ws` with http→ws, https→wss; null when a relative url cannot be resolved (no `location`, e.g. SSR). */
  socketUrl: string | null;
  /** `${url}/ingest`, the broadcast socket, as `socketUrl`; null when `socketUrl` is. */
  ingestUrl: string | null;
  /**
   * Resolves a URL the server gave (a thumbnail, an HLS master playlist) so that it works when the server is on
   * another origin, with the query of `url` (a token) on it.
   */
  assetUrl(path: string): string;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** `path` with `query` (no `?`) added to whatever query it has; a fragment stays last. */
function withQuery(path: string, query: string): string {
  if (query === '') return path;
  const hash = path.indexOf('#');
  const [base, fragment] = hash === -1 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/**
 * `url` is a mount path ("/live"), or an absolute http(s)/ws(s) URL; `pageUrl` is `location.href` when known. A
 * query on `url` ("/live?token=abc") is how a page gives the server a token (a browser can put no header on a
 * WebSocket or on native HLS): it goes on every request the client makes, the socket, the catalog, thumbnails
 * and the HLS master playlist, whose server carries it on to every playlist and segment (PROTOCOL.md, "Access").
 */
export function resolveEndpoints(url: string, pageUrl?: string): LiveStreamEndpoints {
  const queryAt = url.search(/[?#]/);
  const query = queryAt === -1 ? '' : url.slice(queryAt).replace(/#.*$/, '').replace(/^\?/, '');
  const trimmed = (queryAt === -1 ? url : url.slice(0, queryAt)).replace(/\/+$/, '');
  const isAbsolute = ABSOLUTE_URL.test(trimmed);
  if (!isAbsolute && pageUrl === undefined) {
    return {
      videosUrl: withQuery(`${trimmed}/videos`, query),
      socketUrl: null,
      ingestUrl: null,
      assetUrl: (path) => withQuery(path, query),
    };
  }
  const base = new URL(trimmed === '' ? '/' : trimmed, pageUrl);
  const httpBase = withProtocol(base, { 'ws:': 'http:', 'wss:': 'https:' });
  const socketBase = withProtocol(base, { 'http:': 'ws:', 'https:': 'wss:' });
  return {
    // A relative mount stays relative for HTTP so server and client render the same markup.
    videosUrl: withQuery(isAbsolute ? `${httpBase}/videos` : `${trimmed}/videos`, query),
    socketUrl: withQuery(`${socketBase}/ws`, query),
    ingestUrl: withQuery(`${socketBase}/ingest`, query),
    // The server sends thumbnail paths relative to its own origin; only a cross-origin mount needs rewriting.
    assetUrl: isAbsolute
      ? (path) => withQuery(new URL(path, `${httpBase}/`).href, query)
      : (path) => withQuery(path, query),
  };
}

function withProtocol(url: URL, mapping: Record<string, string>): string {
  const copy = new URL(url.href);
  copy.protocol = mapping[copy.protocol] ?? copy.protocol;
  return copy.href.replace(/\/+$/, '');
}

/**
 * The audio socket's URL (PROTOCOL.md, "The audio socket"): the viewer socket's with `audio` for its last path
 * segment (`ws`), and the token as its only query (`audioToken`; the page's own query is the viewer socket's).
 */
export function audioSocketUrl(socketUrl: string, token: string): string {
  const url = new URL(socketUrl);
  url.pathname = url.pathname.replace(/\/ws$/, '/audio');
  url.search = `?audioToken=${encodeURIComponent(token)}`;
  return url.toString();
}
