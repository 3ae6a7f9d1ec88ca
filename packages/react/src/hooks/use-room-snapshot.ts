import { useSyncExternalStore } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { RoomSnapshot } from '../client/room/room-snapshot';
import { useEnsureLiveStreamClient } from './live-stream-context';

/** The room of the selected video (chat, reactions, viewers); re-renders only when it changes. */
export function useRoomSnapshot(client?: LiveStreamClient): RoomSnapshot {
  const resolved = useEnsureLiveStreamClient(client);
  return useSyncExternalStore(
    resolved.subscribeRoom,
    resolved.getRoomSnapshot,
    resolved.getServerRoomSnapshot,
  );
}
