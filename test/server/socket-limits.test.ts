import { CloseCode, ErrorCode } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A socket the server refuses as soon as it opens: its listeners are attached before the handshake (the error
 * comes in the same packet as the upgrade answer, before `TestViewer` could listen).
 */
function refusedSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ code: number; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const ws = new WebSocket(url, { headers });
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.on('close', (code) => resolve({ code, messages }));
    ws.on('error', reject);
  });
}

describe('sockets that never say hello', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { helloTimeoutMs: 400 });
  });
  afterAll(async () => {
    await host?.close();
  });

  it('are not viewers, and are closed with 4002 after a fatal ONAIR_HELLO_REQUIRED at the hello deadline', async () => {
    const idle = await TestViewer.connect(host.wsUrl, { hello: false });
    const greeted = await TestViewer.connect(host.wsUrl);
    expect(host.live.stats().viewers).toBe(1);
    const closed = await idle.closed(5_000);
    expect(closed.code).toBe(CloseCode.HelloTimeout);
    expect(idle.messages).toMatchObject([{ type: 'error', code: ErrorCode.HelloRequired, fatal: true }]);
    // A socket that said hello in time is not touched by the deadline.
    await sleep(500);
    expect(greeted.closeEvent).toBeNull();
    expect(host.live.stats().viewers).toBe(1);
    greeted.close();
  });

  it('are closed at the deadline even when they send something else than a hello', async () => {
    const chatty = await TestViewer.connect(host.wsUrl, { hello: false });
    const timer = setInterval(() => chatty.sendRaw('{"type":"catalog"}'), 50);
    try {
      expect((await chatty.closed(5_000)).code).toBe(CloseCode.HelloTimeout);
    } finally {
      clearInterval(timer);
    }
  });
});

describe('sockets per client address', () => {
  let host: RunningHost;
  const open: TestViewer[] = [];
  const connect = async (forwardedFor?: string) => {
    const headers: Record<string, string> = forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {};
    const viewer = await TestViewer.connect(host.wsUrl, { hello: false, headers });
    open.push(viewer);
    return viewer;
  };
  beforeAll(async () => {
    host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { maxSocketsPerAddress: 3 });
    // Behind a proxy on this machine: the host app trusts it, so each client is the one X-Forwarded-For names.
    host.app.set('trust proxy', 'loopback');
  });
  afterAll(async () => {
    for (const viewer of open) viewer.close();
    await host?.close();
  });

  it('closes the socket past the limit with 4003 after a fatal ONAIR_RATE_LIMITED, and admits again once one closes', async () => {
    const first = await connect('198.51.100.7');
    await connect('198.51.100.7');
    await connect('198.51.100.7');
    const extra = await refusedSocket(host.wsUrl, { 'X-Forwarded-For': '198.51.100.7' });
    expect(extra.code).toBe(CloseCode.TooManySockets);
    expect(extra.messages).toMatchObject([{ type: 'error', code: ErrorCode.RateLimited, fatal: true }]);
    // Other clients of the same proxy are not affected.
    const neighbour = await connect('198.51.100.8');

    first.close();
    await sleep(200);
    const again = await connect('198.51.100.7');
    again.send({ type: 'hello', protocolVersion: 1 });
    await again.next('welcome');
    await sleep(200);
    expect(again.closeEvent).toBeNull();
    expect(neighbour.closeEvent).toBeNull();
    for (const viewer of open) viewer.close();
    await sleep(200);
  });

  it('counts the X-Forwarded-For client only when the host app trusts proxies, and never limits loopback', async () => {
    host.app.set('trust proxy', false);
    try {
      // Untrusted, the header is ignored: these are all the local peer, which is not limited.
      const viewers = [];
      for (let n = 0; n < 5; n++) viewers.push(await connect('198.51.100.9'));
      for (let n = 0; n < 5; n++) viewers.push(await connect());
      await sleep(300);
      expect(viewers.every((viewer) => viewer.closeEvent === null)).toBe(true);
    } finally {
      host.app.set('trust proxy', 'loopback');
    }
  });
});
