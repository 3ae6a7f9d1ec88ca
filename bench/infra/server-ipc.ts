import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LiveStream } from '@onair/server-middleware';

/** IPC from the parent (`server-child.ts`). */
export type ServerRequest = { type: 'stats'; id: number } | { type: 'stop' };

/** Event-loop delay of the server since the previous stats request: a busy loop delays every viewer. */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
}

/**
 * The child's side of `server-child.ts`: tells the parent { type: 'ready', port } (the server must be listening),
 * answers { type: 'stats', id } with { type: 'stats', id, stats: live.stats(), loopDelay, memory }
 * (`process.memoryUsage()`: the soak step reads the heap beside the RSS), and on 'stop' or a lost parent closes
 * `live`, then the server (and `onClosed`, e.g. a Redis client), then exits.
 */
export function answerParent(live: LiveStream, server: Server, onClosed: () => void = () => {}): void {
  const stop = () => {
    live
      .close()
      .then(() => {
        onClosed();
        server.closeAllConnections();
        server.close(() => process.exit(0));
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.on('message', (message: ServerRequest) => {
    if (message.type === 'stats') {
      const delay: LoopDelay = {
        p50Ms: loopDelay.percentile(50) / 1e6,
        p99Ms: loopDelay.percentile(99) / 1e6,
      };
      loopDelay.reset();
      const memory = process.memoryUsage();
      process.send?.({ type: 'stats', id: message.id, stats: live.stats(), loopDelay: delay, memory });
    } else if (message.type === 'stop') {
      loopDelay.disable();
      stop();
    }
  });
  // If the benchmark dies, its IPC channel closes: stop too rather than stream to nobody.
  process.on('disconnect', stop);
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
}
