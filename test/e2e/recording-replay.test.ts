import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LiveStream, liveStream } from '@onair/server-middleware';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { fixturePath } from '../fixtures/fixture-files';
import { waitFor } from '../server/helpers/wait-for';
import { connectWebmBroadcaster } from '../server/helpers/webm-broadcaster';
import { canvasFingerprint } from './canvas-probe';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { buildVitePage } from './vite-page';

// Issue 13 item 5: a recorded broadcast, once its stream ended, plays in the player as its replay.

const POLL = { timeout: 60_000, interval: 250 };
const SECONDS = 8;

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Replay test</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider, VideoSelector } from '@onair/react';
import '@onair/react/styles.css';
createRoot(document.getElementById('root')).render(
  <LiveStreamProvider url="/live" initialVideoId="clip" reconnect={{ initialDelayMs: 200, jitter: 0 }}>
    <LiveStreamPlayer />
    <VideoSelector />
  </LiveStreamProvider>,
);
`;

describe('the replay of a recorded broadcast in the player', () => {
  let live: LiveStream;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let recordingsDir: string;

  beforeAll(async () => {
    const dist = await buildVitePage('replay-page', PAGE_HTML, PAGE_SCRIPT);
    recordingsDir = mkdtempSync(join(tmpdir(), 'onair-replay-e2e-'));
    const app = express();
    live = liveStream([{ id: 'clip', input: fixturePath('videoOnly') }], {
      logger: false,
      record: true,
      recordingsDir,
    });
    app.use('/live', live);
    app.use(express.static(dist));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    live.attach(server);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
    if (recordingsDir) rmSync(recordingsDir, { recursive: true, force: true });
  });

  /** The page (player and selector), with the errors it throws. */
  async function openPage() {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(origin);
    return { page, player: page.getByRole('region', { name: 'Live video' }), pageErrors };
  }

  async function expectMovingPicture(page: Page) {
    const first = await canvasFingerprint(page);
    await expect.poll(() => canvasFingerprint(page), POLL).not.toBe(first);
  }

  it('lists the ended stream with its replay, and plays it when chosen', async () => {
    const { ingest } = live.streams.create({ id: 'show', title: 'The show' });
    const broadcaster = await connectWebmBroadcaster(
      `${origin.replace('http', 'ws')}/live/ingest`,
      'show',
      ingest.key,
    );
    await broadcaster.sendInRealTime(broadcastMedia('webm', SECONDS, 30), SECONDS);
    broadcaster.end();
    await broadcaster.closed;
    const recording = () => live.stats().recordings.find((entry) => entry.streamId === 'show');
    await waitFor(
      () => recording()?.state === 'ready',
      POLL.timeout,
      () => JSON.stringify(recording()),
    );

    const { page, player, pageErrors } = await openPage();
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');

    const entry = page.locator('[data-video-id="show"]');
    await expect.poll(() => entry.getAttribute('data-status'), POLL).toBe('ended');
    await entry.click();
    await expect.poll(() => entry.getAttribute('aria-selected'), POLL).toBe('true');
    // The page watches the replay's channel now, not the clip's.
    const viewersOf = (id: string) =>
      live.stats().channels.find((channel) => channel.id === id)?.viewers ?? 0;
    await expect.poll(() => viewersOf('show'), POLL).toBe(1);
    await expect.poll(() => viewersOf('clip'), POLL).toBe(0);
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    expect(await player.getAttribute('data-off-air')).toBeNull();
    // The recording's test pattern moves.
    await expectMovingPicture(page);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it('offers the replay to a viewer who watched the broadcast end, and plays it when asked', async () => {
    const { ingest } = live.streams.create({ id: 'talk', title: 'The talk' });
    const broadcaster = await connectWebmBroadcaster(
      `${origin.replace('http', 'ws')}/live/ingest`,
      'talk',
      ingest.key,
    );
    const sending = broadcaster.sendInRealTime(broadcastMedia('webm', SECONDS, 30), SECONDS);

    const { page, player, pageErrors } = await openPage();
    const entry = page.locator('[data-video-id="talk"]');
    await expect.poll(() => entry.getAttribute('data-status'), POLL).toBe('live');
    await entry.click();
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');

    await sending;
    broadcaster.end();
    await broadcaster.closed;
    await expect.poll(() => player.getAttribute('data-off-air'), POLL).toBe('ended');
    await expect
      .poll(() => page.locator('.onair-player__message').textContent(), POLL)
      .toBe('This stream has ended');
    // Offered once the recording is ready, not before; the viewer stays on the ended stream until choosing it.
    const replay = page.getByRole('button', { name: 'Watch the replay' });
    await replay.waitFor({ timeout: POLL.timeout });
    expect(live.stats().recordings.find((entry) => entry.streamId === 'talk')?.state).toBe('ready');
    await replay.click();
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    expect(await player.getAttribute('data-off-air')).toBeNull();
    await expectMovingPicture(page);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 240_000);
});
