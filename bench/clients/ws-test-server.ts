import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * For the bench clients' tests: a `ws` server (the one the middleware uses) on an ephemeral loopback port, one at a
 * time; other paths are answered 404. `stop()` (after each test) cuts its clients and closes it.
 */
export function wsTestServer(): {
  start(path: string, onConnection: (socket: WebSocket) => void): Promise<string>;
  stop(): Promise<void>;
} {
  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  return {
    async start(path, onConnection) {
      server = createServer((_req, res) => res.writeHead(404).end('not a WebSocket endpoint'));
      wss = new WebSocketServer({ server, path });
      wss.on('connection', onConnection);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    },
    async stop() {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
      server = undefined;
      wss = undefined;
    },
  };
}
