import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type LiveStream, liveStream } from '@onair/server-middleware';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { launchChromium } from './chromium';
import { buildVitePage } from './vite-page';

// Issue 11: from a page on another origin, hls.js failed with manifestLoadError (no CORS) and the player showed
// "Error". Here the page is served from 127.0.0.1 and OnAir from localhost (two origins, two Express servers), and
// OnAir refuses viewers without a token (issue 10), which the page gives once, on the provider's url.

const _repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const POLL = { timeout: 30_000, interval: 200 };
const TOKEN = 'let-me-watch';

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>HLS across origins</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

// `?server=<absolute mount URL, token included>`: the provider's url, on another origin than the page.
const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider } from '@onair/react';
import '@onair/react/styles.css';
const url = new URLSearchParams(location.search).get('server');
createRoot(document.getElementById('root')).render(
  <LiveStreamProvider url={url} transportMode="hls" reconnect={{ initialDelayMs: 200, jitter: 0 }}>
    <LiveStreamPlayer transportMode="hls" defaultShowStats />
  </LiveStreamProvider>,
);
`;

const buildPage = () => buildVitePage('hls-cross-origin-page', PAGE_HTML, PAGE_SCRIPT);

function listen(app: express.Express, host: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, host, () => resolve(server));
  });
}

const player = (page: Page) => page.getByRole('region', { name: 'Live video' });
const currentTime = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLVideoElement>('.onair-player__video')?.currentTime ?? -1);

async function playheadAdvances(page: Page): Promise<boolean> {
  const before = await currentTime(page);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const after = await currentTime(page);
  return before >= 0 && after > before;
}

describe('<LiveStreamPlayer> over HLS from a page on another origin', () => {
  let browser: Browser | undefined;
  let pageServer: Server | undefined;
  let mediaServer: Server | undefined;
  const streams: LiveStream[] = [];
  let pageOrigin = '';
  let mediaOrigin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const [pageDir, launched] = await Promise.all([buildPage(), launchChromium()]);
    browser = launched;
    const pageApp = express();
    pageApp.use(express.static(pageDir));
    pageServer = await listen(pageApp, '127.0.0.1');
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

    const hls = { segmentSeconds: 1, windowSegments: 6, idleTimeoutMs: 10_000 };
    const video = { id: 'clip', input: fixturePath('audioVideo') };
    const authorize = ({ req }: { req: { url?: string } }) =>
      new URL(req.url ?? '/', 'http://x').searchParams.get('token') === TOKEN || { status: 401 as const };
    // `/live` as shipped (CORS on); `/closed` the same with `cors: false`, as every route was before issue 11.
    const open = liveStream([video], { hls, authorize, logger: false });
    const closed = liveStream([video], { hls, authorize, cors: false, logger: false });
    streams.push(open, closed);
    const mediaApp = express();
    mediaApp.use('/live', open);
    // The catalog of `/closed` gets CORS from the host, so the page learns the playlist URL and only HLS is blocked.
    mediaApp.use('/closed/videos', (_req, res, next) => {
      res.set('Access-Control-Allow-Origin', '*');
      next();
    });
    mediaApp.use('/closed', closed);
    mediaServer = await listen(mediaApp, '127.0.0.1');
    open.attach(mediaServer);
    closed.attach(mediaServer);
    // Another host name is another origin, though it is the same machine.
    mediaOrigin = `http://localhost:${(mediaServer.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(streams.map((stream) => stream.close()));
    for (const server of [pageServer, mediaServer]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
  });

  async function open(mount: string, token: string | null): Promise<Page> {
    const page = await browser!.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const server = `${mediaOrigin}${mount}${token ? `?token=${token}` : ''}`;
    await page.goto(`${pageOrigin}/?server=${encodeURIComponent(server)}`);
    return page;
  }

  it('plays with hls.js: the token on the url reaches every playlist and segment, CORS lets the page read them', async () => {
    const hlsRequests: string[] = [];
    const page = await open('/live', TOKEN);
    page.on('request', (request) => {
      if (request.url().includes('/live/hls/')) hlsRequests.push(request.url());
    });
    await expect.poll(() => player(page).getAttribute('data-transport'), POLL).toBe('hls');
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    expect(hlsRequests.some((url) => url.endsWith(`.m4s?token=${TOKEN}`))).toBe(true);
    expect(hlsRequests.every((url) => url.includes(`token=${TOKEN}`))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("says the viewer is not allowed, with the server's reason, when the url has no token", async () => {
    const page = await open('/live', null);
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('error');
    // The catalog is refused first (401 before anything else), and the player says so in words.
    await expect
      .poll(async () => (await player(page).textContent()) ?? '', POLL)
      .toMatch(/authentication required|401/);
    await page.close();
  });

  it('says the browser blocked the playlist (CORS) instead of "Error" when the server sends no CORS headers', async () => {
    const page = await open('/closed', TOKEN);
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('error');
    await expect
      .poll(async () => (await player(page).textContent()) ?? '', POLL)
      .toMatch(/could not load the HLS playlist from localhost:\d+: the browser blocked the request .*CORS/);
    await page.close();
  });
});
