import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LiveStream, liveStream, type VideoInput } from '@onair/server-middleware';
import express from 'express';
import { buildVitePage } from './vite-page';

// A page with one <LiveStreamPlayer> in a padded column, built by Vite from the package's sources and served with
// the real middleware beside it (issue 12's layout and gesture tests). `?hide=<ms>` sets controlsHideDelayMs,
// `?fps=<n>` the provider's videoFps.

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository (gitignored) so Vite resolves @onair/react and react from its node_modules.

/** Where the e2e tests keep their screenshots (gitignored): kept after the run, for a person to look at. */
export const ARTIFACT_DIRECTORY = path.join(repositoryRoot, 'test/e2e/artifacts');

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Player layout test</title>
    <style>
      body { margin: 0; font-family: system-ui, sans-serif; }
      main { box-sizing: border-box; max-width: 1100px; margin: 0 auto; padding: 24px; }
    </style>
  </head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider } from '@onair/react';
import '@onair/react/styles.css';
const query = new URLSearchParams(location.search);
const hide = Number(query.get('hide') ?? 3000);
const fps = query.get('fps') === null ? undefined : Number(query.get('fps'));
createRoot(document.getElementById('root')).render(
  <LiveStreamProvider url="/live" reconnect={{ initialDelayMs: 200, jitter: 0 }} videoFps={fps}>
    <LiveStreamPlayer controlsHideDelayMs={hide} />
  </LiveStreamProvider>,
);
`;

const buildPage = () => buildVitePage('player-page', PAGE_HTML, PAGE_SCRIPT);

export interface PlayerPageServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  live: LiveStream;
  close(): Promise<void>;
}

/** The built page at `/`, the middleware at `/live`, on a free port of 127.0.0.1. */
export async function startPlayerPage(videos: VideoInput[]): Promise<PlayerPageServer> {
  const outDir = await buildPage();
  const app = express();
  const live = liveStream(videos, { logger: false });
  app.use('/live', live);
  app.use(express.static(outDir));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  live.attach(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    live,
    close: async () => {
      await live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
