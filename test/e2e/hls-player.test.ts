import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { resolveFfmpegTools } from '@onair/server-middleware';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { buildVitePage } from './vite-page';

// hls.js in Debian's Chromium plays a live HLS ladder made here by ffmpeg (issue 4: "hls.js in Debian's Chromium
// plays the stream: currentTime advances, the live latency is measured"). The server side is stood in for by a
// static file server, so this checks the player alone against the contract: a catalog entry with `hlsUrl`, a
// master playlist with two renditions, 1 s segments and EXT-X-PROGRAM-DATE-TIME.

const _repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository (gitignored) so Vite resolves @onair/react and react from its node_modules.
const POLL = { timeout: 20_000, interval: 200 };

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>HLS player test</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

// `?transport=hls` or `?transport=auto`; the provider's url is the static server's /live.
const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider } from '@onair/react';
import '@onair/react/styles.css';
const transportMode = new URLSearchParams(location.search).get('transport') ?? 'hls';
createRoot(document.getElementById('root')).render(
  <LiveStreamProvider url="/live" reconnect={{ initialDelayMs: 200, jitter: 0 }}>
    <LiveStreamPlayer transportMode={transportMode} defaultShowStats />
  </LiveStreamProvider>,
);
`;

const CATALOG = [
  {
    id: 'card',
    title: 'Test card',
    duration: null,
    width: 640,
    height: 360,
    fps: 25,
    hasAudio: true,
    thumbnailUrl: '/live/videos/card/thumbnail.jpg',
    hlsUrl: '/live/hls/card/master.m3u8',
  },
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
};

const buildPage = () => buildVitePage('hls-page', PAGE_HTML, PAGE_SCRIPT);

/**
 * A live ladder: testsrc2 + a tone in real time (-re), 640×360 and 426×240 H.264 with AAC, a keyframe every
 * second so every 1 s segment starts with one, a six-segment sliding window.
 */
function startPackager(ffmpeg: string, outDir: string): ChildProcess {
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-re'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-filter_complex', '[0:v]split=2[high][low0];[low0]scale=426:240[low]'],
    ...['-map', '[high]', '-map', '[low]', '-map', '1:a', '-map', '1:a'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-b:v:0', '800k', '-b:v:1', '300k'],
    ...['-c:a', 'aac', '-b:a', '64k', '-ac', '2'],
    ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '6'],
    ...['-hls_flags', 'delete_segments+program_date_time+independent_segments'],
    ...['-master_pl_name', 'master.m3u8', '-var_stream_map', 'v:0,a:0 v:1,a:1'],
    ...['-hls_segment_filename', path.join(outDir, 'stream_%v_%05d.ts'), path.join(outDir, 'stream_%v.m3u8')],
  ];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The 2018 build warns about renames on every playlist write; anything else is worth seeing.
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (!line.includes('Cannot use rename')) process.stderr.write(`ffmpeg: ${line}\n`);
    });
  }
  return child;
}

async function segmentsListed(playlist: string): Promise<number> {
  const text = await readFile(playlist, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.endsWith('.ts')).length;
}

/** `/` the page, `/live/videos` the catalog, `/live/hls/card/*` the packager's files; nothing answers WebSocket. */
function serve(pageDir: string, hlsDir: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/live/videos') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CATALOG));
      return;
    }
    const [root, relative] = pathname.startsWith('/live/hls/card/')
      ? [hlsDir, pathname.slice('/live/hls/card/'.length)]
      : [pageDir, pathname === '/' ? 'index.html' : pathname.slice(1)];
    const file = path.join(root, path.normalize(relative));
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const body = await readFile(file).catch(() => null);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const extension = path.extname(file);
    response
      .writeHead(200, {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'cache-control': extension === '.m3u8' ? 'no-cache' : 'max-age=60',
      })
      .end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
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

describe('<LiveStreamPlayer> over HLS in Chromium', () => {
  let hlsDirectory = '';
  let packager: ChildProcess | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    hlsDirectory = await mkdtemp(path.join(tmpdir(), 'onair-hls-e2e-'));
    packager = startPackager(resolveFfmpegTools().ffmpeg, hlsDirectory);
    let spawnError: Error | undefined;
    packager.on('error', (error) => {
      spawnError = error;
    });
    const [pageDir, launched] = await Promise.all([buildPage(), launchChromium()]);
    browser = launched;
    server = await serve(pageDir, hlsDirectory);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Three segments in the window before the first viewer, as a packager that has been on air a while.
    const playlist = path.join(hlsDirectory, 'stream_1.m3u8');
    const deadline = Date.now() + POLL.timeout;
    while ((await segmentsListed(playlist)) < 3) {
      if (spawnError) throw new Error(`ffmpeg could not start: ${spawnError.message}`);
      if (packager.exitCode !== null) throw new Error(`ffmpeg exited with code ${packager.exitCode}`);
      if (Date.now() > deadline) throw new Error('ffmpeg wrote no HLS segments in 20 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    packager?.kill('SIGKILL');
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (hlsDirectory) await rm(hlsDirectory, { recursive: true, force: true });
  });

  async function open(transport: 'hls' | 'auto'): Promise<Page> {
    const page = await browser!.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/?transport=${transport}`);
    return page;
  }

  it('plays the live stream with hls.js: the playhead advances and the latency is measured', async () => {
    const page = await open('hls');
    await expect.poll(() => player(page).getAttribute('data-transport'), POLL).toBe('hls');
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);

    const latency = page.locator('[data-stat="latency"] dd');
    await expect.poll(async () => /^\d+ ms$/.test((await latency.textContent()) ?? ''), POLL).toBe(true);
    const samples: number[] = [];
    for (let index = 0; index < 5; index++) {
      samples.push(Number.parseInt((await latency.textContent()) ?? '', 10));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log(`HLS live latency (now − PROGRAM-DATE-TIME of the playhead): ${samples.join(', ')} ms`);
    expect(Math.max(...samples)).toBeLessThan(6_000);
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('lists the renditions in the quality menu and locks the one chosen', async () => {
    const page = await open('hls');
    // The quality menu sits in the player's Settings (issue 12).
    await page.getByRole('button', { name: 'Settings' }).click();
    const menu = page.getByRole('combobox', { name: 'Quality' });
    // hls.js orders levels by bitrate, whatever the master playlist's order: read each option's index.
    await expect
      .poll(async () => (await menu.locator('option').allTextContents()).sort(), POLL)
      .toEqual(['240p', '360p', 'Auto']);
    await expect.poll(() => player(page).getAttribute('data-hls-level'), POLL).not.toBeNull();

    for (const label of ['240p', '360p']) {
      const index = await menu.locator('option', { hasText: label }).getAttribute('value');
      await menu.selectOption({ label });
      await expect.poll(() => player(page).getAttribute('data-hls-level'), POLL).toBe(index);
      await expect
        .poll(() => page.locator('[data-stat="quality"] dd').textContent(), POLL)
        .toBe(`${label} (level ${index})`);
    }
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    await menu.selectOption({ label: 'Auto' });
    expect(await menu.inputValue()).toBe('auto');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('falls back from a WebSocket that refuses connections to HLS in auto mode', async () => {
    const page = await open('auto');
    await expect.poll(() => player(page).getAttribute('data-transport'), POLL).toBe('hls');
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
