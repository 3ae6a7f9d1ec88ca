import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import type { DemoVideo } from '../../examples/demo/start-demo';
import { DEMO_MOUNT, startDemo } from '../../examples/demo/start-demo';
import { launchChromium } from '../../test/e2e/chromium';
import { showPlayerStats } from '../clients/player-stats';
import { isRunningAs } from '../infra/proc-stats';
import { percentile, sortedCopy } from '../infra/statistics';

export interface HlsPlayerResult {
  segmentSeconds: number;
  /** Navigation start → the first video frame presented (`requestVideoFrameCallback`), cold packager. */
  timeToFirstFrameMs: number;
  /** Navigation start → the video's first `playing` event. */
  timeToPlayingMs: number;
  /** Readings of the player's Latency (now − PROGRAM-DATE-TIME of the playhead), one every `sampleEveryMs`. */
  latencySamples: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** `waiting` events after the first frame: the playhead ran out of media. */
  stalls: number;
  /** The rendition playing at the end (hls.js' automatic choice). */
  level: string;
  /** The channel's JPEG rung encoders at the end: the WebSocket side's work while only HLS plays. */
  jpegEncoders: number;
}

const FIRST_FRAME_TIMEOUT_MS = 20_000;

/**
 * Runs in the page before its scripts: notes when the video first plays and first presents a frame, on the
 * page's clock (`performance.now()` counts from navigation start), and counts stalls after that. A string, not
 * a function: tsx wraps a function's inner functions in a `__name` helper that the page does not have.
 */
const WATCH_FIRST_FRAME = `
  const marks = { playing: -1, firstFrame: -1, stalls: 0 };
  window.__onairMarks = marks;
  const watched = new WeakSet();
  const watch = (event) => {
    const video = event.target;
    if (!(video instanceof HTMLVideoElement) || watched.has(video)) return;
    watched.add(video);
    video.requestVideoFrameCallback?.((now, frame) => {
      if (marks.firstFrame < 0) marks.firstFrame = frame.presentationTime;
    });
  };
  // Media events do not bubble: listen in the capture phase, where every element's events pass.
  for (const type of ['loadstart', 'loadeddata']) document.addEventListener(type, watch, true);
  document.addEventListener('playing', (event) => {
    if (marks.playing < 0) marks.playing = performance.now();
    watch(event);
  }, true);
  document.addEventListener('waiting', () => {
    if (marks.firstFrame >= 0) marks.stalls++;
  }, true);
`;

interface Marks {
  playing: number;
  firstFrame: number;
  stalls: number;
}

const readMarks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __onairMarks: Marks }).__onairMarks);

async function readLatency(page: Page): Promise<number | null> {
  const text = (await page.locator('[data-stat="latency"] dd').textContent()) ?? '';
  return /^\d+ ms$/.test(text) ? Number.parseInt(text, 10) : null;
}

/**
 * The HLS targets are what a viewer gets, so they are measured on the real player: the demo page in
 * Chromium with `?transport=hls`, served in this process by `startDemo` (one channel, `segmentSeconds` segments)
 * whose packager has not started yet. First frame = navigation start → the first frame presented; then the
 * player's Latency readout is read every `sampleEveryMs` for `measureMs`.
 */
export async function runHlsPlayerStep(
  video: DemoVideo,
  segmentSeconds: number,
  measureMs: number,
  sampleEveryMs = 500,
  /** > 0: a warm join, the packager started by a playlist request this long before the page opens. */
  warmUpMs = 0,
): Promise<HlsPlayerResult> {
  const demo = await startDemo({
    port: 0,
    host: '127.0.0.1',
    videos: [video],
    hls: { segmentSeconds },
    log: () => {},
  });
  const packagerPids: number[] = [];
  const browser = await launchChromium().catch(async (error: unknown) => {
    await demo.close();
    throw error;
  });
  try {
    if (warmUpMs > 0) {
      const catalog = (await (await fetch(new URL(`${DEMO_MOUNT}/videos`, demo.url))).json()) as {
        hlsUrl: string;
      }[];
      const master = await fetch(new URL(catalog[0]?.hlsUrl ?? '', demo.url));
      if (!master.ok) throw new Error(`warming the HLS packager: ${master.status}`);
      await sleep(warmUpMs);
    } else if (demo.stats().hls.some((packager) => packager.state !== 'idle')) {
      throw new Error('the HLS packager is not cold before the player opens the page');
    }
    const page = await browser.newPage();
    await page.addInitScript(WATCH_FIRST_FRAME);
    await page.goto(`${demo.url}?transport=hls`);
    const deadline = Date.now() + FIRST_FRAME_TIMEOUT_MS;
    let marks = await readMarks(page);
    while (marks.firstFrame < 0) {
      if (Date.now() > deadline) throw new Error(`no HLS frame in ${FIRST_FRAME_TIMEOUT_MS / 1000} s`);
      await sleep(50);
      marks = await readMarks(page);
    }
    packagerPids.push(
      ...demo.stats().hls.flatMap((packager) => (packager.pid === null ? [] : [packager.pid])),
    );

    await showPlayerStats(page);
    const latencies: number[] = [];
    const measureEnd = Date.now() + measureMs;
    while (Date.now() < measureEnd) {
      await sleep(sampleEveryMs);
      const latency = await readLatency(page);
      if (latency !== null) latencies.push(latency);
    }
    const sorted = sortedCopy(latencies);
    const level = (await page.locator('[data-stat="quality"] dd').textContent()) ?? '–';
    // Read again: `playing` may fire after the first frame is presented, and stalls are counted all along.
    const end = await readMarks(page);
    return {
      segmentSeconds,
      timeToFirstFrameMs: marks.firstFrame,
      timeToPlayingMs: end.playing < 0 ? Number.NaN : end.playing,
      latencySamples: latencies.length,
      latencyP50Ms: percentile(sorted, 50),
      latencyP95Ms: percentile(sorted, 95),
      latencyMaxMs: sorted.at(-1) ?? Number.NaN,
      stalls: end.stalls,
      level,
      jpegEncoders: demo.stats().channels.reduce((sum, channel) => sum + channel.encoders, 0),
    };
  } finally {
    await browser.close();
    await demo.close();
    for (const pid of packagerPids.filter((pid) => isRunningAs(pid, 'ffmpeg'))) {
      console.warn(`HLS packager ${pid} outlived the demo: killing it`);
      process.kill(pid, 'SIGKILL');
    }
  }
}
