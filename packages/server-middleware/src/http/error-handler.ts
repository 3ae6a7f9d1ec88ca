import { ErrorCode } from '@onair/protocol';
import type { ErrorRequestHandler, Express } from 'express';
import type { ResolvedOptions } from '../options/live-stream-options';
import { sendClientError } from './client-error';

/** Last in the app: answers the client's mistakes in our error format, hands server failures to the host. */
export function mountErrorHandler(app: Express, options: ResolvedOptions): void {
  const errors: ErrorRequestHandler = (error, _req, res, next) => {
    const status = Number((error as { status?: unknown; statusCode?: unknown }).status ?? error?.statusCode);
    if (status >= 400 && status < 500 && !res.headersSent) {
      // The client's fault (a malformed %-escape in the URL, a body that is not JSON or too big).
      const type = (error as { type?: unknown }).type;
      if (status === 413) sendClientError(res, 413, ErrorCode.MessageTooLarge, 'request body too large');
      else if (type === 'entity.parse.failed')
        sendClientError(res, 400, ErrorCode.BadMessage, 'body is not JSON');
      else sendClientError(res, status, ErrorCode.BadRequest, 'bad request');
      return;
    }
    options.logger.error('request failed', { error });
    next(error);
  };
  app.use(errors);
}
