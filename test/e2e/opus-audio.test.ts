import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AudioTestServer, startAudioTestServer } from './audio-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './chromium';
import { buildVitePage } from './vite-page';

// Issue 9: the player plays Opus through WebCodecs, falls back to PCM when `AudioDecoder` is absent, and plays
// sound on a page that is not a secure context (plain http from a non-localhost name) through scheduled buffer
// sources. Against a stand-in server (./audio-server.ts) that sends what the hello asks for.

const _repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const POLL = { timeout: 20_000, interval: 200 };

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Audio player test</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider } from '@onair/react';
import '@onair/react/styles.css';
createRoot(document.getElementById('root')).render(
  <LiveStreamProvider url="/live" reconnect={{ initialDelayMs: 200, jitter: 0 }}>
    <LiveStreamPlayer defaultShowStats />
  </LiveStreamProvider>,
);
`;

const buildPage = () => buildVitePage('audio-page', PAGE_HTML, PAGE_SCRIPT);

const player = (page: Page) => page.getByRole('region', { name: 'Live video' });
const stat = (page: Page, key: string) => page.locator(`[data-stat="${key}"] dd`).textContent();

/**
 * How far behind live a player may hear the sound: its playout delay (120 ms, up to 420 ms after underruns on a
 * busy page), up to a chunk (40 ms) and the sinks' latency ceiling (300 ms) above it while it plays on, and the
 * output latency, with margin; a player that played a stall's backlog late would be two seconds behind.
 */
const AUDIO_LIVE_BOUND_MS = 1_000;
/** A moment of silence on a busy page (an underrun, then the grown playout delay) lasts less than this. */
const SOUND_AGAIN = { timeout: 3_000, interval: 100 };

/** The stats' `audio-behind-live` (the sound heard, behind the live edge), or NaN while no sound plays. */
async function audioBehindLiveMs(page: Page): Promise<number> {
  return Number((await stat(page, 'audio-behind-live'))?.replace(' ms', ''));
}

/** Sound is heard: the audio clock runs (`data-audio="playing"`) and stays so half a second later. */
async function soundPlays(page: Page): Promise<boolean> {
  const first = await player(page).getAttribute('data-audio');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const second = await player(page).getAttribute('data-audio');
  return first === 'playing' && second === 'playing';
}

describe('the player\u2019s audio paths in Chromium', () => {
  let server: AudioTestServer | undefined;
  let browser: Browser | undefined;
  let insecureBrowser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dist = await buildPage();
    server = await startAudioTestServer(dist);
    browser = await launchChromium();
    // A name that is not localhost: Chromium treats the page as not a secure context (no AudioWorklet, no WebCodecs).
    insecureBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP onair.test 127.0.0.1'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await insecureBrowser?.close();
    await server?.close();
  });

  async function open(target: Browser, url: string, init?: () => void): Promise<Page> {
    const page = await target.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (init) await page.addInitScript(init);
    await page.goto(url);
    return page;
  }

  it('offers Opus in its hello and plays Opus through WebCodecs into the worklet', async () => {
    const page = await open(browser!, server!.origin);
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    expect(server!.hellos.at(-1)?.audioCodecs).toEqual(['opus', 'pcm']);
    await expect.poll(() => stat(page, 'audio'), POLL).toBe('worklet · opus');
    await expect.poll(() => soundPlays(page), POLL).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('falls back to PCM when AudioDecoder is absent', async () => {
    const page = await open(browser!, server!.origin, () => {
      delete (globalThis as { AudioDecoder?: unknown }).AudioDecoder;
    });
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    expect(server!.hellos.at(-1)?.audioCodecs).toEqual(['pcm']);
    await expect.poll(() => stat(page, 'audio'), POLL).toBe('worklet · pcm');
    await expect.poll(() => soundPlays(page), POLL).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('plays PCM through scheduled buffer sources on a page that is not a secure context', async () => {
    const page = await open(insecureBrowser!, `http://onair.test:${server!.port}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await expect.poll(() => player(page).getAttribute('data-state'), POLL).toBe('live');
    expect(server!.hellos.at(-1)?.audioCodecs).toEqual(['pcm']);
    await expect.poll(() => stat(page, 'audio'), POLL).toBe('scheduled · pcm');
    await expect.poll(() => soundPlays(page), POLL).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  // After a stall the sound must come back at the live edge, not play the stall's backlog late. It did not: the
  // player stayed ~2.2 s behind live for good on the Opus path, since Chromium's AudioDecoder stamps its output by
  // counting frames from its first input, so the audio dropped as stale shifted every later sample's time.
  const paths = [
    { path: 'worklet · opus', secure: true, init: undefined },
    {
      path: 'worklet · pcm',
      secure: true,
      init: () => {
        delete (globalThis as { AudioDecoder?: unknown }).AudioDecoder;
      },
    },
    { path: 'scheduled · pcm', secure: false, init: undefined },
  ];
  it.each(paths)(
    '$path: after a stall and a burst, sound comes back at the live edge, the silence shown and counted as a gap',
    async ({ path: audioPath, secure, init }) => {
      const page = secure
        ? await open(browser!, server!.origin, init)
        : await open(insecureBrowser!, `http://onair.test:${server!.port}/`);
      await expect.poll(() => stat(page, 'audio'), POLL).toBe(audioPath);
      await expect.poll(() => soundPlays(page), POLL).toBe(true);
      await expect.poll(() => audioBehindLiveMs(page), POLL).toBeLessThanOrEqual(AUDIO_LIVE_BOUND_MS);
      const gapMs = async () => Number((await stat(page, 'audio-gaps'))?.replace(' ms', ''));
      const before = await gapMs();
      // Two seconds of nothing, then those two seconds at once (a socket that backed up).
      server!.stall(2_000);
      await expect.poll(() => player(page).getAttribute('data-audio'), POLL).toBe('silent');
      await expect.poll(() => soundPlays(page), POLL).toBe(true);
      expect((await gapMs()) - before).toBeGreaterThan(500);
      // A second after the sound came back, and for a while after: at the live edge, and staying there. A reading
      // waits for sound: on a busy machine the scheduled path (main-thread timers) may underrun again for a moment,
      // and a player playing the stall's backlog would read two seconds behind whenever it plays.
      const playingBehindLiveMs = async () => {
        let behind = Number.NaN;
        await expect
          .poll(async () => {
            behind = await audioBehindLiveMs(page);
            return Number.isFinite(behind);
          }, SOUND_AGAIN)
          .toBe(true);
        return behind;
      };
      for (let reading = 0; reading < 3; reading++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(await playingBehindLiveMs()).toBeLessThanOrEqual(AUDIO_LIVE_BOUND_MS);
        // The picture follows the sound's clock, so it is back at the live edge too.
        expect(Number((await stat(page, 'behind-live'))?.replace(' ms', ''))).toBeLessThanOrEqual(
          AUDIO_LIVE_BOUND_MS,
        );
      }
      await page.close();
      expect(pageErrors).toEqual([]);
    },
  );
});
