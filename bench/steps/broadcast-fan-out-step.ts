import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveStreamStats } from '@onair/server-middleware';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/e2e/chromium';
import { fixturePath } from '../../test/fixtures/fixture-files';
import { generateFixtures } from '../../test/fixtures/generate-fixtures';
import { buildBroadcastPage } from '../clients/broadcast-page';
import { type FleetWindowResult, ViewerFleet } from '../clients/viewer-fleet';
import { cpuPercent, findDescendants, machineCpuPercent, sampleMachine } from '../infra/proc-stats';
import {
  ffmpegCpuPercent,
  ffmpegCpuSeconds,
  type ServerChild,
  startBroadcastServerChild,
} from '../infra/server-child';
import { type BroadcastFanOutResult, type BroadcastFanOutStream, fpsFigures } from './broadcast-figures';
import { createStream, goLive } from './broadcast-latency-step';

export interface BroadcastFanOutOptions {
  streams: number;
  viewers: number;
  fanOutSeconds: number;
  warmUpMs: number;
  /** The broadcasters' canvas, `1280x720` for the target. */
  size: string;
}

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
  try {
    browser = await launchChromium();
    const ids = Array.from({ length: options.streams }, (_, index) => `cast-${index + 1}`);
    const broadcasters: Page[] = [];
    for (const id of ids) {
      const created = await createStream(server, id, `Broadcast ${id}`);
      broadcasters.push(await goLive(browser, server, created, options.size));
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
    await browser?.close();
    await server.stop();
  }
}
