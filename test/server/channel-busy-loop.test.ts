import type { ChannelStats } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

const HEALTHY = 'healthy';
const SLOW = 'slow';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/* The same half-speed test card as channel-shedding.test.ts: a decoder slower than real time at every level. */
const HALF_SPEED = 'testsrc2=size=320x240:rate=30,setpts=2*PTS,realtime,setpts=0.5*PTS';
const RUN_MS = 10_000;
/**
 * The server's event loop is kept busy 250 ms of every 500 (as sending to a crowd keeps it busy): frames due in
 * those 250 ms are read late, a good share of them later than the pacer's late limit, while ffmpeg, fast on a
 * small test card, waits for the reads.
 */
const BUSY_MS = 250;
const PERIOD_MS = 500;

function busyLoop(): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + BUSY_MS;
    while (Date.now() < until) {
      // Blocks the event loop, like a long synchronous send.
    }
  }, PERIOD_MS);
  return () => clearInterval(timer);
}

describe('a channel on a server whose event loop is busy', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    host = await startHost([
      { id: HEALTHY, input: 'testsrc2=size=320x240:rate=30', format: 'lavfi' },
      { id: SLOW, input: HALF_SPEED, format: 'lavfi' },
    ]);
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  const channel = (id: string) => host.live.stats().channels.find((entry) => entry.id === id) as ChannelStats;

  it('sheds the frames it reads late but keeps its output level; a slow decoder beside it still steps down', async () => {
    for (const id of [HEALTHY, SLOW]) {
      const viewer = await TestViewer.connect(host.wsUrl);
      viewers.push(viewer);
      viewer.send({ type: 'select', videoId: id });
      await viewer.next('stream');
      await viewer.collectVideo(1);
    }
    const shedBefore = channel(HEALTHY).framesShed;
    const causes = new Set<string | null>();
    const lags: number[] = [];
    const stopBusy = busyLoop();
    try {
      const started = Date.now();
      while (Date.now() - started < RUN_MS) {
        await sleep(100);
        const healthy = channel(HEALTHY);
        causes.add(healthy.behindCause);
        if (healthy.lagMs !== null) lags.push(healthy.lagMs);
      }
    } finally {
      stopBusy();
    }
    const healthy = channel(HEALTHY);
    // Late frames were shed (never sent late), and seen as the event loop's doing, not the decoder's.
    expect(healthy.framesShed - shedBefore).toBeGreaterThan(20);
    expect(causes.has('event-loop')).toBe(true);
    // The decoder kept its full output: 30 fps at 320x240 (a restart at the same level to get back on time would
    // be allowed, a lower level is not).
    expect(healthy.output).toMatchObject({ level: 0, fps: 30, width: 320 });
    // And the channel did not drift behind its timeline (left alone it would be RUN_MS × the share read late
    // behind by the end): when nearly nothing reaches air, the same level restarts on time.
    expect(Math.max(...lags)).toBeLessThan(RUN_MS / 2);

    // The decoder that is slow by itself, on the same busy loop, is judged slow and sheds output levels.
    const slow = channel(SLOW);
    expect(slow.output?.changes).toBeGreaterThanOrEqual(1);
    expect(slow.output?.level).toBeGreaterThan(0);
  }, 40_000);
});
