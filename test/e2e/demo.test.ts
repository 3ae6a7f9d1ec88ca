import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../examples/demo/start-demo';
import { canvasFingerprint, type Rgb, regionColour } from './canvas-probe';
import { launchChromium } from './chromium';
import { logSocket, type SocketLog } from './socket-log';

// A patch of the left edge, below the title: solid red in the test card (testsrc2), 40% grey in the colour
// bars (smptehdbars), on every frame of the samples, so it says which video is on screen. In the samples' 854x480
// pixels; the probe scales it to whatever rung the player shows.
const LEFT_EDGE = { x: 20, y: 190, width: 20, height: 20, sourceWidth: 854 };
const isRed = (colour: Rgb | null) => !!colour && colour.r > 200 && colour.g < 60 && colour.b < 60;
const isMidGrey = (colour: Rgb | null) =>
  !!colour && Math.abs(colour.r - 102) < 30 && Math.abs(colour.g - 102) < 30 && Math.abs(colour.b - 102) < 30;

const POLL = { timeout: 20_000, interval: 200 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Scoped to the selector: the player's quality menu has options too.
const videoOptions = (page: Page) => page.getByRole('listbox', { name: 'Videos' }).getByRole('option');

/** Two fingerprints half a second apart: a live picture has moved in between. */
async function pictureIsMoving(page: Page): Promise<boolean> {
  const first = await canvasFingerprint(page);
  await sleep(500);
  const second = await canvasFingerprint(page);
  return first !== null && second !== null && first !== second;
}

describe('the demo in Chromium', () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  // Uncaught exceptions and console errors of the page (a failed worklet, a 404): none are expected.
  const pageErrors: string[] = [];
  let socket: SocketLog;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startDemo({ port: 0, host: '127.0.0.1', log: () => {} });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // Counts the JPEG Blobs the page's main thread makes: Chromium registers each with its browser process, and
    // the page waits for it (issue 9: the audio ran dry behind those waits). The player makes them in a worker.
    await page.addInitScript(() => {
      const scope = window as unknown as { jpegBlobsOnMainThread: number };
      scope.jpegBlobsOnMainThread = 0;
      const NativeBlob = Blob;
      window.Blob = class extends NativeBlob {
        constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
          super(parts, options);
          if (options?.type === 'image/jpeg') scope.jpegBlobsOnMainThread++;
        }
      };
    });
    socket = logSocket(page);
    await page.goto(demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('plays the first video live: picture moves, data-state reaches live, stats show fps', async () => {
    const options = videoOptions(page);
    await expect.poll(() => options.count(), POLL).toBe(3);
    const first = options.nth(0);
    expect(await first.textContent()).toContain('Test card');
    await first.click();

    const player = page.getByRole('region', { name: 'Live video' });
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => pictureIsMoving(page), POLL).toBe(true);
    await expect.poll(() => regionColour(page, LEFT_EDGE).then(isRed), POLL).toBe(true);
    // The sound comes on the player's audio socket (PROTOCOL.md, "The audio socket"), apart from the video, and plays.
    await expect.poll(() => socket.audio.onAudioSocket, POLL).toBeGreaterThan(25);
    expect(socket.audio.sockets).toBe(1);
    await expect.poll(() => player.getAttribute('data-audio'), POLL).toBe('playing');

    // Statistics sit in the player's Settings (issue 12).
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Show statistics' }).click();
    const fps = page.locator('[data-stat="fps"] dd');
    await expect.poll(async () => Number(await fps.textContent()), POLL).toBeGreaterThan(0);
    // Every frame shown was decoded off the main thread.
    expect(
      await page.evaluate(
        () => (window as unknown as { jpegBlobsOnMainThread: number }).jpegBlobsOnMainThread,
      ),
    ).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('switches the picture to the second video when it is picked', async () => {
    const second = videoOptions(page).nth(1);
    expect(await second.textContent()).toContain('Colour bars');
    await second.click();

    await expect.poll(() => second.getAttribute('aria-selected'), POLL).toBe('true');
    await expect.poll(() => regionColour(page, LEFT_EDGE).then(isMidGrey), POLL).toBe(true);
    await expect
      .poll(() => page.getByRole('region', { name: 'Live video' }).getAttribute('data-state'), POLL)
      .toBe('live');
    await expect.poll(() => pictureIsMoving(page), POLL).toBe(true);
    expect(await regionColour(page, LEFT_EDGE).then(isRed)).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('tells the server when its page stalled, and plays on', async () => {
    const player = page.getByRole('region', { name: 'Live video' });
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    const before = socket.feedback.length;
    // A long task: the main thread runs nothing else for 400 ms.
    await page.evaluate(() => {
      const end = performance.now() + 400;
      while (performance.now() < end) {}
    });
    await expect
      .poll(() => socket.feedback.slice(before).some((report) => (report.pageStallMs ?? 0) >= 390), POLL)
      .toBe(true);
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => pictureIsMoving(page), POLL).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
