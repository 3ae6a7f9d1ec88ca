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
// A grab that fails (on a busy CI machine, its time limit) answers 503 with Retry-After, as a client must expect:
// ask again as it says, a few times, like the selector does.
let thumbnail;
let thumbnailError = null;
for (let attempt = 1; attempt <= 4; attempt++) {
  thumbnail = await fetch(`http://127.0.0.1:${port}${catalog[0].thumbnailUrl}`);
  if (thumbnail.status !== 503) break;
  thumbnailError = await thumbnail.text();
  await new Promise((resolve) =>
    setTimeout(resolve, Number(thumbnail.headers.get('retry-after') ?? 2) * 1000),
  );
}
console.log(
  JSON.stringify({ catalog, thumbnail: thumbnail.status, thumbnailError, ffmpeg: live.ffmpeg, lines }),
);
await live.close();
server.close();
