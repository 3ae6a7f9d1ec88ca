import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { type ClientOptions, WebSocketServer } from 'ws';

export interface WsPair {
  /** The server's end, as `liveStream()` gets it from ws. */
  server: WebSocket;
  client: WebSocket;
  close(): Promise<void>;
}

/**
 * A real WebSocket connection on loopback, both ends in this process: for what depends on ws's framing and the
 * TCP socket under it, which a stand-in cannot show.
 */
export async function wsPair(
  serverOptions: { perMessageDeflate?: boolean } = {},
  clientOptions: ClientOptions = {},
): Promise<WsPair> {
  const http: Server = createServer();
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate: serverOptions.perMessageDeflate ?? false,
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, clientOptions);
  const [[server]] = await Promise.all([accepted, once(client, 'open')]);
  return {
    server,
    client,
    async close() {
      client.terminate();
      server.terminate();
      wss.close();
      http.close();
      await once(http, 'close');
    },
  };
}
