import {
  type AccessRole,
  ErrorCode,
  type RecordingInfo,
  type StreamCreated,
  StreamCreateSchema,
  StreamListQuerySchema,
} from '@onair/protocol';
import express, { type Express, type Request, type Response } from 'express';
import * as v from 'valibot';
import { authorize, refusalCode } from '../access/authorize';
import { visibleStreams } from '../access/visible-streams';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isValidVideoId } from '../source/video-id';
import { StreamConflictError, UnknownStreamError } from '../streams/stream-errors';
import { type StreamRecord, streamInfo } from '../streams/stream-record';
import type { StreamRegistry } from '../streams/stream-registry';
import { asyncRoute } from './async-route';
import { sendClientError } from './client-error';

export interface StreamRoutesDeps {
  options: ResolvedOptions;
  registry: StreamRegistry;
  /** A stream's recording, for streams that record (`recording` in each answer). */
  recordingOf?: (id: string) => RecordingInfo | null;
}

/** A stream's title, description and input are small; anything bigger is refused before it is parsed. */
const MAX_BODY = '16kb';

/** The first problem valibot found, for people: `title: Invalid length: Expected >=1 but received 0`. */
function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid body';
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Answers what the registry refused with its code: 404 for an unknown stream, 409 for a conflict. */
function sendRegistryError(res: Response, error: unknown): boolean {
  if (error instanceof UnknownStreamError) sendClientError(res, 404, ErrorCode.UnknownVideo, error.message);
  else if (error instanceof StreamConflictError) sendClientError(res, 409, ErrorCode.Conflict, error.message);
  else if (error instanceof TypeError) sendClientError(res, 400, ErrorCode.BadMessage, error.message);
  else return false;
  return true;
}

/**
 * Streams at run time (issue 13), REST in the shape of the systems OnAir replaces: create, list, read, start,
 * end and remove. Reading is role `viewer` (only the streams `authorize` lets the caller watch, as the catalog);
 * every change is role `broadcaster`, which nobody has without a hook. Bodies are checked against
 * `StreamCreateSchema`; ids against `VIDEO_ID_PATTERN` before any lookup. The ingest key is answered only once,
 * to the creator, in the 201.
 */
export function mountStreamRoutes(app: Express, deps: StreamRoutesDeps): void {
  const { options, registry } = deps;
  const info = (stream: StreamRecord) => streamInfo(stream, deps.recordingOf?.(stream.id) ?? null);
  const json = express.json({ limit: MAX_BODY });

  /** Null when the caller may act as `role` on `streamId`; otherwise the refusal has been answered. */
  const admit = async (req: Request, res: Response, role: AccessRole, streamId?: string) => {
    const outcome = await authorize(options, { req, role, streamId });
    if (outcome.allowed) return true;
    const { status, message } = outcome.refusal;
    sendClientError(res, status, refusalCode(status), message);
    return false;
  };

  /** A route on one stream: the id is checked, then the stream looked up, then the caller asked about. */
  const onStream = (role: AccessRole, act: (req: Request, res: Response, id: string) => void) =>
    asyncRoute(async (req, res) => {
      const id = req.params.id;
      if (!isValidVideoId(id))
        return sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid stream id');
      if (!registry.get(id))
        return sendClientError(res, 404, ErrorCode.UnknownVideo, `no stream with id "${id}"`);
      if (!(await admit(req, res, role, id))) return;
      try {
        act(req, res, id);
      } catch (error) {
        if (!sendRegistryError(res, error)) throw error;
      }
    });

  app.post(
    '/streams',
    json,
    asyncRoute(async (req, res) => {
      const body: unknown = req.body;
      const askedId = (body as { id?: unknown } | undefined)?.id;
      if (!(await admit(req, res, 'broadcaster', isValidVideoId(askedId) ? askedId : undefined))) return;
      const parsed = v.safeParse(StreamCreateSchema, body);
      if (!parsed.success) return sendClientError(res, 400, ErrorCode.BadMessage, firstIssue(parsed.issues));
      if (parsed.output.input && !options.allowStreamInputs) {
        return sendClientError(
          res,
          403,
          ErrorCode.Forbidden,
          'this server takes no ffmpeg input over REST (allowStreamInputs); create the stream without one and feed it',
        );
      }
      try {
        const { stream, ingest } = registry.create(parsed.output);
        const created: StreamCreated = { stream: info(stream), ingest };
        res
          .status(201)
          .set('Cache-Control', 'no-store')
          .location(`${req.baseUrl}/streams/${encodeURIComponent(stream.id)}`)
          .json(created);
      } catch (error) {
        if (!sendRegistryError(res, error)) throw error;
      }
    }),
  );

  app.get(
    '/streams',
    asyncRoute(async (req, res) => {
      const query = v.safeParse(StreamListQuerySchema, { status: req.query.status });
      if (!query.success) {
        return sendClientError(res, 400, ErrorCode.BadRequest, `status: ${firstIssue(query.issues)}`);
      }
      const streams = registry.list(query.output.status ? { status: query.output.status } : {});
      const { visible, refusal } = await visibleStreams(
        options,
        req,
        streams.map((stream) => stream.id),
      );
      if (refusal) return sendClientError(res, refusal.status, refusalCode(refusal.status), refusal.message);
      res
        .set('Cache-Control', 'no-store')
        .json({ streams: streams.filter((stream) => visible.has(stream.id)).map(info) });
    }),
  );

  app.get(
    '/streams/:id',
    onStream('viewer', (_req, res, id) => {
      const stream = registry.get(id);
      if (!stream) throw new UnknownStreamError(id);
      res.set('Cache-Control', 'no-store').json({ stream: info(stream) });
    }),
  );

  app.post(
    '/streams/:id/start',
    onStream('broadcaster', (_req, res, id) => {
      res.json({ stream: info(registry.start(id)) });
    }),
  );

  app.post(
    '/streams/:id/end',
    onStream('broadcaster', (_req, res, id) => {
      res.json({ stream: info(registry.end(id)) });
    }),
  );

  app.delete(
    '/streams/:id',
    onStream('broadcaster', (_req, res, id) => {
      registry.remove(id);
      res.status(204).end();
    }),
  );
}
