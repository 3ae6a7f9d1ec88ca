import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { liveStream } from '@onair/server-middleware';
import express from 'express';
import { ensureSampleVideos } from '../demo/samples';

// A host app that already has its own routes; OnAir is the two lines marked below.
// `npm run minimal-host -- <video file>…`; without files, the demo's generated samples.
const files = process.argv.slice(2);
const videos = files.length > 0 ? files : await ensureSampleVideos({ log: (line) => console.error(line) });

const app = express();
app.get('/', (_request, response) => {
  response
    .type('text')
    .send('My app. Watch at /watch; the live catalog is at /live/videos, the viewers connect to /live/ws.\n');
});
app.get('/health', (_request, response) => {
  response.json({ ok: true });
});
// A page to watch with: one HTML file with a tiny client in it (no build step).
app.get('/watch', (_request, response) => {
  response.sendFile(fileURLToPath(new URL('./watch.html', import.meta.url)));
});

const live = liveStream(videos);
app.use('/live', live); // OnAir, line 1: the catalog and thumbnails under /live

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`Host app: http://127.0.0.1:${bound}/  watch: http://127.0.0.1:${bound}/watch`);
});
live.attach(server); // OnAir, line 2: WebSocket upgrades on /live/ws share the app's HTTP server

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    live.close().then(() => server.close());
  });
}
