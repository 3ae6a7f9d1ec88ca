import { useSyncExternalStore } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { LiveStreamSnapshot } from '../client/state/snapshot';
import { useEnsureLiveStreamClient } from './live-stream-context';

/** The client's snapshot; re-renders only when the client publishes a new one. */
export function useLiveStreamSnapshot(client?: LiveStreamClient): LiveStreamSnapshot {
  const resolved = useEnsureLiveStreamClient(client);
  return useSyncExternalStore(resolved.subscribe, resolved.getSnapshot, resolved.getServerSnapshot);
}
