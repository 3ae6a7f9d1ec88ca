/** The URLs the client derives from the provider's `url` (the server's mount path). */
export interface LiveStreamEndpoints {
  /** `${url}/videos`: the catalog over HTTP. */
  videosUrl: string;
  /** `${url}/ws` with http→ws, https→wss; null when a relative url cannot be resolved (no `location`, e.g. SSR). */
  socketUrl: string | null;
  /** Resolves a URL the server gave (a thumbnail) so that it works when the server is on another origin. */
  assetUrl(path: string): string;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** `url` is a mount path ("/live"), or an absolute http(s)/ws(s) URL; `pageUrl` is `location.href` when known. */
export function resolveEndpoints(url: string, pageUrl?: string): LiveStreamEndpoints {
  const trimmed = url.replace(/\/+$/, '');
  const isAbsolute = ABSOLUTE_URL.test(trimmed);
  if (!isAbsolute && pageUrl === undefined) {
    return { videosUrl: `${trimmed}/videos`, socketUrl: null, assetUrl: (path) => path };
  }
  const base = new URL(trimmed === '' ? '/' : trimmed, pageUrl);
  const httpBase = withProtocol(base, { 'ws:': 'http:', 'wss:': 'https:' });
  const socketBase = withProtocol(base, { 'http:': 'ws:', 'https:': 'wss:' });
  return {
    // A relative mount stays relative for HTTP so server and client render the same markup.
    videosUrl: isAbsolute ? `${httpBase}/videos` : `${trimmed}/videos`,
    socketUrl: `${socketBase}/ws`,
    // The server sends thumbnail paths relative to its own origin; only a cross-origin mount needs rewriting.
    assetUrl: isAbsolute ? (path) => new URL(path, `${httpBase}/`).href : (path) => path,
  };
}

function withProtocol(url: URL, mapping: Record<string, string>): string {
  const copy = new URL(url.href);
  copy.protocol = mapping[copy.protocol] ?? copy.protocol;
  return copy.href.replace(/\/+$/, '');
}
