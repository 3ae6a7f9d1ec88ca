import type { ResolvedOptions } from '../options/live-stream-options';
import { type AuthorizeQuestion, authorize, type Refusal } from './authorize';

/** The streams a caller may watch, and, when there are streams but none of them, why (to answer with). */
export interface Visibility {
  visible: ReadonlySet<string>;
  /** Set only when every stream was refused: a 401 among the refusals wins (credentials would help). */
  refusal: Refusal | null;
}

/**
 * Asks `authorize` (role `viewer`) about every stream at once, so a catalog lists only what the caller may watch.
 * Without a hook everything is visible and nothing is asked. A hook that fails for one stream hides that stream
 * (fail closed, logged by `authorize`).
 */
export async function visibleStreams(
  options: ResolvedOptions,
  req: AuthorizeQuestion['req'],
  streamIds: readonly string[],
): Promise<Visibility> {
  if (!options.authorize) return { visible: new Set(streamIds), refusal: null };
  const outcomes = await Promise.all(
    streamIds.map((streamId) => authorize(options, { req, role: 'viewer', streamId })),
  );
  const visible = new Set(streamIds.filter((_id, index) => outcomes[index]?.allowed));
  if (visible.size > 0 || streamIds.length === 0) return { visible, refusal: null };
  const refusals = outcomes.flatMap((outcome) => (outcome.allowed ? [] : [outcome.refusal]));
  const refusal = refusals.find((each) => each.status === 401) ?? refusals[0] ?? null;
  return { visible, refusal };
}
