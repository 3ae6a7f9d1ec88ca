import type { StreamStatus } from '@onair/protocol';

/** What can be asked of a stream's status. `remove` is not here: any stream may be removed. */
export type StreamMove = 'start' | 'end';

/**
 * The status each move leads to from each status (issue 13: `scheduled` → `live` → `ended`, or `cancelled`).
 * Anything not listed is refused: an ended stream never goes live again (a new stream does), and a cancelled
 * one never starts.
 */
const TRANSITIONS: Readonly<Record<StreamMove, Partial<Record<StreamStatus, StreamStatus>>>> = {
  start: { scheduled: 'live' },
  end: { live: 'ended', scheduled: 'cancelled' },
};

/** The status `move` leads to from `status`, or null when the move is not allowed. */
export function nextStatus(status: StreamStatus, move: StreamMove): StreamStatus | null {
  return TRANSITIONS[move][status] ?? null;
}
