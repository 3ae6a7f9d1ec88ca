/**
 * Run by `fd-exhaustion.test.ts` in its own process under `prlimit --nofile=64:64`: a host with one video, a
 * viewer socket and an HTTP connection opened while descriptors are left, then every descriptor taken (files
 * opened until EMFILE), then a `select` of the idle channel and a thumbnail request, each of which spawns
 * ffmpeg. Prints one JSON line with what the viewer and the HTTP client got and what the logger heard, and exits
 * 0; a crash (what issue 10 found) exits non-zero before printing.
 *
 * Usage: node --conditions=@onair/source --import tsx fd-exhausted-host.ts <video file>
 */
import { closeSync, openSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { ErrorCode, PROTOCOL_VERSION } from '@onair/protocol';
import { liveStream } from '@onair/server-middleware';
import express from 'express';
import WebSocket from 'ws';

const [videoPath] = process.argv.slice(2);
if (!videoPath) throw new Error('usage: fd-exhausted-host.ts <video file>');

const logged: string[] = [];
const record = (message: string) => logged.push(message);
const live = liveStream([{ id: 'clip', input: videoPath }], {
  restartDelayMs: 60_000,
  logger: { error: record, warn: record },
});
const app = express();
app.use('/live', live);
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
live.attach(server);
const { port } = server.address() as AddressInfo;

const ws = new WebSocket(`ws://127.0.0.1:${port}/live/ws`);
const viewerMessages: { type: string; code?: string; message?: string }[] = [];
ws.on('message', (data, isBinary) => {
  if (!isBinary) viewerMessages.push(JSON.parse(String(data)));
});
await new Promise<void>((resolve, reject) => {
  ws.once('open', () => resolve());
  ws.once('error', reject);
});
ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'fd-exhaustion' }));
await until(() => viewerMessages.some((message) => message.type === 'welcome'));

// An HTTP connection accepted now, used once no descriptor is left.
const http = connect(port, '127.0.0.1');
await new Promise<void>((resolve) => http.once('connect', () => resolve()));
let httpAnswer = '';
http.setEncoding('utf8').on('data', (chunk: string) => {
  httpAnswer += chunk;
});

const held: number[] = [];
let exhausted = false;
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch (error) {
  exhausted = (error as NodeJS.ErrnoException).code === 'EMFILE';
}

// Both spawn ffmpeg (the decoder of an idle channel, a thumbnail grab) with no descriptor left.
ws.send(JSON.stringify({ type: 'select', videoId: 'clip' }));
http.write(`GET /live/videos/clip/thumbnail.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
await until(
  () =>
    viewerMessages.some((message) => message.code === ErrorCode.ChannelFailed) && httpAnswer.includes('}'),
);

for (const fd of held) closeSync(fd);
const [head = '', body = ''] = httpAnswer.split('\r\n\r\n');
process.stdout.write(
  `${JSON.stringify({
    exhausted,
    viewerError: viewerMessages.find((message) => message.type === 'error') ?? null,
    httpStatusLine: head.split('\r\n')[0],
    httpBody: body,
    logged,
  })}\n`,
);
ws.terminate();
http.destroy();
await live.close();
server.closeAllConnections();
server.close();

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
