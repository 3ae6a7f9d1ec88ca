import type { NextFunction, Request, RequestHandler, Response } from 'express';

type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** What a route does with an error its handler rejected with; by default, hand it to Express (`next`). */
export type RejectionAnswer = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

const toNext: RejectionAnswer = (error, _req, _res, next) => next(error);

/**
 * Wraps an async handler for Express 4, which (unlike Express 5) ignores a rejected promise: the request would
 * hang and the rejection go unhandled. Every async route of the middleware goes through here, so a failure
 * reaches `next(err)` (the error handler, then the host's) or the route's own `answer`.
 */
export function asyncRoute(handler: AsyncHandler, answer: RejectionAnswer = toNext): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch((error: unknown) => answer(error, req, res, next));
  };
}
