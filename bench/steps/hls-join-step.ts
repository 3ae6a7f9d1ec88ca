import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { DEMO_MOUNT, type RunningDemo, startDemo } from '../../examples/demo/start-demo';
import { launchChromium } from '../../test/e2e/chromium';
import { showPlayerStats } from '../clients/player-stats';
import { isRunningAs } from '../infra/proc-stats';
import { percentile, sortedCopy } from '../infra/statistics';
import { ensureClockVideo, frameLatencyMs, probeDurationSec, READ_CLOCK_FRAMES } from './clock-video';

export type HlsJoin = 'cold' | 'warm';

export interface HlsJoinResult {
  join: HlsJoin;
  segmentSeconds: number;
  /** How long the packager ran (polled like a player) before the page opened; 0 for a cold join. */
  warmedMs: number;
  /** Navigation start → the first video frame presented. */
  firstFrameMs: number;
  /** The player's Latency readout (now − PROGRAM-DATE-TIME of the playhead), read every 500 ms. */
  playerP50Ms: number;
  playerP95Ms: number;
  /** Frames whose code the page read, and how long after they were on air each was shown (the clock's figure). */
  clockFrames: number;
  /** Median of the first second of frames: where the player started, before any catch-up. */
  clockStartMs: number;
  clockP50Ms: number;
  clockP95Ms: number;
  clockMaxMs: number;
  /** How long after its end on the live timeline each new segment was first listed (read every 100 ms). */
  listedAfterEndP50Ms: number;
  stalls: number;
  level: string;
}

const FIRST_FRAME_TIMEOUT_MS = 20_000;
const PLAYLIST_POLL_MS = 100;

interface JoinMarks {
  firstFrame: number;
  playing: number;
  stalls: number;
  frames: [number, number][];
}

const readMarks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __onairJoin: JoinMarks }).__onairJoin);

async function readPlayerLatency(page: Page): Promise<number | null> {
  const text = (await page.locator('[data-stat="latency"] dd').textContent()) ?? '';
  return /^\d+ ms$/.test(text) ? Number.parseInt(text, 10) : null;
}

/** The first rendition's playlist URL, from the catalog's master playlist. */
async function mediaPlaylistUrl(demo: RunningDemo): Promise<URL> {
  const catalog = (await (await fetch(new URL(`${DEMO_MOUNT}/videos`, demo.url))).json()) as {
    hlsUrl: string;
  }[];
  const masterUrl = new URL(catalog[0]?.hlsUrl ?? '', demo.url);
  const master = await fetch(masterUrl);
  if (!master.ok) throw new Error(`master playlist: HTTP ${master.status}`);
  const variant = (await master.text()).split('\n').find((line) => line.trim() && !line.startsWith('#'));
  if (!variant) throw new Error('the master playlist lists no variant');
  return new URL(variant.trim(), masterUrl);
}

/** The newest segment's end on the live timeline (its PROGRAM-DATE-TIME plus EXTINF), in Unix ms. */
export function newestSegmentEnd(playlist: string): number | null {
  let date: number | null = null;
  let end: number | null = null;
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) date = Date.parse(line.slice(25));
    else if (line.startsWith('#EXTINF:') && date !== null)
      end = date + Number.parseFloat(line.slice(8)) * 1000;
  }
  return end;
}

/** Polls a media playlist like a player until `signal` aborts; returns how long after its end each new segment was listed. */
async function watchListing(url: URL, signal: AbortSignal): Promise<number[]> {
  const delays: number[] = [];
  let newest: number | null = null;
  while (!signal.aborted) {
    const response = await fetch(url).catch(() => null);
    const end = response?.ok ? newestSegmentEnd(await response.text()) : null;
    if (end !== null && newest !== null && end > newest) delays.push(Date.now() - end);
    if (end !== null) newest = end;
    await sleep(PLAYLIST_POLL_MS);
  }
  return delays;
}

/**
 * A viewer joining an HLS channel with the demo's player in Chromium (`?transport=hls`), on a test card whose
 * frames carry their number (`clock-video.ts`): `cold`, the first viewer starts the packager; `warm`, the packager
 * has run `warmUpMs` (a poller standing in for other viewers) before the page opens. Latency is read two ways for
 * `measureMs` from the first frame: the player's own readout, and each frame shown timed against the clock.
 */
export async function runHlsJoinStep(
  kind: HlsJoin,
  segmentSeconds: number,
  measureMs: number,
  warmUpMs = 30_000,
): Promise<HlsJoinResult> {
  const input = await ensureClockVideo();
  const durationSec = probeDurationSec(input);
  const demo = await startDemo({
    port: 0,
    host: '127.0.0.1',
    videos: [{ id: 'clock', title: 'Clock', input }],
    hls: { segmentSeconds },
    log: () => {},
  });
  const packagerPids: number[] = [];
  const stopPolling = new AbortController();
  let browser: Awaited<ReturnType<typeof launchChromium>> | null = null;
  try {
    browser = await launchChromium();
    let listing: Promise<number[]> | null = null;
    if (kind === 'warm') {
      listing = watchListing(await mediaPlaylistUrl(demo), stopPolling.signal);
      await sleep(warmUpMs);
    } else if (demo.stats().hls.some((packager) => packager.state !== 'idle')) {
      throw new Error('the HLS packager is not cold before the player opens the page');
    }
    const page = await browser.newPage();
    await page.addInitScript(READ_CLOCK_FRAMES);
    await page.goto(`${demo.url}?transport=hls`);
    const deadline = Date.now() + FIRST_FRAME_TIMEOUT_MS;
    while ((await readMarks(page)).firstFrame < 0) {
      if (Date.now() > deadline) throw new Error(`no HLS frame in ${FIRST_FRAME_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
    listing ??= watchListing(await mediaPlaylistUrl(demo), stopPolling.signal);
    packagerPids.push(
      ...demo.stats().hls.flatMap((packager) => (packager.pid === null ? [] : [packager.pid])),
    );

    await showPlayerStats(page);
    const playerLatencies: number[] = [];
    const measureEnd = Date.now() + measureMs;
    while (Date.now() < measureEnd) {
      await sleep(500);
      const latency = await readPlayerLatency(page);
      if (latency !== null) playerLatencies.push(latency);
    }
    const marks = await readMarks(page);
    stopPolling.abort();
    const clock = marks.frames.map(([shownAt, frame]) => frameLatencyMs(shownAt, frame, durationSec));
    const firstSecond = sortedCopy(clock.slice(0, 30));
    const sortedClock = sortedCopy(clock);
    const sortedPlayer = sortedCopy(playerLatencies);
    const listed = sortedCopy(await listing);
    return {
      join: kind,
      segmentSeconds,
      warmedMs: kind === 'warm' ? warmUpMs : 0,
      firstFrameMs: Math.round(marks.firstFrame),
      playerP50Ms: percentile(sortedPlayer, 50),
      playerP95Ms: percentile(sortedPlayer, 95),
      clockFrames: clock.length,
      clockStartMs: Math.round(percentile(firstSecond, 50)),
      clockP50Ms: Math.round(percentile(sortedClock, 50)),
      clockP95Ms: Math.round(percentile(sortedClock, 95)),
      clockMaxMs: Math.round(sortedClock.at(-1) ?? Number.NaN),
      listedAfterEndP50Ms: Math.round(percentile(listed, 50)),
      stalls: marks.stalls,
      level: (await page.locator('[data-stat="quality"] dd').textContent()) ?? '–',
    };
  } finally {
    stopPolling.abort();
    await browser?.close();
    await demo.close();
    for (const pid of packagerPids.filter((pid) => isRunningAs(pid, 'ffmpeg'))) {
      console.warn(`HLS packager ${pid} outlived the demo: killing it`);
      process.kill(pid, 'SIGKILL');
    }
  }
}
