import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { launchChromium } from './chromium';
import { type PlayerPageServer, startPlayerPage } from './player-page';
import { logSocket } from './socket-log';

const POLL = { timeout: 30_000, interval: 200 };

// A viewer sent fewer frames than the channel's (it asked for 5 fps here; the server also decimates a viewer
// whose link cannot carry the lowest rung) has no frame waiting for most of each 200 ms. Its player counts each
// frame as standing until the next is due; counted at the channel's rate, its buffer read as empty and the server
// stepped it down for a low buffer, down to 144p and then fewer frames still, for good (issue 13's bench).
describe('a player at a reduced frame rate, in Chromium against the real server', () => {
  let server: PlayerPageServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startPlayerPage([{ id: 'card', input: fixturePath('audioVideo'), title: 'Test card' }]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports a full buffer at 5 fps and is never stepped down for it', async () => {
    const page = await (browser as Browser).newPage();
    const log = logSocket(page);
    await page.goto(`${server?.url}?fps=5`);
    const player = page.getByRole('region', { name: 'Live video' });
    await expect.poll(() => player.getAttribute('data-state'), POLL).toBe('live');
    await expect.poll(() => log.feedback.length, POLL).toBeGreaterThanOrEqual(16);
    // The first reports are the buffer filling; from the fourth on it is steady.
    const steady = log.feedback.slice(4);
    expect(Math.min(...steady.map((report) => report.bufferLevel))).toBeGreaterThanOrEqual(0.5);
    expect(log.moves.filter((move) => move.reason === 'buffer-low')).toEqual([]);
    await page.close();
  });
});
