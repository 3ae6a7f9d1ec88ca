import { ErrorCode, type VideoInfo } from '@onair/protocol';
import type { Express } from 'express';
import { refusalCode } from '../access/authorize';
import { visibleStreams } from '../access/visible-streams';
import { type Thumbnails, ThumbnailsClosedError, ThumbnailUnavailableError } from '../catalog/thumbnails';
import type { Channel } from '../channel/channel';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isValidVideoId } from '../source/video-id';
import { asyncRoute } from './async-route';
import { sendClientError } from './client-error';
import { admitViewer, cacheScope } from './viewer-access';

export interface CatalogRoutesDeps {
  options: ResolvedOptions;
  channels: ReadonlyMap<string, Channel>;
  thumbnails: Thumbnails;
  /** The catalog with URLs under `basePath` (the request's mount path): every stream, on air or not. */
  catalog(basePath: string): VideoInfo[];
  isClosing(): boolean;
}

/**
 * `GET /videos` and `GET /videos/:id/thumbnail.jpg`, relative to wherever the host mounts the app. Anything else
 * falls through to the host (its 404s stay its own). Ids are checked against `VIDEO_ID_PATTERN` before any
 * lookup, and a thumbnail is never read from a path a client chose. A thumbnail that cannot be made answers
 * `503 ONAIR_CHANNEL_FAILED` with `Retry-After`, as JSON like every error of the middleware. With an `authorize`
 * hook, the catalog lists only the videos the caller may watch (the hook's refusal when that is none of them),
 * and a thumbnail is answered only to a caller who may watch its video, before any grab starts.
 */
export function mountCatalogRoutes(app: Express, deps: CatalogRoutesDeps): void {
  app.get(
    '/videos',
    asyncRoute(async (req, res) => {
      const videos = deps.catalog(req.baseUrl);
      const ids = videos.map((video) => video.id);
      const { visible, refusal } = await visibleStreams(deps.options, req, ids);
      if (refusal) {
        sendClientError(res, refusal.status, refusalCode(refusal.status), refusal.message);
        return;
      }
      const catalog = videos.filter((video) => visible.has(video.id));
      // The list depends on who asks: with a hook, no shared cache may keep one caller's list for another.
      res.set('Cache-Control', deps.options.authorize ? 'private, no-cache' : 'no-cache').json(catalog);
    }),
  );

  app.get(
    '/videos/:id/thumbnail.jpg',
    asyncRoute(async (req, res) => {
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
      if (!(await admitViewer(deps.options, req, res, id))) return;
      if (deps.isClosing()) {
        sendClientError(res, 503, ErrorCode.ServerClosing, 'the server is shutting down');
        return;
      }
      let jpeg: Buffer;
      try {
        jpeg = await deps.thumbnails.get(channel);
      } catch (error) {
        if (error instanceof ThumbnailsClosedError) {
          sendClientError(res, 503, ErrorCode.ServerClosing, 'the server is shutting down');
        } else if (error instanceof ThumbnailUnavailableError) {
          // Logged where it failed; the client learns only that it may retry (never ffmpeg's words or paths).
          res.set('Retry-After', String(error.retryAfterSec));
          sendClientError(
            res,
            503,
            ErrorCode.ChannelFailed,
            'no thumbnail could be made for this video now; retry',
          );
        } else {
          throw error;
        }
        return;
      }
      const maxAge = Math.floor(deps.options.thumbnailMaxAgeMs / 1000);
      res
        .set('Cache-Control', `${cacheScope(deps.options)}, max-age=${maxAge}`)
        .type('image/jpeg')
        .send(jpeg);
    }),
  );
}
