import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../examples/demo/start-demo';
import { launchChromium } from './chromium';

// Our server's HLS ladder played by our player with hls.js in Chromium, through the demo page (issue 4): the
// other HLS browser test plays a static ffmpeg stream; this one has the middleware package, list and serve it.

const POLL = { timeout: 20_000, interval: 200 };
// The packager restarts after a backoff (1 s at first), then writes a fresh first segment: well inside this.
const RESUME = { timeout: 15_000, interval: 250 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The most the plan lets the playhead sit behind the clock (1 s segments): hls.js jumps back to its live edge once
 * more than 4 target durations behind it (`HLS_LIVE_CONFIG.liveMaxLatencyDurationCount`), that edge is the newest
 * segment's end, which a busy packager may let fall up to 2 segments behind the clock (issue 9), and hls.js looks
 * again about once a segment. A player that joined a VOD-like distance back, or never caught up, is far beyond it.
 */
const PLANNED_LATENCY_LIMIT_MS = (4 + 2 + 1) * 1_000;

const player = (page: Page) => page.getByRole('region', { name: 'Live video' });
const qualityMenu = (page: Page) => page.getByRole('combobox', { name: 'Quality' });

interface Playhead {
  currentTime: number;
  /** End of the buffered range around the playhead: what could still play with no new segment. */
  bufferedEnd: number;
}

const playhead = (page: Page): Promise<Playhead> =>
  page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('.onair-player__video');
    if (!video) return { currentTime: -1, bufferedEnd: -1 };
    let bufferedEnd = video.currentTime;
    for (let index = 0; index < video.buffered.length; index++) {
      if (video.buffered.start(index) <= video.currentTime) bufferedEnd = video.buffered.end(index);
    }
    return { currentTime: video.currentTime, bufferedEnd };
  });

async function playheadAdvances(page: Page): Promise<boolean> {
  const before = await playhead(page);
  await sleep(700);
  const after = await playhead(page);
  return before.currentTime >= 0 && after.currentTime > before.currentTime;
}

describe('the demo over HLS in Chromium (our server, our player, hls.js)', () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([
      startDemo({ port: 0, host: '127.0.0.1', hls: true, log: () => {} }),
      launchChromium(),
    ]);
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('plays the first video over HLS once the player\u2019s Transport setting says so, about as far behind live as planned', async () => {
    // The transport is one of the player's Settings (issue 12: the demo's own header picker is gone).
    await page.getByRole('button', { name: 'Settings' }).click();
    const transport = page.getByRole('combobox', { name: 'Transport' });
    await expect.poll(() => transport.count(), POLL).toBe(1);
    await transport.selectOption({ label: 'HLS' });

    await expect.poll(() => player(page).getAttribute('data-transport'), POLL).toBe('hls');
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);

    // Statistics sit in the player's Settings too (issue 12), open unless the transport change closed them.
    const showStats = page.getByRole('button', { name: 'Show statistics' });
    if (!(await showStats.isVisible())) await page.getByRole('button', { name: 'Settings' }).click();
    await showStats.click();
    const latency = page.locator('[data-stat="latency"] dd');
    await expect.poll(async () => /^\d+ ms$/.test((await latency.textContent()) ?? ''), POLL).toBe(true);
    const samples: number[] = [];
    for (let index = 0; index < 6; index++) {
      samples.push(Number.parseInt((await latency.textContent()) ?? '', 10));
      await sleep(500);
    }
    console.log(
      `HLS live latency of the demo (now − PROGRAM-DATE-TIME of the playhead): ${samples.join(', ')} ms`,
    );
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(PLANNED_LATENCY_LIMIT_MS);
    expect(pageErrors).toEqual([]);
  });

  it('reloads rendition playlists by blocking reload (_HLS_msn), and asks for segments without it', async () => {
    const blocking = () => requested.filter((url) => /\/index\.m3u8\?(?:.*&)?_HLS_msn=\d+/.test(url));
    await expect.poll(() => blocking().length, POLL).toBeGreaterThan(1);
    const segments = requested.filter((url) => /\/seg-\d+\.m4s/.test(url));
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.filter((url) => url.includes('_HLS_'))).toEqual([]);
  });

  it('lists Auto, 360p and 480p, locks each rendition chosen, and hands control back on Auto', async () => {
    const menu = qualityMenu(page);
    // hls.js orders levels by bitrate: read each option's index rather than assume the master playlist's order.
    await expect
      .poll(async () => (await menu.locator('option').allTextContents()).sort(), POLL)
      .toEqual(['360p', '480p', 'Auto']);

    for (const label of ['360p', '480p']) {
      const index = await menu.locator('option', { hasText: label }).getAttribute('value');
      await menu.selectOption({ label });
      await expect.poll(() => player(page).getAttribute('data-hls-level'), POLL).toBe(index);
      await expect
        .poll(() => page.locator('[data-stat="quality"] dd').textContent(), POLL)
        .toBe(`${label} (level ${index})`);
      await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    }

    await menu.selectOption({ label: 'Auto' });
    await expect.poll(() => menu.inputValue(), POLL).toBe('auto');
    // Still automatic a moment later (no lock came back), still playing a known rendition.
    await sleep(1_500);
    expect(await menu.inputValue()).toBe('auto');
    expect(['0', '1']).toContain(await player(page).getAttribute('data-hls-level'));
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('resumes playback after the channel’s HLS packager ffmpeg is killed', async () => {
    const running = demo!.stats().hls.filter((packager) => packager.pid !== null);
    expect(running).toHaveLength(1);
    const packager = running[0]!;
    const killedPid = packager.pid!;

    const atKill = await playhead(page);
    process.kill(killedPid, 'SIGKILL');

    // The server notices and starts a new ffmpeg for the same channel.
    await expect
      .poll(() => demo!.stats().hls.find((entry) => entry.id === packager.id), RESUME)
      .toMatchObject({ restarts: packager.restarts + 1, running: true });
    expect(demo!.stats().hls.find((entry) => entry.id === packager.id)?.pid).not.toBe(killedPid);

    // Past what was buffered when ffmpeg died: only segments of the new packager can have got it there.
    await expect
      .poll(async () => (await playhead(page)).currentTime, RESUME)
      .toBeGreaterThan(atKill.bufferedEnd + 1);
    await expect.poll(() => playheadAdvances(page), POLL).toBe(true);
    expect(await player(page).getAttribute('data-transport')).toBe('hls');
    console.log(
      `HLS packager ${killedPid} killed at playhead ${atKill.currentTime.toFixed(1)} s ` +
        `(buffered to ${atKill.bufferedEnd.toFixed(1)} s); playing again at ${(await playhead(page)).currentTime.toFixed(1)} s`,
    );
    expect(pageErrors).toEqual([]);
  });
});
