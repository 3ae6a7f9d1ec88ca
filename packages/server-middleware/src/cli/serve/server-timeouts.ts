import type { ServerOptions } from 'node:http';

/**
 * The timeouts of the HTTP server `onair serve` and the demo create (issue 10: with Node's defaults a raw
 * connection that sends nothing stayed open 84 s, and a POST trickling its body held its connection 300 s). They
 * bound receiving a request only: a playlist that waits for its first segment, a thumbnail grab and the WebSocket
 * (no longer HTTP once upgraded) are untouched. The server README quotes them for hosts.
 */
export const SERVER_TIMEOUTS = Object.freeze({
  /** Request line and headers: a connection that sends nothing (or too little) is answered 408 and closed. */
  headersTimeout: 10_000,
  /** The whole request, body included: the middleware's bodies are JSON of at most 16 KB. */
  requestTimeout: 20_000,
  /** An idle kept-alive connection between requests (Node's default, said out loud). */
  keepAliveTimeout: 5_000,
  /** How often Node checks the first two; its default of 30 s would let them run up to 30 s late. */
  connectionsCheckingInterval: 1_000,
} satisfies ServerOptions);
