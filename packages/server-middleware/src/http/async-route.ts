import type { NextFunction, Request, RequestHandler, Response } from 'express';

type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** What a route does with an error its handler rejected with; by default, hand it to Express (`next`). */
export type RejectionAnswer = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

const toNext: RejectionAnswer = (error, _req, _res, next) => next(error);

/**
 * Wraps an async handler for Express 4, which (unlike Express 5) ignores a rejected promise: the request would
 * hang and the rejection go unhandled. Every async route of the middleware goes through here, so a failure
 * reaches `next(err)`, which is the middleware's own error handler (`error-handler.ts`: logged, answered as JSON,
 * never passed to the host's), or the route's own `answer`.
 */
export function asyncRoute(handler: AsyncHandler, answer: RejectionAnswer = toNext): RequestHandler {
  return (req, res, next) => {
    let pending: Promise<void>;
    try {
      pending = handler(req, res, next);
    } catch (error) {
      // An `async` function never throws, but a handler typed as one may still be a plain function that does.
      answer(error, req, res, next);
      return;
    }
    pending.catch((error: unknown) => answer(error, req, res, next));
  };
}
