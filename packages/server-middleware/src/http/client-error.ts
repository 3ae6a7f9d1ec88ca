import type { Response } from 'express';

/** The JSON body of every error the middleware answers over HTTP: `{ error: { code, message } }`. */
export function sendClientError(res: Response, status: number, code: string, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });
}
