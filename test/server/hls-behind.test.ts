import type { HlsPackagerStats } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { rawGet } from './helpers/http-get';

const SPIKED = 'av-320x240-30fps';
const SLOW = 'slow';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SEGMENT_MS = 1_000;

/** The test card let out at half of real time (see channel-shedding.test.ts): no encoder can keep up with it. */
const HALF_SPEED = 'testsrc2=size=320x240:rate=30,setpts=2*PTS,realtime,setpts=0.5*PTS';

describe('an HLS packager that falls behind the clock', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost([fixturePath('audioVideo'), { id: SLOW, input: HALF_SPEED, format: 'lavfi' }], {
      hls: { segmentSeconds: SEGMENT_MS / 1000, windowSegments: 4, ladder: [120, 240] },
    });
  });

  afterAll(async () => {
    await host?.close();
  });

  const packager = (id: string) => host.live.stats().hls.find((entry) => entry.id === id) as HlsPackagerStats;

  async function watchLag(id: string, ms: number, lags: number[]): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const lag = packager(id).lagMs;
      if (lag !== null) lags.push(lag);
      await sleep(100);
    }
  }

  it('catches up by itself after a load spike instead of settling behind', async () => {
    expect((await rawGet(host.origin, `/live/hls/${SPIKED}/240p/index.m3u8`)).status).toBe(200);
    await sleep(3_000);
    const pid = packager(SPIKED).pid as number;
    // The spike: ffmpeg gets no CPU at all for 2.5 s, more than two segments.
    process.kill(pid, 'SIGSTOP');
    const during: number[] = [];
    try {
      await watchLag(SPIKED, 2_500, during);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const after: number[] = [];
    await watchLag(SPIKED, 6_000, after);
    // It was behind: over two segments.
    expect(Math.max(...during, ...after.slice(0, 3))).toBeGreaterThan(2 * SEGMENT_MS);
    // Then on time again, by itself: the same run, no restart at another level.
    expect(Math.max(...after.slice(-20))).toBeLessThanOrEqual(2 * SEGMENT_MS);
    expect(packager(SPIKED)).toMatchObject({ pid, restarts: 0, output: { level: 0, changes: 0 } });
  }, 30_000);

  it('sheds to a faster preset and fewer renditions, staying near the clock, when it cannot keep up', async () => {
    expect((await rawGet(host.origin, `/live/hls/${SLOW}/240p/index.m3u8`)).status).toBe(200);
    const lags: number[] = [];
    const started = Date.now();
    while (Date.now() - started < 40_000 && (packager(SLOW).output?.level ?? 0) < 2) {
      await watchLag(SLOW, 500, lags);
    }
    expect(packager(SLOW).output).toMatchObject({ level: 2, preset: 'ultrafast', renditions: ['120p'] });
    await watchLag(SLOW, 8_000, lags);
    // Left alone it would be (time so far) / 2 behind; restarts on the live edge keep it within a few segments.
    const elapsed = Date.now() - started;
    expect(Math.max(...lags)).toBeLessThan(Math.min(7 * SEGMENT_MS, elapsed / 2));
    // Players holding the master playlist keep playing the shed 240p: it serves the 120p media.
    const shed = await rawGet(host.origin, `/live/hls/${SLOW}/240p/index.m3u8`);
    expect(shed.status).toBe(200);
    expect(shed.body.toString()).toMatch(/\n\.\.\/120p\/seg-\d+\.m4s\n/);
  }, 90_000);
});
