import { ErrorCode } from '@onair/protocol';
import type { RequestHandler } from 'express';
import type { CorsPolicy } from '../options/cors-option';
import { sendClientError } from './client-error';

/** A player only reads: the catalog, thumbnails, playlists and segments. */
const METHODS = 'GET, HEAD, OPTIONS';
/** What a player may add to its requests: a bearer token, a byte range (hls.js asks for one on some streams). */
const DEFAULT_HEADERS = 'Authorization, Range';
/** Header names a preflight may ask for, echoed back as asked (a host's player may send its own token header). */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
/** The status of a refusal, a back-off time and the length hls.js reads for its bandwidth estimate. */
const EXPOSED = 'Content-Length, Retry-After';
/** Browsers cap this anyway (Chromium at 2 h); 10 min spares a preflight per segment. */
const PREFLIGHT_MAX_AGE_SEC = 600;

/**
 * CORS for the routes a player on another origin loads (issue 11: hls.js, Shaka and video.js all failed there):
 * the headers on every answer, errors included so the player can read why, and `OPTIONS` preflights answered
 * 204 here (403 JSON for an origin the host did not allow). Without a policy (`cors: false`) it does nothing.
 */
export function corsHandler(policy: CorsPolicy | null): RequestHandler {
  return (req, res, next) => {
    if (!policy) return next();
    const origin = req.headers.origin;
    const grant = policy(origin);
    // The answer depends on the Origin whenever it is not `*`: caches must keep one per origin.
    if (grant?.allowOrigin !== '*') res.vary('Origin');
    if (grant) {
      res.set('Access-Control-Allow-Origin', grant.allowOrigin);
      if (grant.credentials) res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Access-Control-Expose-Headers', EXPOSED);
    }
    if (req.method !== 'OPTIONS') return next();
    if (!grant) {
      sendClientError(res, 403, ErrorCode.Forbidden, 'origin not allowed');
      return;
    }
    const asked = req.headers['access-control-request-headers'];
    res.vary('Access-Control-Request-Headers');
    res
      .status(204)
      .set({
        'Access-Control-Allow-Methods': METHODS,
        'Access-Control-Allow-Headers':
          typeof asked === 'string' && HEADER_LIST.test(asked) && asked.length <= 1_000
            ? asked
            : DEFAULT_HEADERS,
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SEC),
      })
      .end();
  };
}
