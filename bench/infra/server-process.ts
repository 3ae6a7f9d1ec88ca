import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type LiveStreamOptions, liveStream } from '@onair/server-middleware';
import express from 'express';

/** IPC from the parent (`server-child.ts`). */
export type ServerRequest = { type: 'stats'; id: number } | { type: 'stop' };

/** Event-loop delay of the server since the previous stats request: a busy loop delays every viewer. */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
}

/**
 * The server under test, run in its own process by `run.ts` so its CPU and memory are measured apart from the
 * viewer fleet: a bare Express app with OnAir at /live streaming one file.
 * argv: <video file> <JSON of liveStream options>. Tells the parent { type: 'ready', port } once listening,
 * and
 * answers { type: 'stats', id } with { type: 'stats', id, stats: live.stats(), loopDelay, memory }
 * (`process.memoryUsage()`: the soak step reads the heap beside the RSS).
 */
async function main(): Promise<void> {
  const [input, optionsJson] = process.argv.slice(2);
  if (!input) throw new Error('usage: server-process.ts <video file> [options JSON]');
  const options = JSON.parse(optionsJson ?? '{}') as LiveStreamOptions;
  const live = liveStream([{ id: 'bench', title: 'Benchmark', input }], options);
  const app = express();
  app.use('/live', live);
  const server = createServer(app);
  live.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const stop = () => {
    live
      .close()
      .then(() => {
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
