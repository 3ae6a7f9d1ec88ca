import { useCallback } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { FloatingReaction, RoomError } from '../client/room/room-snapshot';
import { useEnsureLiveStreamClient } from './live-stream-context';
import { useRoomSnapshot } from './use-room-snapshot';

export interface UseReactionsResult {
  /** The emoji the server accepts. */
  reactions: readonly string[];
  /** The room is open: reacting sends. */
  enabled: boolean;
  /** Sends a reaction (x, y in 0..1 over the picture) and floats it at once; false when nothing was sent. */
  react(emoji: string, x?: number, y?: number): boolean;
  /** Emoji on screen now, for an overlay (bounded, each removed after its lifetime). */
  floating: readonly FloatingReaction[];
  /** Reactions per emoji since joining the room. */
  counts: Readonly<Record<string, number>>;
  /**
   * The last refusal of this viewer's reactions ("too many reactions; some were dropped"), to show by the
   * buttons rather than in the chat (issue 12); null when there is none.
   */
  notice: RoomError | null;
  /** Clears `notice`. */
  dismissNotice(): void;
}

export function useReactions(client?: LiveStreamClient): UseReactionsResult {
  const resolved = useEnsureLiveStreamClient(client);
  const { reactions, joined, floating, reactionCounts, error } = useRoomSnapshot(resolved);
  const react = useCallback(
    (emoji: string, x?: number, y?: number) => resolved.react(emoji, x, y),
    [resolved],
  );
  const dismissNotice = useCallback(() => resolved.clearRoomError(), [resolved]);
  const notice = error?.source === 'reaction' ? error : null;
  return { reactions, enabled: joined, react, floating, counts: reactionCounts, notice, dismissNotice };
}
