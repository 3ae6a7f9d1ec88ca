import type { ChannelStats } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

const SLOW = 'slow';
const STEADY = 'steady';
const AV = 'av';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * A decoder made too slow without burning CPU: `realtime` on doubled timestamps (halved again after) lets the
 * test card out at half of real time, at every output level (the slow stage is in the input, before the
 * channel's own fps and scale). Left to drift, its output would fall 0.5 s further behind every second.
 */
const HALF_SPEED = 'testsrc2=size=320x240:rate=30,setpts=2*PTS,realtime,setpts=0.5*PTS';
const RUN_MS = 14_000;
// Drift unchecked would reach RUN_MS / 2 = 7 s; shedding and restarts keep the channel within a few seconds.
const LAG_BOUND_MS = 3_500;

describe('a channel whose decoder is slower than real time', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    host = await startHost([
      { id: SLOW, input: HALF_SPEED, format: 'lavfi' },
      { id: STEADY, input: 'testsrc2=size=320x240:rate=30', format: 'lavfi' },
      { id: AV, input: fixturePath('audioVideo') },
    ]);
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  const channel = (id: string) => host.live.stats().channels.find((entry) => entry.id === id) as ChannelStats;

  it('sheds late frames and restarts lower instead of drifting behind its timeline', async () => {
    for (const id of [SLOW, STEADY]) {
      const viewer = await TestViewer.connect(host.wsUrl);
      viewers.push(viewer);
      viewer.send({ type: 'select', videoId: id });
      await viewer.next('stream');
      await viewer.collectVideo(1);
    }
    const [slowViewer] = viewers as [TestViewer];
    const lags: { at: number; lag: number }[] = [];
    const started = Date.now();
    while (Date.now() - started < RUN_MS) {
      await sleep(250);
      const lag = channel(SLOW).lagMs;
      if (lag !== null) lags.push({ at: Date.now() - started, lag });
    }
    const slow = channel(SLOW);
    expect(slow.framesShed).toBeGreaterThan(30);
    expect(slow.output?.changes).toBeGreaterThanOrEqual(2);
    // Output never drifts: the lag stays bounded all along, and is as small at the end as in the first seconds.
    const worst = Math.max(...lags.map((sample) => sample.lag));
    expect(worst).toBeLessThan(LAG_BOUND_MS);
    // What the viewer got is on the timeline too (epoch 0: channel time is Unix time): each frame in the second
    // half arrived a bounded time after its timestamp.
    const lateness = slowViewer.video
      .filter((frame) => frame.receivedAt - started > RUN_MS / 2)
      .map((frame) => frame.receivedAt - frame.timestamp);
    expect(lateness.length).toBeGreaterThan(0);
    expect(Math.max(...lateness)).toBeLessThan(LAG_BOUND_MS);

    // The same machine keeps an ordinary channel at full output and on time.
    const steady = channel(STEADY);
    expect(steady.output).toMatchObject({ level: 0, fps: 30 });
    expect(steady.lagMs).toBeLessThan(1_000);
  }, 30_000);

  it('keeps the sound whole through a level change: every audio chunk once, none missing', async () => {
    // The half-speed channel of the test above keeps restarting while it has viewers: let it stop first, so the
    // only level changes here are the ones this test causes.
    for (const viewer of viewers.splice(0)) viewer.close();
    const started = Date.now();
    while ([SLOW, STEADY].some((id) => channel(id).state !== 'idle') && Date.now() - started < 15_000)
      await sleep(250);
    expect(channel(SLOW).state).toBe('idle');
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    viewer.send({ type: 'select', videoId: AV });
    const stream = await viewer.next('stream');
    const chunkMs = stream.audio?.chunkMs as number;
    expect(chunkMs).toBeGreaterThan(0);
    await viewer.collectVideo(5);
    await sleep(1_000);
    // A stall of the decoder (no CPU for 1.5 s) makes the channel start a new decoder at a lower level; the new
    // one starts where the sound had got to and the two are joined on the chunk grid.
    const pid = channel(AV).decoder.pid as number;
    process.kill(pid, 'SIGSTOP');
    await sleep(1_500);
    process.kill(pid, 'SIGCONT');
    await viewer.waitFor(() => (channel(AV).output?.changes ?? 0) >= 1, 'a level change', 10_000);
    await sleep(3_000);
    expect(channel(AV).decoder.pid).not.toBe(pid);
    const stamps = viewer.audio.map((chunk) => chunk.timestamp);
    const steps = stamps.slice(1).map((stamp, index) => stamp - (stamps[index] as number));
    // The run lasts over 4 s: at least 4 s of sound, whatever the chunk length.
    expect(stamps.length).toBeGreaterThan(4_000 / chunkMs);
    // Listed, so a failure shows where the sound jumped and by how much.
    const seams = steps.flatMap((step, index) => (step === chunkMs ? [] : [{ at: stamps[index], step }]));
    expect(seams).toEqual([]);
  }, 45_000);
});
