import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { LeanWebSocket } from './lean-websocket';
import { wsTestServer } from './ws-test-server';

interface Received {
  opened: boolean;
  texts: string[];
  binaries: { head: number[]; length: number }[];
  closed?: { byServer: boolean; error?: string };
}

const servers = wsTestServer();
afterEach(() => servers.stop());

const startServer = (onConnection: (socket: WebSocket) => void) => servers.start('/ws', onConnection);

function connect(url: string): { socket: LeanWebSocket; received: Received; closed: Promise<void> } {
  const received: Received = { opened: false, texts: [], binaries: [] };
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const socket = new LeanWebSocket(url, {
    onOpen: () => {
      received.opened = true;
    },
    onText: (text) => received.texts.push(text),
    onBinary: (head, length) => received.binaries.push({ head: Array.from(head), length }),
    onClose: (byServer, error) => {
      received.closed = { byServer, error: error?.message };
      resolveClosed();
    },
  });
  return { socket, received, closed };
}

const until = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('LeanWebSocket (the bench fleet socket) against a ws server', () => {
  it('upgrades and exchanges text both ways, masked as the server requires', async () => {
    const fromClient: string[] = [];
    const url = await startServer((socket) => {
      socket.on('message', (data) => {
        fromClient.push(String(data));
        socket.send(`echo ${data}`);
      });
    });
    const { socket, received } = connect(url);
    await until(() => received.opened, 'open');
    socket.sendText('hello ünïcode');
    await until(() => received.texts.length === 1, 'the echo');
    expect(fromClient).toEqual(['hello ünïcode']);
    expect(received.texts).toEqual(['echo hello ünïcode']);
  });

  it('gives the head and full length of large, small and fragmented binary messages', async () => {
    const large = Buffer.alloc(200_000, 7);
    large.set([1, 2, 3, 4], 0);
    const url = await startServer((socket) => {
      socket.send(large);
      // Many small messages: several in one read, headers split across reads.
      for (let i = 0; i < 100; i++) socket.send(Buffer.from([i, i + 1, i + 2]));
      socket.send(Buffer.from([9, 9]), { fin: false });
      socket.send(Buffer.alloc(70_000, 5), { fin: true });
    });
    const { received } = connect(url);
    await until(() => received.binaries.length === 102, '102 binary messages');
    expect(received.binaries[0]).toEqual({ head: [1, 2, 3, 4, ...Array(20).fill(7)], length: 200_000 });
    for (let i = 0; i < 100; i++)
      expect(received.binaries[i + 1]).toEqual({ head: [i, i + 1, i + 2], length: 3 });
    expect(received.binaries[101]).toEqual({ head: [9, 9, ...Array(22).fill(5)], length: 70_002 });
  });

  it('answers a ping with a pong carrying the same bytes', async () => {
    let pong: Buffer | undefined;
    const url = await startServer((socket) => {
      socket.on('pong', (data) => {
        pong = data;
      });
      socket.ping(Buffer.from('are you there'));
    });
    connect(url);
    await until(() => pong !== undefined, 'the pong');
    expect(String(pong)).toBe('are you there');
  });

  it('reports a close by the server, and a clean close of its own with code 1000', async () => {
    const codes: number[] = [];
    const url = await startServer((socket) => {
      socket.on('close', (code) => codes.push(code));
      socket.on('message', () => socket.close(4001, 'bye'));
    });
    const first = connect(url);
    await until(() => first.received.opened, 'open');
    first.socket.sendText('close me');
    await first.closed;
    expect(first.received.closed).toEqual({ byServer: true, error: undefined });

    const second = connect(url);
    await until(() => second.received.opened, 'open');
    second.socket.close();
    await second.closed;
    expect(second.received.closed?.byServer).toBe(false);
    await until(() => codes.length === 2, 'the server to see both closes');
    expect(codes).toEqual([4001, 1000]);
  });

  it('fails with the status line when the server refuses the upgrade', async () => {
    const url = await startServer(() => undefined);
    const { received, closed } = connect(url.replace('/ws', '/elsewhere'));
    await closed;
    expect(received.opened).toBe(false);
    expect(received.closed?.error).toMatch(/WebSocket upgrade refused: HTTP\/1\.1 400/);
  });
});
