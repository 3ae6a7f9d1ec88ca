import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { directSocket } from './direct-socket';
import { type WsPair, wsPair } from './ws-pair.fixture';

let pair: WsPair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

describe('directSocket', () => {
  it("finds the TCP socket under a ws connection (fails if ws's internals move)", async () => {
    pair = await wsPair();
    const socket = directSocket(pair.server);
    expect(socket).toBeInstanceOf(Socket);
    expect(socket?.remotePort).toBe((pair.client as unknown as { _socket: Socket })._socket.localPort);
  });

  it('is null when an extension frames the messages (permessage-deflate)', async () => {
    pair = await wsPair({ perMessageDeflate: true }, { perMessageDeflate: true });
    expect(pair.server.extensions).toContain('permessage-deflate');
    expect(directSocket(pair.server)).toBeNull();
  });

  it('is null for anything that is not a real connection', () => {
    expect(directSocket({ extensions: '' } as unknown as WebSocket)).toBeNull();
  });
});
