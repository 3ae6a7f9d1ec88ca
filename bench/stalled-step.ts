import type { ServerChild } from './server-child';
import { percentile, sortedCopy } from './statistics';
import { ViewerFleet } from './viewer-fleet';

export interface StalledResult {
  stalledViewers: number;
  stallSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPeakMb: number;
  /** (RSS at the end of the stall − RSS before) / stalled viewers. */
  rssGrowthPerStalledViewerKb: number;
  /** What the server says it keeps in flight per viewer: its ack window × the mean frame size. */
  ackWindowFrames: number;
  ackWindowKb: number;
  /** Stalled viewers the server closed (heartbeat) during the stall. */
  stalledClosedByServer: number;
  /** A healthy viewer watching the same channel during the stall: is it hurt? */
  healthyViewerFps: number;
  healthyViewerDelayP99Ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `count` viewers select the channel and then never read again (socket paused), beside one healthy viewer.
 * Server memory must grow by a bounded amount per stalled viewer, not by everything the channel sends. Note the
 * kernel's socket buffers (a few MB per loopback connection) absorb data before the server's own memory does.
 */
export async function runStalledStep(
  server: ServerChild,
  count: number,
  stallMs: number,
): Promise<StalledResult> {
  const healthy = new ViewerFleet(server.wsUrl, 'bench');
  const stalled = new ViewerFleet(server.wsUrl, 'bench');
  try {
    await healthy.connect(1);
    await healthy.waitForFirstFrames(15_000);
    await sleep(3000);
    const rssBefore = percentile(sortedCopy([0, 1, 2].map(() => server.sample().rssBytes)), 50);

    healthy.startWindow();
    await stalled.connect(count, { stalled: true });
    let rssPeak = rssBefore;
    let rssAfter = rssBefore;
    for (let elapsed = 0; elapsed < stallMs; elapsed += 1000) {
      await sleep(1000);
      rssAfter = server.sample().rssBytes;
      rssPeak = Math.max(rssPeak, rssAfter);
    }
    const window = healthy.endWindow();
    const ackWindowFrames = healthy.viewers[0]?.ackWindow ?? Number.NaN;
    return {
      stalledViewers: count,
      stallSeconds: stallMs / 1000,
      rssBeforeMb: rssBefore / 2 ** 20,
      rssAfterMb: rssAfter / 2 ** 20,
      rssPeakMb: rssPeak / 2 ** 20,
      rssGrowthPerStalledViewerKb: (rssAfter - rssBefore) / count / 1024,
      ackWindowFrames,
      ackWindowKb: (ackWindowFrames * window.meanFrameBytes) / 1024,
      stalledClosedByServer: stalled.closedByServer(),
      healthyViewerFps: window.fpsPerViewer[0] ?? 0,
      healthyViewerDelayP99Ms: window.delays.percentile(99),
    };
  } finally {
    stalled.close();
    healthy.close();
  }
}
