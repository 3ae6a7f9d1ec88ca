import type { IncomingMessage } from 'node:http';

/**
 * Express's compiled `trust proxy` setting (`app.get('trust proxy fn')`): whether the hop `hop` steps from the
 * server, at `address`, is a proxy the host trusts.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

function forwardedFor(req: IncomingMessage): string[] {
  const header = req.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * The client's address as Express's `req.ip` would say it (the upgrade request is a bare `IncomingMessage`,
 * without `req.ip`): the socket's peer, unless the host trusts it as a proxy, then the nearest untrusted address
 * of `X-Forwarded-For`, read from the right, as `proxy-addr` does. Without `trust proxy` the header is ignored,
 * so a client cannot pick its own address.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy | undefined): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (typeof trust !== 'function') return peer;
  const hops = [peer, ...forwardedFor(req).reverse()];
  for (let hop = 0; hop < hops.length - 1; hop++) {
    if (!trust(hops[hop]!, hop)) return hops[hop]!;
  }
  return hops[hops.length - 1]!;
}

/** True when the request came through something that names a client, which only counts if trusted. */
export function carriesForwardedFor(req: IncomingMessage): boolean {
  return forwardedFor(req).length > 0;
}
