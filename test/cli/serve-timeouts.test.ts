import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePageBuilt } from '../../examples/demo/build-page';
import { SERVER_TIMEOUTS } from '../../packages/server-middleware/src/cli/serve/server-timeouts';
import { fixturePath } from '../fixtures/fixture-files';
import { CliProcess } from './cli-process';

interface Ending {
  /** What the server wrote before it closed the connection. */
  received: string;
  afterMs: number;
}

/** Resolves when the server closes `socket` (or after `limitMs`, with `afterMs` Infinity). */
function closedByServer(socket: Socket, limitMs: number): Promise<Ending> {
  const started = Date.now();
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  // A write racing the close fails with EPIPE: that is the close this waits for.
  socket.on('error', () => {});
  return new Promise((resolve) => {
    const limit = setTimeout(() => {
      socket.destroy();
      resolve({ received, afterMs: Number.POSITIVE_INFINITY });
    }, limitMs);
    socket.on('close', () => {
      clearTimeout(limit);
      resolve({ received, afterMs: Date.now() - started });
    });
  });
}

// Issue 10: with Node's defaults, raw connections that sent nothing were all still open after 84 s and a POST
// trickling its body held its connection 300 s.
describe('the HTTP server of onair serve', () => {
  let serve: CliProcess;
  let port = 0;

  beforeAll(async () => {
    await ensurePageBuilt({ log: () => {} });
    serve = new CliProcess(['serve', fixturePath('audioVideo'), '--port', '0']);
    const [, found] = await serve.waitForOutput(/http:\/\/127\.0\.0\.1:(\d+)\//, 90_000);
    port = Number(found);
  }, 120_000);

  afterAll(async () => {
    if (serve?.running) serve.child.kill('SIGKILL');
    await serve?.exited;
  });

  it('closes a connection that never sends a byte, and one trickling a POST body, each within its timeout', async () => {
    const { headersTimeout, requestTimeout, connectionsCheckingInterval } = SERVER_TIMEOUTS;
    // Generous: the machine is shared, and a close a few seconds late is still a close.
    const slack = connectionsCheckingInterval + 10_000;

    const silent = connect(port, '127.0.0.1');
    const trickling = connect(port, '127.0.0.1', () => {
      trickling.write(
        'POST /live/streams/av-320x240-30fps/chat HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          'Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"text":"',
      );
    });
    // A byte every half second: never idle, never done (4 KB would take over half an hour).
    const drip = setInterval(() => trickling.writable && trickling.write('a'), 500);
    const [silence, trickle] = await Promise.all([
      closedByServer(silent, headersTimeout + slack),
      closedByServer(trickling, requestTimeout + slack),
    ]);
    clearInterval(drip);

    expect(silence.afterMs).toBeLessThan(headersTimeout + slack);
    expect(silence.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(trickle.afterMs).toBeLessThan(requestTimeout + slack);
    expect(trickle.afterMs).toBeGreaterThan(headersTimeout / 2);
    expect(trickle.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(serve.running).toBe(true);
  }, 90_000);
});
