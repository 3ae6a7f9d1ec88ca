import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { liveStream } from '@onair/server-middleware';
import express from 'express';

/**
 * The server under test, run in its own process by `run.ts` so its CPU and memory are measured apart from the
 * viewer fleet: a bare Express app with OnAir at /live streaming one file.
 * Messages to the parent: { type: 'ready', port } once listening. From the parent: { type: 'stop' }.
 */
async function main(): Promise<void> {
  const input = process.argv[2];
  if (!input) throw new Error('usage: server-process.ts <video file>');
  const live = liveStream([{ id: 'bench', title: 'Benchmark', input }]);
  const app = express();
  app.use('/live', live);
  const server = createServer(app);
  live.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stop') return;
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
  });
  // The fleet's sockets should not die with the parent's IPC channel open; if the parent is gone, so are we.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
