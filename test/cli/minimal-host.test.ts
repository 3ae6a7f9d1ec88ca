import { type ChildProcess, spawn } from 'node:child_process';
import type { VideoInfo } from '@onair/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../e2e/chromium';
import { fixturePath } from '../fixtures/fixture-files';

const FIXTURE_ID = 'av-320x240-30fps';
const repositoryRoot = new URL('../../', import.meta.url);

/** `npm run minimal-host -- <file>` as examples/minimal-host/README.md says, in its own process group. */
function startMinimalHost(): { child: ChildProcess; watchUrl: Promise<string>; output: () => string } {
  const child = spawn('npm', ['run', 'minimal-host', '--', fixturePath('audioVideo')], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const watchUrl = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /watch: (http:\/\/127\.0\.0\.1:\d+\/watch)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the example exited (${code}) before its URL:\n${output}`)));
  });
  watchUrl.catch(() => {});
  return { child, watchUrl, output: () => output };
}

describe('examples/minimal-host, started as its README says', () => {
  let host: ReturnType<typeof startMinimalHost>;
  let watchUrl: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    host = startMinimalHost();
    watchUrl = await host.watchUrl;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (host.child.exitCode === null && host.child.pid !== undefined) {
      const exited = new Promise((resolve) => host.child.once('exit', resolve));
      // npm, and the node it started: the whole group.
      process.kill(-host.child.pid, 'SIGTERM');
      await exited;
    }
  });

  it('serves its own routes, the catalog under /live and the one-file watch page', async () => {
    expect(await (await fetch(new URL('/health', watchUrl))).json()).toEqual({ ok: true });
    const catalog = (await (await fetch(new URL('/live/videos', watchUrl))).json()) as VideoInfo[];
    expect(catalog.map((video) => video.id)).toEqual([FIXTURE_ID]);
    const page = await fetch(watchUrl);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<canvas id="picture"');
  });

  it('the watch page shows the live picture in Chromium', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(watchUrl);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).not.toBe('Connecting…');
    // The fixture is 320x240: the canvas takes the size of the frames it draws.
    await expect
      .poll(() => page.locator('#picture').getAttribute('data-frames'), { timeout: 30_000, interval: 250 })
      .toMatch(/^([1-9]\d+)$/);
    expect(await page.locator('#picture').evaluate((canvas: HTMLCanvasElement) => canvas.width)).toBe(320);
    expect(await page.locator('#status').textContent()).toBe('');
  });
});
