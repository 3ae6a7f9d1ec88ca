import type { VideoInfo } from '@onair/protocol';
import type { LiveStreamSnapshot } from '../state/snapshot';
import type { SnapshotStore } from '../state/snapshot-store';
import { fetchCatalog } from './fetch-catalog';

export interface CatalogLoaderDeps {
  store: SnapshotStore<LiveStreamSnapshot>;
  /** The host's `fetch` option, else the global one; none (old runtimes, some SSR) means no HTTP catalog. */
  fetch: typeof fetch | undefined;
  videosUrl(): string;
  /** Puts the videos in the snapshot as the socket's `catalog` message would. */
  apply(videos: readonly VideoInfo[]): void;
}

/**
 * The catalog over HTTP for when the socket has not given it (not connected yet, or HLS plays). One request at a
 * time, and the socket's catalog wins when both arrive.
 */
export class CatalogLoader {
  private request: Promise<void> | null = null;

  constructor(private readonly deps: CatalogLoaderDeps) {}

  load(): Promise<void> {
    if (this.deps.store.get().catalog) return Promise.resolve();
    this.request ??= this.fetchOnce().finally(() => {
      this.request = null;
    });
    return this.request;
  }

  private async fetchOnce(): Promise<void> {
    const { store, fetch: fetchImpl } = this.deps;
    if (!fetchImpl) return;
    try {
      const videos = await fetchCatalog(fetchImpl, this.deps.videosUrl());
      if (!store.get().catalog) this.deps.apply(videos);
    } catch (error) {
      if (store.get().catalog) return;
      store.update({ catalogError: error instanceof Error ? error.message : String(error) });
    }
  }
}
