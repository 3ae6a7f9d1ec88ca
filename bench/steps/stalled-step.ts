import { setTimeout as sleep } from 'node:timers/promises';
import { ViewerFleet } from '../clients/viewer-fleet';
import type { ServerChild } from '../infra/server-child';
import { percentile, sortedCopy } from '../infra/statistics';

export interface StalledResult {
  stalledViewers: number;
  stallSeconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** (peak RSS during the stall − RSS before) / stalled viewers. */
  rssGrowthPerStalledViewerKb: number;
  /** The configured bound: `maxBufferedBytes`, what a viewer that stopped reading may hold in the server. */
  maxBufferedKb: number;
  /** The largest `bufferedAmount` the server reported for one stalled viewer during the stall. */
  maxStalledBufferedKb: number;
  /** Seconds into the stall when the server first held bytes for a stalled viewer (the kernel held them). */
  firstBufferedAfterS: number | null;
  /** Video frames sent ahead of acks (the server's welcome), and what that is at the mean frame size. */
  ackWindowFrames: number;
  ackWindowKb: number;
  /** Stalled viewers the server still had open when the stall ended (the heartbeat may have closed some). */
  stalledStillOpen: number;
  /** A healthy viewer watching the same channel during the stall: is it hurt? */
  healthyViewerFps: number;
  healthyViewerDelayP99Ms: number;
}

/**
 * `count` viewers select the channel and then never read again (socket paused), beside one healthy viewer.
 * Server memory must grow by a bounded amount per stalled viewer (at most `maxBufferedBytes` of queued
 * media), not by everything the channel sends. On loopback the kernel's socket buffers absorb about 4 MB per
 * connection before the server's own buffer grows, so the stall must outlast that (audio alone is 192 KB/s).
 */
export async function runStalledStep(
  server: ServerChild,
  count: number,
  stallMs: number,
  maxBufferedBytes: number,
): Promise<StalledResult> {
  const healthy = new ViewerFleet(server.wsUrl, 'bench');
  const stalled = new ViewerFleet(server.wsUrl, 'bench');
  try {
    await healthy.connect(1);
    await healthy.waitForFirstFrames(15_000);
    await sleep(3000);
    const rssBefore = percentile(sortedCopy([0, 1, 2].map(() => server.sample().rssBytes)), 50);

    healthy.startWindow();
    const stallStarted = performance.now();
    await stalled.connect(count, { stalled: true });
    let rssPeak = rssBefore;
    let maxStalledBuffered = 0;
    let firstBufferedAfterS: number | null = null;
    let stillOpen = count;
    for (let elapsed = 0; elapsed < stallMs; elapsed += 1000) {
      await sleep(1000);
      rssPeak = Math.max(rssPeak, server.sample().rssBytes);
      const { live } = await server.liveStats();
      // The healthy viewer reads everything, so the largest buffer belongs to a stalled one.
      const buffered = Math.max(0, ...live.sessions.map((session) => session.bufferedAmount));
      if (buffered > 0 && firstBufferedAfterS === null) {
        firstBufferedAfterS = (performance.now() - stallStarted) / 1000;
      }
      maxStalledBuffered = Math.max(maxStalledBuffered, buffered);
      stillOpen = live.viewers - 1;
    }
    const window = healthy.endWindow();
    const ackWindowFrames = healthy.viewers[0]?.ackWindow ?? Number.NaN;
    return {
      stalledViewers: count,
      stallSeconds: stallMs / 1000,
      rssBeforeMb: rssBefore / 2 ** 20,
      rssPeakMb: rssPeak / 2 ** 20,
      rssGrowthPerStalledViewerKb: (rssPeak - rssBefore) / count / 1024,
      maxBufferedKb: maxBufferedBytes / 1024,
      maxStalledBufferedKb: maxStalledBuffered / 1024,
      firstBufferedAfterS,
      ackWindowFrames,
      ackWindowKb: (ackWindowFrames * window.meanFrameBytes) / 1024,
      stalledStillOpen: stillOpen,
      healthyViewerFps: window.fpsPerViewer[0] ?? 0,
      healthyViewerDelayP99Ms: window.delays.percentile(99),
    };
  } finally {
    stalled.close();
    healthy.close();
  }
}
