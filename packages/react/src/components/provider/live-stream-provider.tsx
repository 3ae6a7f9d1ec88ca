import { type ReactNode, useEffect, useMemo } from 'react';
import type { ReconnectOptions } from '../../client/connection/reconnect-backoff';
import { LiveStreamClient } from '../../client/live-stream-client';
import type { Transport } from '../../client/transport/transport';
import type { TransportMode } from '../../client/transport/transport-mode';
import { LiveStreamContext } from '../../hooks/live-stream-context';
import { useIsomorphicLayoutEffect } from '../../hooks/use-isomorphic-layout-effect';

export interface LiveStreamProviderProps {
  /** The server's mount path ("/live") or an absolute URL ("http://host:3000/live"). */
  url: string;
  /** Video playout delay without audio. Default 150 ms. */
  videoBufferMs?: number;
  /** Audio playout delay (the master clock when the stream has audio). Default 200 ms. */
  audioBufferMs?: number;
  /** Frames per second to ask the server for. Default: the channel's own rate. */
  videoFps?: number;
  /** Default: the browser WebSocket. */
  transport?: Transport;
  /**
   * How the picture arrives: `ws` (default), `hls` or `auto` (WebSocket, falling back to HLS). Read when the
   * client is created, so SSR already renders the right `data-transport`; `<LiveStreamPlayer transport>`
   * changes it later.
   */
  transportMode?: TransportMode;
  /** Connect on mount. Default true. */
  autoConnect?: boolean;
  /** Video to start with; null waits for a selection. Default: the first video of the catalog. */
  initialVideoId?: string | null;
  /** Backoff of reconnects. Default 500 ms doubling to 10 s, half of it jitter, retrying forever. */
  reconnect?: Partial<ReconnectOptions>;
  children?: ReactNode;
}

/** Creates and owns the client: connects on mount, closes it on unmount, gives it to the hooks below. */
export function LiveStreamProvider({
  url,
  videoBufferMs,
  audioBufferMs,
  videoFps,
  transport,
  transportMode,
  autoConnect = true,
  initialVideoId,
  reconnect,
  children,
}: LiveStreamProviderProps) {
  // A new server or transport is a new client; the other options are read once or applied below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: knobs go through updateOptions, not a new connection
  const client = useMemo(
    () =>
      new LiveStreamClient({
        url,
        transport,
        videoBufferMs,
        audioBufferMs,
        videoFps,
        initialVideoId,
        reconnect,
        transportMode,
      }),
    [url, transport],
  );

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
