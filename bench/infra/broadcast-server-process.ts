import { once } from 'node:events';
import { createServer } from 'node:http';
import { type LiveStreamOptions, liveStream, redisHub } from '@onair/server-middleware';
import express from 'express';
import Redis from 'ioredis';
import { answerParent } from './server-ipc';

/** argv[2] of `broadcast-server-process.ts`, as JSON. */
export interface BroadcastServerConfig {
  /** The built bench page (`broadcast-page.ts`), served at `/`. */
  pageDir: string;
  /** `liveStream()` needs a channel at start: a tiny file nobody selects, so its decoder never starts. */
  idleInput: string;
  /** A Redis on loopback: the instance gets a `redisHub` on it. */
  redisPort?: number;
  options: LiveStreamOptions;
}

/**
 * A broadcast server under test, in its own process: Express with OnAir at /live and no channel of its own but an
 * idle one (the streams are created over REST by the step), the bench page at `/`, every role granted (`authorize` answers true:
 * the REST create needs `broadcaster`; only loopback reaches it), and with `redisPort` a Redis hub, as an
 * instance of a cluster. Speaks `server-ipc.ts` with the parent.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as BroadcastServerConfig;
  const redis =
    config.redisPort === undefined
      ? null
      : new Redis(config.redisPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const live = liveStream([{ id: 'idle', title: 'Idle', input: config.idleInput }], {
    ...config.options,
    authorize: () => true,
    ...(redis ? { hub: redisHub({ redis }) } : {}),
  });
  const app = express();
  app.use('/live', live);
  app.use(express.static(config.pageDir));
  const server = createServer(app);
  live.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  answerParent(live, server, () => redis?.disconnect());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
