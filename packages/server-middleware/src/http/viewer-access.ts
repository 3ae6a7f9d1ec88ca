import type { Request, Response } from 'express';
import { checkAuthorization, refusalCode } from '../access/authorize';
import type { ResolvedOptions } from '../options/live-stream-options';
import { sendClientError } from './client-error';

/**
 * May this request watch `streamId`? Asks `authorize` (role `viewer`) as the upgrade and `select` do, and answers
 * a refusal itself (401/403 JSON with `ONAIR_UNAUTHORIZED`/`ONAIR_FORBIDDEN`, 500 when the hook failed), so the
 * route does nothing more: no packager touched, no ffmpeg started, for a request that was refused.
 */
export async function admitViewer(
  options: ResolvedOptions,
  req: Request,
  res: Response,
  streamId: string,
): Promise<boolean> {
  const refusal = await checkAuthorization(options, { req, streamId });
  if (!refusal) return true;
  sendClientError(res, refusal.status, refusalCode(refusal.status), refusal.message);
  return false;
}

/**
 * Shared caches (a CDN) must not hand a stream answered to one authorized viewer to anyone else: with a hook,
 * `public` becomes `private`. Without one, everything is public and CDN-friendly.
 */
export function cacheScope(options: ResolvedOptions): 'public' | 'private' {
  return options.authorize ? 'private' : 'public';
}
