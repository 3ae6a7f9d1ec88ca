import { type ReactNode, useEffect, useMemo } from 'react';
import { LiveStreamClient } from '../../client/live-stream-client';
import type { LiveStreamClientOptions } from '../../client/options';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';
import { LiveStreamContext } from '../../hooks/live-stream-context';

/**
 * Every option of the client (`LiveStreamClientOptions`), plus when to connect. `transportMode` is read when the
 * client is created, so SSR already renders the right `data-transport`; `<LiveStreamPlayer transportMode>` changes
 * it later.
 */
export interface LiveStreamProviderProps extends LiveStreamClientOptions {
  /** Connect on mount. Default true. */
  autoConnect?: boolean;
  children?: ReactNode;
}

/** Creates and owns the client: connects on mount, closes it on unmount, gives it to the hooks below. */
export function LiveStreamProvider({ autoConnect = true, children, ...options }: LiveStreamProviderProps) {
  const { url, transport, videoBufferMs, audioBufferMs, videoFps } = options;
  // A new server or transport is a new client; the other options are read once or applied below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: knobs go through updateOptions, not a new connection
  const client = useMemo(() => new LiveStreamClient(options), [url, transport]);

  useEffect(() => {
    client.updateOptions({ videoBufferMs, audioBufferMs, videoFps });
  }, [client, videoBufferMs, audioBufferMs, videoFps]);

  // A layout effect, so the catalog hook's first (passive) effect already sees a connecting client.
  useIsomorphicLayoutEffect(() => {
    if (autoConnect) client.connect();
    return () => client.close();
  }, [client, autoConnect]);

  return <LiveStreamContext.Provider value={client}>{children}</LiveStreamContext.Provider>;
}
