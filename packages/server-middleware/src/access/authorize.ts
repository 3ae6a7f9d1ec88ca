import { type AccessRole, ErrorCode } from '@onair/protocol';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { AuthorizeContext } from './authorize-hook';

/** Why a request was turned away: the HTTP status for an upgrade or a REST call, the message for both. */
export interface Refusal {
  status: 401 | 403 | 500;
  message: string;
}

export type Authorization =
  | { allowed: true; displayName: string | null }
  | { allowed: false; refusal: Refusal };

const ALLOWED: Authorization = { allowed: true, displayName: null };

/** What is asked: `req`, `role`, and the stream under both its names. */
export interface AuthorizeQuestion {
  req: AuthorizeContext['req'];
  role: AccessRole;
  streamId?: string | undefined;
}

/** Roles nobody has without a hook: they change what others see, so the host must grant them. */
const GRANTED_ONLY: Partial<Record<AccessRole, string>> = {
  moderator: 'moderation needs an authorize hook that allows it',
  broadcaster: 'managing streams needs an authorize hook that grants the broadcaster role',
};

/**
 * Asks the host's `authorize` hook. Without a hook, everyone may watch and chat and nobody may moderate or
 * manage streams. A hook
 * that throws or answers nonsense refuses (fail closed) and is logged as a server error.
 */
export async function authorize(
  options: ResolvedOptions,
  question: AuthorizeQuestion,
): Promise<Authorization> {
  if (!options.authorize) {
    const refused = GRANTED_ONLY[question.role];
    return refused ? { allowed: false, refusal: { status: 403, message: refused } } : ALLOWED;
  }
  const { req, role, streamId } = question;
  const context: AuthorizeContext =
    streamId === undefined ? { req, role } : { req, role, streamId, videoId: streamId };
  try {
    const result = await options.authorize(context);
    if (result === true) return ALLOWED;
    if (result === false) return { allowed: false, refusal: { status: 403, message: 'not authorized' } };
    if (typeof result === 'object' && result !== null) {
      if (!('status' in result)) {
        const name = typeof result.displayName === 'string' ? result.displayName : null;
        return { allowed: true, displayName: name };
      }
      if (result.status === 401 || result.status === 403) {
        const fallback = result.status === 401 ? 'authentication required' : 'not authorized';
        const message = typeof result.message === 'string' ? result.message : fallback;
        return { allowed: false, refusal: { status: result.status, message } };
      }
    }
    options.logger.error('authorize returned neither a boolean, a grant nor { status: 401 | 403 }', {
      result,
    });
  } catch (error) {
    options.logger.error('authorize threw', { error });
  }
  return { allowed: false, refusal: { status: 500, message: 'authorization failed' } };
}

/** 403 says "you may not" (`ONAIR_FORBIDDEN`); 401 and a failed hook say "not authorized" (`ONAIR_UNAUTHORIZED`). */
export function refusalCode(status: Refusal['status']): ErrorCode {
  return status === 403 ? ErrorCode.Forbidden : ErrorCode.Unauthorized;
}

/** The check for watching (upgrade and `select`): null lets the viewer in. */
export async function checkAuthorization(
  options: ResolvedOptions,
  question: Omit<AuthorizeQuestion, 'role'>,
): Promise<Refusal | null> {
  const outcome = await authorize(options, { ...question, role: 'viewer' });
  return outcome.allowed ? null : outcome.refusal;
}
