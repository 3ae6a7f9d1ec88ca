// Starts the installed server on one video, asks for its catalog, and prints what a host would look at.
import { createServer } from 'node:http';
import { liveStream } from '@onair/server-middleware';
import express from 'express';

const lines = [];
const live = liveStream([process.argv[2]], {
  logger: {
    error: (m) => lines.push(`error ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    info: (m) => lines.push(`info ${m}`),
  },
});
const app = express();
app.use('/live', live);
const server = createServer(app);
live.attach(server);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const catalog = await (await fetch(`http://127.0.0.1:${port}/live/videos`)).json();
const thumbnail = await fetch(`http://127.0.0.1:${port}${catalog[0].thumbnailUrl}`);
console.log(JSON.stringify({ catalog, thumbnail: thumbnail.status, ffmpeg: live.ffmpeg, lines }));
await live.close();
server.close();
