import { type ChatRole, ErrorCode, MAX_CHAT_LENGTH, MAX_CLIENT_ID_LENGTH } from '@onair/protocol';
import express, { type Express, type Request, type Response } from 'express';
import { authorize } from '../access/authorize';
import { isValidMessageId } from '../hub/hub';
import type { ResolvedOptions } from '../options';
import { checkChatText, guestName, sanitizeDisplayName } from '../room/chat-rules';
import type { Rooms } from '../room/rooms';
import { isValidVideoId } from '../source/video-id';
import { sendClientError } from './client-error';
import { SenderRateLimits } from './sender-rate-limits';
import { refusalCode } from './upgrade';

export interface SocialRoutesDeps {
  options: ResolvedOptions;
  rooms: Rooms;
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
 * backend names each of them), else the client address (`req.ip`, which honours the host's `trust proxy`).
 */
const senderOf = (req: Request, grantedName: string | null) =>
  grantedName === null ? `ip:${req.ip ?? 'unknown'}` : `name:${grantedName}`;

/** 429 with Retry-After in whole seconds, the same code a socket gets. */
function refuseRateLimited(res: Response, what: string, waitMs: number): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  sendClientError(res, 429, ErrorCode.RateLimited, `too many ${what}; try again in ${waitMs} ms`);
}

/**
 * REST for hosts and bots (issue 3): read and post chat, delete and pin, react, count viewers. Every request is
 * asked of `authorize` with the role it needs; ids are checked against fixed patterns before any lookup; the
 * answers use the same error codes as the WebSocket.
 */
export function mountSocialRoutes(app: Express, deps: SocialRoutesDeps): void {
  const { options, rooms } = deps;
  const json = express.json({ limit: MAX_BODY });
  const chatLimits = new SenderRateLimits(options.room.chatRateLimit);
  const reactionLimits = new SenderRateLimits(options.room.reactionRateLimit);

  // Express 4 does not catch rejected handlers: every failure is answered here.
  const route = (role: ChatRole, handler: Handler) => async (req: Request, res: Response) => {
    try {
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
    } catch (error) {
      // Authorization errors are settled inside authorize(): what fails here is the hub (e.g. Redis down).
      options.logger.error('hub: chat request failed', { path: req.path, error });
      if (!res.headersSent) sendClientError(res, 503, ErrorCode.HubUnavailable, 'chat is unavailable; retry');
    }
  };
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
      const { text, displayName, clientId } = body(req);
      const badClientId =
        clientId !== undefined &&
        (typeof clientId !== 'string' || clientId.length < 1 || clientId.length > MAX_CLIENT_ID_LENGTH);
      if (typeof text !== 'string' || text.length > MAX_CHAT_LENGTH * 8 || badClientId) {
        return sendClientError(res, 400, ErrorCode.BadMessage, 'expected { text, displayName?, clientId? }');
      }
      const checked = checkChatText(text, MAX_CHAT_LENGTH);
      if (!checked.ok) return sendClientError(res, 400, checked.code, checked.message);
      const allowed = chatLimits.take(senderOf(req, grantedName));
      if (!allowed.ok) return refuseRateLimited(res, 'messages', allowed.waitMs);
      const name = grantedName ?? sanitizeDisplayName(displayName) ?? guestName();
      const draft = {
        ...(typeof clientId === 'string' ? { clientId } : {}),
        displayName: name,
        text: checked.text,
        sentAt: Date.now(),
      };
      const { message, duplicate } = await rooms.hub.appendChat(streamId, draft);
      res.status(duplicate ? 200 : 201).json({ message });
    }),
  );

  app.delete(
    '/streams/:id/chat/:msgId',
    route('moderator', async (req, res, streamId) => {
      if (await rooms.hub.deleteChat(streamId, String(req.params.msgId))) res.status(204).end();
      else sendClientError(res, 404, ErrorCode.UnknownChatMessage, 'no such message in this stream');
    }),
  );

  const pin = (unpin: boolean) =>
    route('moderator', async (req, res, streamId) => {
      const messageId = String(req.params.msgId);
      if (unpin) {
        if ((await rooms.hub.pinned(streamId))?.id === messageId) await rooms.hub.pin(streamId, null);
        res.status(200).json({ pinned: await rooms.hub.pinned(streamId) });
        return;
      }
      const pinned = await rooms.hub.pin(streamId, messageId);
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
      if (!options.room.reactions.includes(emoji)) {
        return sendClientError(res, 400, ErrorCode.BadReaction, 'this server does not accept that reaction');
      }
      const allowed = reactionLimits.take(senderOf(req, grantedName));
      if (!allowed.ok) return refuseRateLimited(res, 'reactions', allowed.waitMs);
      rooms.react(streamId, {
        emoji,
        ...(x === undefined ? {} : { x: x as number }),
        ...(y === undefined ? {} : { y: y as number }),
      });
      res.status(202).end();
    }),
  );

  app.get(
    '/streams/:id/viewers',
    route('viewer', async (_req, res, streamId) => {
      const count = await rooms.hub.viewerCount(streamId);
      res.set('Cache-Control', 'no-store').json({ streamId, count });
    }),
  );
}
