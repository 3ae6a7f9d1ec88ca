import type { LiveStreamClient } from '../client/live-stream-client';
import { useRoomSnapshot } from './use-room-snapshot';

export interface UseViewerCountResult {
  /** How many watch the selected video, across server instances; null until the server says. */
  count: number | null;
}

export function useViewerCount(client?: LiveStreamClient): UseViewerCountResult {
  return { count: useRoomSnapshot(client).viewers };
}
