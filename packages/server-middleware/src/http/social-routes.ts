import { type ChatRole, ErrorCode } from '@onair/protocol';
import express, { type Express, type Request, type Response } from 'express';
import { authorize, refusalCode } from '../access/authorize';
import { isValidMessageId } from '../hub/hub';
import type { ResolvedOptions } from '../options/live-stream-options';
import { type RoomActions, type RoomRefusal, type RoomSender, readChatPost } from '../room/room-actions';
import type { Rooms } from '../room/rooms';
import { isValidVideoId } from '../source/video-id';
import { asyncRoute, type RejectionAnswer } from './async-route';
import { sendClientError } from './client-error';
import { SenderRateLimits } from './sender-rate-limits';

export interface SocialRoutesDeps {
  options: ResolvedOptions;
  rooms: Rooms;
  /** The chat and reaction policy, the same the socket's requests go through. */
  actions: RoomActions;
  /** Stream ids are the catalog's video ids. */
  hasStream(id: string): boolean;
}

/** JSON bodies of the chat routes are small; anything bigger is refused before it is parsed. */
const MAX_BODY = '16kb';

type Handler = (req: Request, res: Response, streamId: string, displayName: string | null) => Promise<void>;

const isFraction = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/**
 * Who a REST post counts against: the name `authorize` granted (a host relaying many users through one
 * backend names each of them), else the client address (`req.ip`, which honours the host's `trust proxy`). A
 * guest's name is drawn from it too, so one address keeps one guest name.
 */
function senderOf(req: Request, grantedName: string | null, limits: SenderRateLimits): RoomSender {
  const key = grantedName === null ? `ip:${req.ip ?? 'unknown'}` : `name:${grantedName}`;
  return { key, grantedName, spend: () => limits.take(key) };
}

/** A refusal of the policy, with the status REST gives it: 429 with Retry-After in whole seconds, else 400. */
function sendRefusal(res: Response, { code, message, waitMs }: RoomRefusal): void {
  if (waitMs === undefined) {
    sendClientError(res, 400, code, message);
    return;
  }
  res.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  sendClientError(res, 429, code, message);
}

/**
 * REST for hosts and bots (a server-side integration has no socket): read and post chat, delete and pin, react,
 * count viewers. Every request is asked of `authorize` with the role it needs; ids are checked against fixed
 * patterns before any lookup; the answers use the same error codes as the WebSocket.
 */
export function mountSocialRoutes(app: Express, deps: SocialRoutesDeps): void {
  const { options, rooms, actions } = deps;
  const json = express.json({ limit: MAX_BODY });
  const chatLimits = new SenderRateLimits(options.room.chatRateLimit);
  const reactionLimits = new SenderRateLimits(options.room.reactionRateLimit);

  // What fails past the checks is the hub (e.g. Redis down); authorization errors are settled in authorize().
  const hubFailed: RejectionAnswer = (error, req, res) => {
    options.logger.error('hub: chat request failed', { path: req.path, error });
    if (!res.headersSent) sendClientError(res, 503, ErrorCode.HubUnavailable, 'chat is unavailable; retry');
  };
  const route = (role: ChatRole, handler: Handler) =>
    asyncRoute(async (req, res) => {
      const streamId = req.params.id;
      if (!isValidVideoId(streamId))
        return sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid stream id');
      if (!deps.hasStream(streamId)) {
        return sendClientError(res, 404, ErrorCode.UnknownVideo, `no stream with id "${streamId}"`);
      }
      const msgId = req.params.msgId;
      if (msgId !== undefined && !isValidMessageId(msgId)) {
        return sendClientError(res, 400, ErrorCode.BadRequest, 'not a valid message id');
      }
      const outcome = await authorize(options, { req, role, streamId });
      if (!outcome.allowed) {
        const { status, message } = outcome.refusal;
        return sendClientError(res, status, refusalCode(status), message);
      }
      await handler(req, res, streamId, outcome.displayName);
    }, hubFailed);
  const body = (req: Request): Record<string, unknown> =>
    typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {};

  app.get(
    '/streams/:id/chat',
    route('viewer', async (_req, res, streamId) => {
      const { history, pinned } = await rooms.snapshot(streamId);
      res.set('Cache-Control', 'no-store').json({ messages: history, pinned });
    }),
  );

  app.post(
    '/streams/:id/chat',
    json,
    route('chatter', async (req, res, streamId, grantedName) => {
      const read = readChatPost(body(req));
      if (!read.ok) return sendRefusal(res, read);
      const outcome = await actions.postChat(streamId, read.post, senderOf(req, grantedName, chatLimits));
      if (!outcome.ok) return sendRefusal(res, outcome);
      res.status(outcome.duplicate ? 200 : 201).json({ message: outcome.message });
    }),
  );

  app.delete(
    '/streams/:id/chat/:msgId',
    route('moderator', async (req, res, streamId) => {
      if (await rooms.deleteChat(streamId, String(req.params.msgId))) res.status(204).end();
      else sendClientError(res, 404, ErrorCode.UnknownChatMessage, 'no such message in this stream');
    }),
  );

  const pin = (unpin: boolean) =>
    route('moderator', async (req, res, streamId) => {
      const messageId = String(req.params.msgId);
      if (unpin) {
        res.status(200).json({ pinned: await rooms.unpin(streamId, messageId) });
        return;
      }
      const pinned = await rooms.pin(streamId, messageId);
      if (pinned === undefined)
        sendClientError(res, 404, ErrorCode.UnknownChatMessage, 'no such message in this stream');
      else res.status(200).json({ pinned });
    });
  app.post('/streams/:id/chat/:msgId/pin', pin(false));
  app.delete('/streams/:id/chat/:msgId/pin', pin(true));

  app.post(
    '/streams/:id/reactions',
    json,
    route('viewer', async (req, res, streamId, grantedName) => {
      const { emoji, x, y } = body(req);
      if (
        typeof emoji !== 'string' ||
        (x !== undefined && !isFraction(x)) ||
        (y !== undefined && !isFraction(y))
      ) {
        return sendClientError(
          res,
          400,
          ErrorCode.BadMessage,
          'expected { emoji, x?, y? } with x and y in 0..1',
        );
      }
      const reaction = { emoji, x: x as number | undefined, y: y as number | undefined };
      const outcome = actions.react(streamId, reaction, senderOf(req, grantedName, reactionLimits));
      if (!outcome.ok) return sendRefusal(res, outcome);
      res.status(202).end();
    }),
  );

  app.get(
    '/streams/:id/viewers',
    route('viewer', async (_req, res, streamId) => {
      const count = await rooms.viewerCount(streamId);
      res.set('Cache-Control', 'no-store').json({ streamId, count });
    }),
  );
}
