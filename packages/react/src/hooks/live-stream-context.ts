import { createContext, useContext } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';

/** The client of the nearest `<LiveStreamProvider>`. */
export const LiveStreamContext = createContext<LiveStreamClient | undefined>(undefined);
LiveStreamContext.displayName = 'LiveStreamContext';

/** The provider's client, or undefined outside a provider (for components that work either way). */
export function useMaybeLiveStreamContext(): LiveStreamClient | undefined {
  return useContext(LiveStreamContext);
}

const MISSING_PROVIDER =
  'OnAir: this hook or component must be inside <LiveStreamProvider url="…">, or be given a `client`.';

/** The provider's client; throws a clear error outside a provider. */
export function useLiveStreamContext(): LiveStreamClient {
  const client = useContext(LiveStreamContext);
  if (!client) throw new Error(MISSING_PROVIDER);
  return client;
}

/** An explicit client wins; otherwise the provider's, with the same error as `useLiveStreamContext`. */
export function useEnsureLiveStreamClient(client?: LiveStreamClient): LiveStreamClient {
  const fromContext = useContext(LiveStreamContext);
  const resolved = client ?? fromContext;
  if (!resolved) throw new Error(MISSING_PROVIDER);
  return resolved;
}
