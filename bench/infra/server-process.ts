import { once } from 'node:events';
import { createServer } from 'node:http';
import { type LiveStreamOptions, liveStream } from '@onair/server-middleware';
import express from 'express';
import { answerParent } from './server-ipc';

export type { LoopDelay, ServerRequest } from './server-ipc';

/**
 * The server under test, run in its own process by `run.ts` so its CPU and memory are measured apart from the
 * viewer fleet: a bare Express app with OnAir at /live streaming one file.
 * argv: <video file> <JSON of liveStream options>. Speaks `server-ipc.ts` with the parent.
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
  answerParent(live, server);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
