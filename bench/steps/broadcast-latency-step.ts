import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamCreated } from '@onair/protocol';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/e2e/chromium';
import { fixturePath } from '../../test/fixtures/fixture-files';
import { generateFixtures } from '../../test/fixtures/generate-fixtures';
import { type RunningRedis, startRedis } from '../../test/server/helpers/redis-server';
import { buildBroadcastPage } from '../clients/broadcast-page';
import { type ServerChild, startBroadcastServerChild } from '../infra/server-child';
import { type BroadcastLatencyResult, latencyFigures } from './broadcast-figures';
import { CLOCK_STREAM_SCRIPT, READ_TIME_CODES_SCRIPT } from './time-code';

const STREAM_ID = 'glass';
const LIVE_TIMEOUT_MS = 30_000;
/** How long the stream may take to show on instance B (Redis) and the first frame to be read there. */
const APPEAR_TIMEOUT_MS = 20_000;
// Generous: the server probes a new broadcast with ffprobe, which reads about 5 s of it in real time first, and
// on a loaded machine its 10 s probe timeout can pass once before a retry succeeds.
const FIRST_FRAME_TIMEOUT_MS = 60_000;
/** After the first frame, before measuring: the player's first buffer and catch-up are not the steady state. */
const WARM_UP_MS = 3_000;

interface TimeCodeReads {
  frames: [number, number][];
  unread: number;
}

const readCodes = (page: Page) =>
  page.evaluate(() => (window as unknown as { __onairTimeCodes: TimeCodeReads }).__onairTimeCodes);
export const drawnFrames = (page: Page) =>
  page.evaluate(() => (window as unknown as { __onairClockDrawn: number }).__onairClockDrawn);

/** The page's origin from a server child's mount URL (`http://127.0.0.1:port/live`). */
export const originOf = (server: ServerChild) => new URL(server.httpUrl).origin;

/** Creates a stream over REST (`POST <mount>/streams`), as a host app's broadcaster page would have it made. */
export async function createStream(server: ServerChild, id: string, title: string): Promise<StreamCreated> {
  const response = await fetch(`${server.httpUrl}/streams`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, title }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /streams answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as StreamCreated;
}

/** Opens our `<StreamBroadcaster>` on the picture clock, clicks Go live and waits until it is live. */
export async function goLive(
  browser: Browser,
  server: ServerChild,
  created: StreamCreated,
  size: string,
  /** Called on the new page before it opens: to listen to it from its first socket. */
  prepare: (page: Page) => void = () => {},
): Promise<Page> {
  const page = await browser.newPage();
  prepare(page);
  await page.addInitScript(CLOCK_STREAM_SCRIPT);
  const query = new URLSearchParams({
    mode: 'broadcast',
    id: created.stream.id,
    key: created.ingest.key,
    size,
  });
  await page.goto(`${originOf(server)}/?${query}`);
  const panel = page.getByRole('region', { name: 'Broadcast' });
  await page.getByRole('button', { name: 'Go live' }).click();
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  for (;;) {
    const status = await panel.getAttribute('data-status');
    if (status === 'live') return page;
    if (status === 'error' || Date.now() > deadline) {
      const problem = await panel.locator('[role="alert"]').allTextContents();
      throw new Error(
        `the broadcaster of "${created.stream.id}" is ${status}, not live: ${problem.join(' ')}`,
      );
    }
    await sleep(100);
  }
}

/** What the server says of a channel, for an error: a broadcast that never plays is explained here. */
async function channelSummary(server: ServerChild, id: string): Promise<string> {
  const channel = (await server.liveStats()).live.channels.find((each) => each.id === id);
  if (!channel) return 'none';
  const { state, framesIn, lagMs, framesShed, encodesShed, restarts } = channel;
  return JSON.stringify({ state, framesIn, lagMs, framesShed, encodesShed, restarts });
}

/** Waits until instance B knows the stream (REST answers it): what the Redis sharing (issue 13 item 4) must do. */
async function waitForStreamOn(server: ServerChild, id: string): Promise<void> {
  const deadline = Date.now() + APPEAR_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${server.httpUrl}/streams/${id}`).catch((error: unknown) => error);
    if (response instanceof Response) {
      const body = await response.text();
      last = `${response.status} ${body.slice(0, 200)}`;
      // Known on B is enough here: whether B plays it is what the viewer's first frame then says.
      if (response.ok) return;
    } else last = String(response);
    await sleep(250);
  }
  throw new Error(
    `stream "${id}", created and broadcast on instance A, was never known on instance B within ` +
      `${APPEAR_TIMEOUT_MS / 1000} s (last GET /streams/${id} on B: ${last}). Watching a broadcast from another ` +
      'instance needs the Redis feed sharing of issue 13 item 4.',
  );
}

/**
 * Glass to glass, browser to browser, over the WebSocket path on loopback: our `<StreamBroadcaster>` in Chromium
 * sends a 30 fps canvas (`size`, 1280x720 in the bench) whose blocks carry the instant each frame was drawn (`time-code.ts`) into a
 * stream created over REST; our `<LiveStreamPlayer>` in another page (another browser context) watches it, and
 * every frame it draws is read and timed against the machine's clock, for `seconds` after a short warm-up.
 * `instances: 2`: broadcast into instance A, watch on instance B, each with a Redis hub on a throwaway
 * `redis-server`.
 */
export async function runBroadcastLatencyStep(
  instances: 1 | 2,
  seconds: number,
  size: string,
): Promise<BroadcastLatencyResult> {
  const pageDir = await buildBroadcastPage();
  generateFixtures();
  const idleInput = fixturePath('videoOnly');
  let redis: RunningRedis | null = null;
  const servers: ServerChild[] = [];
  let browser: Browser | null = null;
  try {
    if (instances === 2) redis = await startRedis();
    const config = { pageDir, idleInput, options: {}, ...(redis ? { redisPort: redis.port } : {}) };
    for (let index = 0; index < instances; index++) servers.push(await startBroadcastServerChild(config));
    const ingestOn = servers[0] as ServerChild;
    const watchOn = servers.at(-1) as ServerChild;
    const created = await createStream(ingestOn, STREAM_ID, 'Glass to glass');
    browser = await launchChromium();
    const clickedAt = Date.now();
    const broadcaster = await goLive(browser, ingestOn, created, size);
    if (watchOn !== ingestOn) await waitForStreamOn(watchOn, STREAM_ID);

    const viewer = await browser.newPage();
    await viewer.addInitScript(READ_TIME_CODES_SCRIPT);
    await viewer.goto(`${originOf(watchOn)}/?id=${STREAM_ID}`);
    const firstDeadline = Date.now() + FIRST_FRAME_TIMEOUT_MS;
    let firstFrameAt = Number.NaN;
    while (Number.isNaN(firstFrameAt)) {
      const reads = await readCodes(viewer);
      if (reads.frames[0]) firstFrameAt = reads.frames[0][0];
      else if (Date.now() > firstDeadline) {
        const state = await viewer.locator('.onair-player').getAttribute('data-state');
        throw new Error(
          `the viewer${instances === 2 ? ' on instance B' : ''} read no frame of "${STREAM_ID}" in ` +
            `${FIRST_FRAME_TIMEOUT_MS / 1000} s (player state ${state}, ${reads.unread} frames drawn unread; ` +
            `the channel there: ${await channelSummary(watchOn, STREAM_ID)})`,
        );
      } else await sleep(100);
    }

    await sleep(WARM_UP_MS);
    const windowStart = Date.now();
    const drawnBefore = await drawnFrames(broadcaster);
    await sleep(seconds * 1000);
    const reads = await readCodes(viewer);
    const drawnAfter = await drawnFrames(broadcaster);
    const windowSeconds = (Date.now() - windowStart) / 1000;
    const inWindow = reads.frames.filter(([shownAt]) => shownAt >= windowStart);
    return {
      instances,
      size,
      seconds: windowSeconds,
      ...latencyFigures(inWindow, windowSeconds),
      unread: reads.unread,
      drawnFps: (drawnAfter - drawnBefore) / windowSeconds,
      firstFrameMs: firstFrameAt - clickedAt,
      level: (await viewer.locator('[data-stat="quality"] dd').textContent()) ?? '–',
    };
  } finally {
    await browser?.close();
    for (const server of servers) await server.stop();
    await redis?.stop();
  }
}
