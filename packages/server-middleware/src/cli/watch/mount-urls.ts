/**
 * The WebSocket URL of a mount (`http://host/live` → `ws://host/live/ws`), as the React provider derives it.
 * The query string stays: a host's `authorize` hook may read a token from it.
 */
export function liveSocketUrl(mountUrl: URL): string {
  const url = new URL(mountUrl.href);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  url.hash = '';
  return url.href;
}
