import { liveStream } from '@onair/server-middleware';
import express from 'express';

// A host app that already has its own routes; OnAir is the two lines marked below.
const videos = process.argv.slice(2);
if (videos.length === 0) {
  console.error('usage: node --import tsx examples/minimal-host/server.ts <video file>…');
  process.exit(1);
}

const app = express();
app.get('/', (_request, response) => {
  response
    .type('text')
    .send('My app. The live catalog is at /live/videos, the viewers connect to /live/ws.\n');
});
app.get('/health', (_request, response) => {
  response.json({ ok: true });
});

const live = liveStream(videos);
app.use('/live', live); // OnAir, line 1: the catalog and thumbnails under /live

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => console.log(`Host app: http://127.0.0.1:${port}/`));
live.attach(server); // OnAir, line 2: WebSocket upgrades on /live/ws share the app's HTTP server

process.once('SIGINT', () => {
  live.close().then(() => server.close());
});
