import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type LiveStream, liveStream } from '@onair/server-middleware';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { canvasFingerprint } from './canvas-probe';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { buildVitePage } from './vite-page';

// Issue 13 item 2: a browser broadcasts with <StreamBroadcaster> (Chromium's fake camera and microphone), a second
// page watches it with <LiveStreamPlayer>: a moving picture and sound; the broadcaster toggles the microphone and
// switches camera while live; ending the stream moves the viewer to "ended".

const _repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const POLL = { timeout: 30_000, interval: 250 };

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Broadcast test</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider, StreamBroadcaster } from '@onair/react';
import '@onair/react/styles.css';
const query = new URLSearchParams(location.search);
const root = createRoot(document.getElementById('root'));
if (query.get('mode') === 'broadcast') {
  root.render(<StreamBroadcaster url="/live" streamId={query.get('id')} streamKey={query.get('key')} />);
} else {
  root.render(
    <LiveStreamProvider url="/live" initialVideoId={query.get('id')} reconnect={{ initialDelayMs: 200, jitter: 0 }}>
      <LiveStreamPlayer defaultShowStats />
    </LiveStreamProvider>,
  );
}
`;

const buildPage = () => buildVitePage('broadcast-page', PAGE_HTML, PAGE_SCRIPT);

describe('broadcasting from a browser, watched in another', () => {
  let live: LiveStream;
  let server: Server;
  let origin: string;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dist = await buildPage();
    const app = express();
    live = liveStream([{ id: 'clip', input: fixturePath('videoOnly') }], { logger: false });
    app.use('/live', live);
    app.use(express.static(dist));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    live.attach(server);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    return page;
  }

  it('goes live, plays to a viewer with sound, switches devices while live, and ends for the viewer', async () => {
    const { stream, ingest } = live.streams.create({ id: 'cam', title: 'Camera' });
    const studio = await open(`${origin}/?mode=broadcast&id=${stream.id}&key=${ingest.key}`);
    const panel = studio.getByRole('region', { name: 'Broadcast' });
    await studio.getByRole('button', { name: 'Go live' }).click();
    await expect.poll(() => panel.getAttribute('data-status'), POLL).toBe('live');
    expect(live.streams.get('cam')?.status).toBe('live');

    const viewer = await open(`${origin}/?id=cam`);
    const player = viewer.getByRole('region', { name: 'Live video' });
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    // A moving picture (Chromium's fake camera draws a moving pattern) and sound (its fake microphone beeps).
    const first = await canvasFingerprint(viewer);
    await expect.poll(() => canvasFingerprint(viewer), POLL).not.toBe(first);
    await expect.poll(() => player.getAttribute('data-audio'), POLL).toBe('playing');
    await expect
      .poll(() => panel.locator('.onair-broadcaster-viewers').textContent(), POLL)
      .toBe('1 watching');

    // The microphone off and on again: the stream goes on.
    await studio.getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => panel.getAttribute('data-audio'), POLL).toBe('off');
    await studio.getByRole('button', { name: 'Unmute' }).click();
    await expect.poll(() => panel.getAttribute('data-audio'), POLL).toBe('on');

    // Another camera while live (the fake device list's last one): a new capture, a new container, the viewer
    // keeps getting pictures.
    const cameras = panel.getByRole('combobox', { name: 'Camera' });
    const options = await cameras
      .locator('option')
      .evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(0);
    await cameras.selectOption(options.at(-1) as string);
    await expect.poll(() => panel.getAttribute('data-status'), POLL).toBe('live');
    const afterSwitch = await canvasFingerprint(viewer);
    await expect.poll(() => canvasFingerprint(viewer), POLL).not.toBe(afterSwitch);
    expect(live.stats().channels.find((channel) => channel.id === 'cam')?.restarts ?? 0).toBeLessThanOrEqual(
      1,
    );

    await studio.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => panel.getAttribute('data-status'), POLL).toBe('ended');
    await expect.poll(() => player.getAttribute('data-off-air'), POLL).toBe('ended');
    expect(live.streams.get('cam')?.status).toBe('ended');
    await studio.close();
    await viewer.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
