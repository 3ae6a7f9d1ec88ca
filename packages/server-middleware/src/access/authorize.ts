import type { AuthorizeContext, ResolvedOptions } from '../options';

/** Why a viewer was turned away: the HTTP status for an upgrade, the message for both. */
export interface Refusal {
  status: 401 | 403 | 500;
  message: string;
}

/**
 * Asks the host's `authorize` hook. Null lets the viewer in. A hook that throws or answers nonsense refuses
 * (fail closed) and is logged as a server error.
 */
export async function checkAuthorization(
  options: ResolvedOptions,
  context: AuthorizeContext,
): Promise<Refusal | null> {
  if (!options.authorize) return null;
  try {
    const result = await options.authorize(context);
    if (result === true) return null;
    if (result === false) return { status: 403, message: 'not authorized' };
    if (typeof result === 'object' && result !== null && (result.status === 401 || result.status === 403)) {
      const fallback = result.status === 401 ? 'authentication required' : 'not authorized';
      return {
        status: result.status,
        message: typeof result.message === 'string' ? result.message : fallback,
      };
    }
    options.logger.error('authorize returned neither a boolean nor { status: 401 | 403 }', { result });
  } catch (error) {
    options.logger.error('authorize threw', { error });
  }
  return { status: 500, message: 'authorization failed' };
}
