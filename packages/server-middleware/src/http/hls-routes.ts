import { ErrorCode } from '@onair/protocol';
import type { Express, Request, Response } from 'express';
import { readDeliveryDirectives, withoutDeliveryDirectives } from '../hls/delivery-directives';
import type { HlsPackager } from '../hls/hls-packager';
import { RENDITION_NAME_PATTERN } from '../hls/renditions';
import type { SegmentCache } from '../hls/segment-cache';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isValidVideoId } from '../source/video-id';
import { asyncRoute } from './async-route';
import { sendClientError } from './client-error';
import { propagateQuery, requestQuery } from './playlist-query';
import { admitViewer, cacheScope } from './viewer-access';

export interface HlsRoutesDeps {
  options: ResolvedOptions;
  /** Null when HLS is off. */
  packagers: ReadonlyMap<string, HlsPackager> | null;
  segments: SegmentCache;
  isClosing(): boolean;
}

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const SEGMENT_NAME_PATTERN = /^(?:seg-\d{1,12}\.m4s|init-\d{1,12}\.mp4)$/;
// Segment numbers come from the epoch clock and are never reused, so a segment's bytes never change.
const SEGMENT_CACHE = 'max-age=31536000, immutable';
// Playlists change every segment: a CDN may hold one for a second at most, so players never fall behind.
const PLAYLIST_CACHE = 'no-cache';

/**
 * The packager for `req.params.id`, or null after answering. Every parameter is checked against a fixed pattern
 * before any lookup; Express has already decoded %-escapes, so `%2e%2e`, `%2f` and `%00` are caught here as `.`,
 * `/` and NUL. Then `authorize` is asked, before anything touches the packager: a refused request never starts
 * its ffmpeg (issue 10).
 */
async function packagerFor(req: Request, res: Response, deps: HlsRoutesDeps): Promise<HlsPackager | null> {
  const { id, rendition } = req.params as { id?: string; rendition?: string };
  if (!isValidVideoId(id)) {
    sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid video id');
    return null;
  }
  if (rendition !== undefined && !RENDITION_NAME_PATTERN.test(rendition)) {
    sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid rendition name');
    return null;
  }
  const packager = deps.packagers?.get(id);
  if (!packager) {
    sendClientError(res, 404, ErrorCode.UnknownVideo, `no video with id "${id}"`);
    return null;
  }
  if (!(await admitViewer(deps.options, req, res, id))) return null;
  if (deps.isClosing()) {
    sendClientError(res, 503, ErrorCode.ServerClosing, 'the server is shutting down');
    return null;
  }
  return packager;
}

async function servePlaylist(
  req: Request,
  res: Response,
  deps: HlsRoutesDeps,
  rendition: string | null,
): Promise<void> {
  const packager = await packagerFor(req, res, deps);
  if (!packager || !deps.options.hls) return;
  const query = requestQuery(req.originalUrl);
  const directives = readDeliveryDirectives(query);
  if (directives.kind === 'invalid') {
    sendClientError(res, 400, ErrorCode.BadRequest, directives.reason);
    return;
  }
  packager.touch();
  const timeoutMs = deps.options.hls.firstSegmentTimeoutMs;
  const msn = directives.kind === 'block' ? directives.msn : null;
  const result = await packager.playlist(rendition, timeoutMs, msn);
  if (result.kind === 'playlist') {
    // The token a player put on this URL goes on to every URI in it (PROTOCOL.md, "HLS"); a blocking reload's
    // directives do not.
    const text = propagateQuery(result.text, withoutDeliveryDirectives(query));
    // A Buffer, so Express does not append a charset to the playlist type.
    res.set('Cache-Control', PLAYLIST_CACHE).type(PLAYLIST_TYPE).send(Buffer.from(text));
  } else if (result.kind === 'unknown-rendition') {
    sendClientError(res, 404, ErrorCode.NotFound, `no rendition "${rendition}" for this video`);
  } else if (result.kind === 'too-far-ahead') {
    sendClientError(res, 400, ErrorCode.BadRequest, '_HLS_msn is more than two segments past the newest');
  } else if (result.kind === 'closed' || deps.isClosing()) {
    sendClientError(res, 503, ErrorCode.ServerClosing, 'the server is shutting down');
  } else if (result.kind === 'not-yet') {
    sendClientError(res, 503, ErrorCode.ChannelFailed, `segment ${msn} was not listed in time; retry`);
  } else {
    res.set('Retry-After', '1');
    sendClientError(
      res,
      503,
      ErrorCode.ChannelFailed,
      `the HLS packager has no segment yet after ${timeoutMs} ms; retry`,
    );
  }
}

/**
 * `GET <mount>/hls/:id/master.m3u8`, `…/:rendition/index.m3u8` and `…/:rendition/<segment>`. With HLS off,
 * everything under `/hls` is a 404 `ONAIR_NOT_FOUND`; with it on, so is any path there that no route matches
 * (extra segments, raw `..`), so nothing under `/hls` ever reaches a file read unchecked.
 */
export function mountHlsRoutes(app: Express, deps: HlsRoutesDeps): void {
  const notFound = (_req: Request, res: Response) =>
    sendClientError(res, 404, ErrorCode.NotFound, deps.packagers ? 'no such HLS resource' : 'HLS is off');
  if (!deps.packagers) {
    app.use('/hls', notFound);
    return;
  }

  app.get(
    '/hls/:id/master.m3u8',
    asyncRoute((req, res) => servePlaylist(req, res, deps, null)),
  );

  app.get(
    '/hls/:id/:rendition/index.m3u8',
    asyncRoute((req, res) => {
      const { rendition } = req.params as { rendition: string };
      return servePlaylist(req, res, deps, rendition);
    }),
  );

  const segmentCache = `${cacheScope(deps.options)}, ${SEGMENT_CACHE}`;
  app.get(
    '/hls/:id/:rendition/:segment',
    asyncRoute(async (req, res) => {
      const { rendition, segment } = req.params as { rendition: string; segment: string };
      if (!SEGMENT_NAME_PATTERN.test(segment)) {
        sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid segment name');
        return;
      }
      const packager = await packagerFor(req, res, deps);
      if (!packager) return;
      packager.keepAlive();
      const file = packager.segmentFile(rendition, segment);
      if (file === null) {
        sendClientError(res, 404, ErrorCode.NotFound, 'no such segment (not listed, or expired)');
        return;
      }
      let bytes: Buffer;
      try {
        bytes = await deps.segments.read(file);
      } catch {
        // Deleted since it left the window (ENOENT).
        sendClientError(res, 404, ErrorCode.NotFound, 'segment expired');
        return;
      }
      // `end`, not `send`: send would hash every segment for an ETag; immutable segments need none.
      res.set('Cache-Control', segmentCache).type('video/mp4').set('Content-Length', String(bytes.length));
      res.end(bytes);
    }),
  );

  app.use('/hls', notFound);
}
