import { ErrorCode, type VideoInfo } from '@onair/protocol';
import type { ErrorRequestHandler, Express } from 'express';
import type { Thumbnails } from '../catalog/thumbnails';
import type { Channel } from '../channel/channel';
import type { ResolvedOptions } from '../options';
import { isValidVideoId } from '../source/video-id';
import { sendClientError } from './client-error';

export interface RoutesDeps {
  options: ResolvedOptions;
  channels: ReadonlyMap<string, Channel>;
  thumbnails: Thumbnails;
  /** The catalog with URLs under `basePath` (the request's mount path). */
  catalog(basePath: string): VideoInfo[];
  isClosing(): boolean;
}

/**
 * `GET /videos` and `GET /videos/:id/thumbnail.jpg`, relative to wherever the host mounts the app. Anything else
 * falls through to the host (its 404s stay its own). Ids are checked against `VIDEO_ID_PATTERN` before any
 * lookup, and a thumbnail is never read from a path a client chose.
 */
export function mountRoutes(app: Express, deps: RoutesDeps): void {
  app.get('/videos', (req, res) => {
    res.set('Cache-Control', 'no-cache').json(deps.catalog(req.baseUrl));
  });

  app.get('/videos/:id/thumbnail.jpg', async (req, res, next) => {
    const id = req.params.id;
    if (!isValidVideoId(id)) {
      sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid video id');
      return;
    }
    const channel = deps.channels.get(id);
    if (!channel) {
      sendClientError(res, 404, ErrorCode.UnknownVideo, `no video with id "${id}"`);
      return;
    }
    if (deps.isClosing()) {
      sendClientError(res, 503, ErrorCode.ServerClosing, 'the server is shutting down');
      return;
    }
    // Express 4 does not catch rejected handlers: errors go to next() by hand.
    try {
      const jpeg = await deps.thumbnails.get(channel);
      const maxAge = Math.floor(deps.options.thumbnailMaxAgeMs / 1000);
      res.set('Cache-Control', `public, max-age=${maxAge}`).type('image/jpeg').send(jpeg);
    } catch (error) {
      next(error);
    }
  });
}

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
