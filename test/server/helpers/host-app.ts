import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type LiveStream,
  type LiveStreamOptions,
  liveStream,
  type VideoInput,
} from '@onair/server-middleware';
import express from 'express';

export interface RunningHost {
  live: LiveStream;
  app: express.Express;
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `ws://127.0.0.1:<port>/live/ws` */
  wsUrl: string;
  /** Closes the middleware, then the HTTP server; resolves when both are done. */
  close(): Promise<void>;
}

/**
 * A host app as the README shows it: its own routes, the middleware under `/live`, its own 404, one extra line
 * for the WebSocket. `express` resolves to Express 4 in the `integration-express4` project.
 */
export async function startHost(videos: VideoInput[], options: LiveStreamOptions = {}): Promise<RunningHost> {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  const live = liveStream(videos, { logger: false, ...options });
  app.use('/live', live);
  app.use((_req, res) => {
    res.status(404).json({ hostNotFound: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  live.attach(server);
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    live,
    app,
    server,
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/live/ws`,
    close: () => {
      closing ??= live.close().then(() => closeServer(server));
      return closing;
    },
  };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
