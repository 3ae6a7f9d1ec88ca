import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LiveStreamStats, resolveFfmpegTools } from '@onair/server-middleware';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/e2e/chromium';
import { fixturePath } from '../../test/fixtures/fixture-files';
import { generateFixtures } from '../../test/fixtures/generate-fixtures';
import { buildBroadcastPage } from '../clients/broadcast-page';
import {
  BroadcastReplay,
  type RecordedBroadcast,
  recordBroadcastSocket,
  recordedFrameRate,
} from '../clients/recorded-broadcast';
import { type FleetWindowResult, ViewerFleet } from '../clients/viewer-fleet';
import { cpuPercent, findDescendants, machineCpuPercent, sampleMachine } from '../infra/proc-stats';
import {
  ffmpegCpuPercent,
  ffmpegCpuSeconds,
  type ServerChild,
  startBroadcastServerChild,
} from '../infra/server-child';
import { type BroadcastFanOutResult, type BroadcastFanOutStream, fpsFigures } from './broadcast-figures';
import { createStream, drawnFrames, goLive } from './broadcast-latency-step';

export interface BroadcastFanOutOptions {
  streams: number;
  viewers: number;
  fanOutSeconds: number;
  warmUpMs: number;
  /** The broadcasters' canvas, `1280x720` for the target. */
  size: string;
  /**
   * `browsers`: a Chromium page broadcasts each stream, on the machine the server runs on. `recorded`: one page
   * broadcasts alone first and its socket's chunks are kept; then each stream is fed those chunks at the pace they
   * left the page, so the server's two cores are measured as a deployment has them (its broadcasters elsewhere).
   */
  source: 'browsers' | 'recorded';
}

/** Beyond the warm-up and the window, seconds of recording for the replays' first frames (the probe reads ~5 s). */
const RECORDING_MARGIN_S = 30;

// Generous: the server probes a new broadcast with ffprobe, which reads about 5 s of it in real time first, and
// on a loaded machine its 10 s probe timeout can pass once before a retry succeeds.
const FIRST_FRAME_TIMEOUT_MS = 60_000;

/** CPU seconds so far of this process's Chromium processes (the browser and its renderers: the broadcasters). */
function chromiumCpuSeconds(): number {
  return findDescendants(process.pid, 'chromium').reduce((sum, child) => sum + child.cpuSeconds, 0);
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '–';
}

/** One stream's row: its fleet's window, and the server's counters for it before and after the window. */
function streamFigures(
  id: string,
  fleet: ViewerFleet,
  window: FleetWindowResult,
  before: LiveStreamStats,
  after: LiveStreamStats,
): BroadcastFanOutStream {
  const channel = (stats: LiveStreamStats) => stats.channels.find((each) => each.id === id);
  const sessions = (stats: LiveStreamStats) => stats.sessions.filter((session) => session.videoId === id);
  const skipped = (stats: LiveStreamStats) =>
    sessions(stats).reduce((sum, session) => sum + session.framesSkipped, 0);
  const [first, last] = [channel(before), channel(after)];
  return {
    id,
    viewers: fleet.viewers.length,
    playing: fleet.timesToFirstFrame().length,
    ...fpsFigures(window.fpsPerViewer),
    inputFps: ((last?.framesIn ?? 0) - (first?.framesIn ?? 0)) / window.seconds,
    framesShed: (last?.framesShed ?? 0) - (first?.framesShed ?? 0),
    encodesShed: (last?.encodesShed ?? 0) - (first?.encodesShed ?? 0),
    framesSkipped: skipped(after) - skipped(before),
    outputChanges: (last?.output?.changes ?? 0) - (first?.output?.changes ?? 0),
    outputLevel: last?.output ? `${last.output.width}x${last.output.height}@${last.output.fps}` : '–',
    rung: mostCommon(sessions(after).map((session) => session.rungLabel ?? '–')),
    delayP50Ms: window.delays.percentile(50),
    delayP99Ms: window.delays.percentile(99),
  };
}

/**
 * `streams` browser broadcasts at once (our `<StreamBroadcaster>` in Chromium, a page each, a 1280×720 30 fps
 * canvas each) into one server child, each stream watched by `viewers` headless viewers (the fan-out's lean
 * fleet); after every viewer's first frame and a warm-up, each viewer's fps over `fanOutSeconds`, with what the
 * server shed per stream and the CPU of the server, its ffmpeg, the viewers and Chromium.
 */
export async function runBroadcastFanOutStep(
  options: BroadcastFanOutOptions,
): Promise<BroadcastFanOutResult> {
  const pageDir = await buildBroadcastPage();
  generateFixtures();
  const idleInput = fixturePath('videoOnly');
  const server: ServerChild = await startBroadcastServerChild({ pageDir, idleInput, options: {} });
  let browser: Browser | null = null;
  const fleets: ViewerFleet[] = [];
  const replays: BroadcastReplay[] = [];
  let recorded: BroadcastFanOutResult['recorded'] = null;
  try {
    browser = await launchChromium();
    const ids = Array.from({ length: options.streams }, (_, index) => `cast-${index + 1}`);
    if (options.source === 'recorded') {
      const seconds = options.fanOutSeconds + options.warmUpMs / 1000 + RECORDING_MARGIN_S;
      const { recording, canvasFps } = await recordBroadcast(browser, server, options.size, seconds);
      await browser.close();
      browser = null;
      recorded = { seconds, canvasFps, ...recordedFrameRate(recording, resolveFfmpegTools().ffprobe) };
      const ingestUrl = server.wsUrl.replace(/\/ws$/, '/ingest');
      for (const id of ids) {
        const replay = new BroadcastReplay(ingestUrl, recording);
        replays.push(replay);
        await replay.start(await createStream(server, id, `Broadcast ${id}`));
      }
    } else {
      for (const id of ids) {
        const created = await createStream(server, id, `Broadcast ${id}`);
        await goLive(browser, server, created, options.size);
      }
    }
    for (const id of ids) {
      const fleet = new ViewerFleet(server.wsUrl, id);
      fleets.push(fleet);
      await fleet.connect(options.viewers, { audioCodecs: ['opus', 'pcm'] });
    }
    await Promise.all(fleets.map((fleet) => fleet.waitForFirstFrames(FIRST_FRAME_TIMEOUT_MS)));
    await sleep(options.warmUpMs);

    const before = await server.liveStats();
    const serverBefore = server.sample();
    const machineBefore = sampleMachine();
    const ffmpegBefore = ffmpegCpuSeconds(server);
    const chromiumBefore = chromiumCpuSeconds();
    const fleetCpuBefore = process.cpuUsage();
    for (const fleet of fleets) fleet.startWindow();
    await sleep(options.fanOutSeconds * 1000);
    const windows = fleets.map((fleet) => fleet.endWindow());
    if (replays.some((replay) => replay.finished)) {
      throw new Error(
        `a replayed broadcast ran out of its ${recorded?.seconds} s recording before the window ended: the first ` +
          'frames took longer than RECORDING_MARGIN_S allows',
      );
    }
    const fleetCpu = process.cpuUsage(fleetCpuBefore);
    const serverAfter = server.sample();
    const machineAfter = sampleMachine();
    const ffmpegAfter = ffmpegCpuSeconds(server);
    const chromiumAfter = chromiumCpuSeconds();
    const after = await server.liveStats();
    const seconds = serverAfter.at - serverBefore.at;
    return {
      seconds,
      size: options.size,
      recorded,
      streams: ids.map((id, index) =>
        streamFigures(
          id,
          fleets[index] as ViewerFleet,
          windows[index] as FleetWindowResult,
          before.live,
          after.live,
        ),
      ),
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      ffmpegCpuPercent: ffmpegCpuPercent(ffmpegBefore, ffmpegAfter, seconds),
      fleetCpuPercent: ((fleetCpu.user + fleetCpu.system) / 1e6 / seconds) * 100,
      chromiumCpuPercent: ((chromiumAfter - chromiumBefore) / seconds) * 100,
      machineCpuPercent: machineCpuPercent(machineBefore, machineAfter, os.cpus().length),
    };
  } finally {
    for (const fleet of fleets) fleet.close();
    for (const replay of replays) replay.close();
    await browser?.close();
    await server.stop();
  }
}

/**
 * One broadcaster page alone, live for `seconds` into a stream of its own, its socket's chunks kept; the stream is
 * removed after. `canvasFps`: what its canvas drew meanwhile.
 */
async function recordBroadcast(
  browser: Browser,
  server: ServerChild,
  size: string,
  seconds: number,
): Promise<{ recording: RecordedBroadcast; canvasFps: number }> {
  const created = await createStream(server, 'recording', 'Recorded for the replays');
  let recorder: ReturnType<typeof recordBroadcastSocket> | null = null;
  const page = await goLive(browser, server, created, size, (opened) => {
    recorder = recordBroadcastSocket(opened);
  });
  const drawnBefore = await drawnFrames(page);
  const startedAt = performance.now();
  await sleep(seconds * 1000);
  const canvasFps = ((await drawnFrames(page)) - drawnBefore) / ((performance.now() - startedAt) / 1000);
  const recording = (recorder as ReturnType<typeof recordBroadcastSocket> | null)?.take();
  await page.close();
  const removed = await fetch(`${server.httpUrl}/streams/${created.stream.id}`, { method: 'DELETE' });
  if (!removed.ok) throw new Error(`DELETE /streams/${created.stream.id} answered ${removed.status}`);
  if (!recording) throw new Error('the broadcaster page opened no broadcast socket to record');
  return { recording, canvasFps };
}
