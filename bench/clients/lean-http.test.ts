import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpConnection } from './lean-http';

let server: Server | undefined;
const connections: LeanHttpConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function connectTo(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ connection: LeanHttpConnection; sockets: Set<unknown> }> {
  const sockets = new Set<unknown>();
  server = createServer(handler);
  server.on('connection', (socket) => sockets.add(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const connection = new LeanHttpConnection('127.0.0.1', (server.address() as AddressInfo).port);
  connections.push(connection);
  await connection.ready();
  return { connection, sockets };
}

describe('LeanHttpConnection (the bench HLS requester)', () => {
  it('keeps the body when asked, counts it otherwise, all on one keep-alive connection', async () => {
    const big = Buffer.alloc(600_000, 1);
    const { connection, sockets } = await connectTo((req, res) => {
      if (req.url === '/playlist') res.writeHead(200, { 'Content-Length': 5 }).end('#EXTM');
      else if (req.url === '/segment') res.writeHead(200, { 'Content-Length': big.length }).end(big);
      else res.writeHead(404, { 'Content-Length': 0 }).end();
    });
    const playlist = await connection.get('/playlist', true);
    expect(playlist).toMatchObject({ status: 200, length: 5 });
    expect(String(playlist.body)).toBe('#EXTM');
    expect(playlist.ms).toBeGreaterThanOrEqual(0);

    const segment = await connection.get('/segment', false);
    expect(segment).toMatchObject({ status: 200, length: 600_000 });
    expect(segment.body.length).toBe(0);

    const missing = await connection.get('/nothing', true);
    expect(missing).toMatchObject({ status: 404, length: 0 });
    // The big body spanned several reads and the next response still parsed: one socket did all three.
    expect(sockets.size).toBe(1);
  });

  it('refuses a second request while one is in flight', async () => {
    const { connection } = await connectTo((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'Content-Length': 2 }).end('ok'), 20);
    });
    const first = connection.get('/a', true);
    await expect(connection.get('/b', true)).rejects.toThrow(/one request at a time/);
    expect(String((await first).body)).toBe('ok');
  });

  it('fails loudly on a chunked response, and every request after it', async () => {
    const { connection } = await connectTo((req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200);
        res.write('part');
        res.end();
      } else req.socket.destroy();
    });
    await expect(connection.get('/chunked', true)).rejects.toThrow(/without Content-Length: HTTP\/1\.1 200/);
    await expect(connection.get('/again', true)).rejects.toThrow(/without Content-Length/);
  });

  it('fails a request whose connection the server drops', async () => {
    const { connection } = await connectTo((req) => req.socket.destroy());
    await expect(connection.get('/x', true)).rejects.toThrow(/connection closed/);
  });
});
