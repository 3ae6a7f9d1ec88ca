import { ErrorCode } from '@onair/protocol';
import type { ErrorRequestHandler, Express } from 'express';
import type { ResolvedOptions } from '../options/live-stream-options';
import { sendClientError } from './client-error';

/**
 * Last in the app: answers every error of the middleware's own routes itself, as JSON with a code, and never
 * passes one on. The host's error handler (or Express's default, which prints the stack trace and absolute paths
 * as HTML when `NODE_ENV` is not `production`) never sees them. The client's mistakes get a 4xx; the server's
 * failures go to the host's logger in full and to the client as `500 ONAIR_INTERNAL` with no detail.
 */
export function mountErrorHandler(app: Express, options: ResolvedOptions): void {
  const errors: ErrorRequestHandler = (error, req, res, _next) => {
    const status = Number((error as { status?: unknown; statusCode?: unknown })?.status ?? error?.statusCode);
    if (status >= 400 && status < 500) {
      if (res.headersSent) return void res.destroy();
      // The client's fault (a malformed %-escape in the URL, a body that is not JSON or too big).
      const type = (error as { type?: unknown }).type;
      if (status === 413) sendClientError(res, 413, ErrorCode.MessageTooLarge, 'request body too large');
      else if (type === 'entity.parse.failed')
        sendClientError(res, 400, ErrorCode.BadMessage, 'body is not JSON');
      else sendClientError(res, status, ErrorCode.BadRequest, 'bad request');
      return;
    }
    options.logger.error('request failed', { error, method: req.method, path: req.originalUrl });
    // Part of an answer is out: the client can only learn that it broke off.
    if (res.headersSent) return void res.destroy();
    sendClientError(res, 500, ErrorCode.Internal, 'the server failed; the details are in its log');
  };
  app.use(errors);
}
