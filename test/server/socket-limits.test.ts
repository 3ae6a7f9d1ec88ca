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
function refusedSocket(url: string): Promise<{ code: number; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const ws = new WebSocket(url);
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
  const connect = async (headers: Record<string, string> = {}) => {
    const viewer = await TestViewer.connect(host.wsUrl, { hello: false, headers });
    open.push(viewer);
    return viewer;
  };
  beforeAll(async () => {
    host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { maxSocketsPerAddress: 3 });
  });
  afterAll(async () => {
    for (const viewer of open) viewer.close();
    await host?.close();
  });

  it('closes the socket past the limit with 4003 after a fatal ONAIR_RATE_LIMITED, and admits again once one closes', async () => {
    const first = await connect();
    await connect();
    await connect();
    const extra = await refusedSocket(host.wsUrl);
    expect(extra.code).toBe(CloseCode.TooManySockets);
    expect(extra.messages).toMatchObject([{ type: 'error', code: ErrorCode.RateLimited, fatal: true }]);

    first.close();
    await sleep(200);
    const again = await connect();
    again.send({ type: 'hello', protocolVersion: 1 });
    await again.next('welcome');
    expect(again.closeEvent).toBeNull();
    for (const viewer of open) viewer.close();
    await sleep(200);
  });

  it('ignores X-Forwarded-For unless the host app trusts proxies, then counts each forwarded client', async () => {
    const spoofed = [];
    for (let n = 0; n < 3; n++) spoofed.push(await connect({ 'X-Forwarded-For': `203.0.113.${n}` }));
    const fourth = await connect({ 'X-Forwarded-For': '203.0.113.99' });
    expect((await fourth.closed()).code).toBe(CloseCode.TooManySockets);
    for (const viewer of spoofed) viewer.close();
    await sleep(200);

    host.app.set('trust proxy', 'loopback');
    try {
      const viewers = [];
      for (let n = 0; n < 5; n++) viewers.push(await connect({ 'X-Forwarded-For': `203.0.113.${n}` }));
      for (let n = 0; n < 3; n++) viewers.push(await connect({ 'X-Forwarded-For': '198.51.100.7' }));
      const overLimit = await connect({ 'X-Forwarded-For': '198.51.100.7' });
      expect((await overLimit.closed()).code).toBe(CloseCode.TooManySockets);
      await sleep(200);
      expect(viewers.every((viewer) => viewer.closeEvent === null)).toBe(true);
    } finally {
      host.app.set('trust proxy', false);
    }
  });
});
