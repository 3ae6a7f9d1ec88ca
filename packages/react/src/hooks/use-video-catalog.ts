import type { VideoInfo } from '@onair/protocol';
import { useCallback, useEffect } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import { useEnsureLiveStreamClient } from './live-stream-context';
import { useLiveStreamSnapshot } from './use-live-stream-snapshot';

export interface UseVideoCatalogResult {
  videos: readonly VideoInfo[];
  /** True until the catalog or an error arrives. */
  loading: boolean;
  error: string | null;
  selectedVideoId: string | null;
  select(videoId: string): void;
}

/**
 * The catalog: from the socket once connected; over HTTP (`GET <url>/videos`) when the socket is not there
 * to give it (autoConnect off, reconnecting, failed). The provider connects in a layout effect, so by the time
 * this passive effect runs a connecting client already says so and no needless HTTP request goes out.
 */
export function useVideoCatalog(client?: LiveStreamClient): UseVideoCatalogResult {
  const resolved = useEnsureLiveStreamClient(client);
  const { catalog, catalogError, status, connected, videoId } = useLiveStreamSnapshot(resolved);
  const select = useCallback((id: string) => resolved.select(id), [resolved]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: status and connected re-run it; it reads them fresh
  useEffect(() => {
    // Read now, not from this render: the provider's layout effect may have started connecting since.
    const now = resolved.getSnapshot();
    if (now.catalog === null && !now.connected && now.status !== 'connecting') void resolved.loadCatalog();
  }, [resolved, catalog, status, connected]);

  return {
    videos: catalog ?? [],
    loading: catalog === null && catalogError === null,
    error: catalog === null ? catalogError : null,
    selectedVideoId: videoId,
    select,
  };
}
