import { DEFAULT_AUDIO_CHUNK_MS, encodeAck } from '@onair/protocol';
import { MAX_AUDIO_LAG_MS, VIDEO_QUEUE_MS } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

const ACK_WINDOW = 8;
const MAX_BUFFERED = 256 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('viewers that fall behind', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  const connect = async (options: { autoAck?: boolean } = {}) => {
    const viewer = await TestViewer.connect(host.wsUrl, options);
    viewers.push(viewer);
    return viewer;
  };
  const sessionStats = (index: number) =>
    [...host.live.stats().sessions].sort((a, b) => a.id - b.id)[index] ?? host.live.stats().sessions[0]!;

  beforeAll(async () => {
    host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], {
      ackWindow: ACK_WINDOW,
      maxBufferedBytes: MAX_BUFFERED,
      heartbeatMs: 60_000,
    });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('does not slow a second viewer when one stops reading, and keeps the stalled one within its window', async () => {
    const stalled = await connect();
    stalled.send({ type: 'select', videoId: 'av' });
    await stalled.collectVideo(2);
    stalled.stopReading();

    const healthy = await connect();
    healthy.send({ type: 'select', videoId: 'av' });
    await healthy.collectVideo(1);
    const from = healthy.video.length;
    const started = Date.now();
    await sleep(2_000);
    const fps = (healthy.video.length - from) / ((Date.now() - started) / 1000);
    expect(fps).toBeGreaterThan(25);

    const stuck = sessionStats(0);
    expect(stuck.inFlight).toBeLessThanOrEqual(ACK_WINDOW);
    // Frames are skipped for it, and its controller soon decimates its rate too (those frames are not offered).
    expect(stuck.framesSkipped).toBeGreaterThan(20);
    expect(stuck.viewerFps).toBeLessThan(30);
    expect(stuck.bufferedAmount).toBeLessThanOrEqual(MAX_BUFFERED + 64 * 1024);
    expect(sessionStats(1).framesSkipped).toBe(0);
    stalled.close();
    healthy.close();
  });

  it('keeps sending audio to a viewer whose video stopped for want of acks, until it is more than MAX_AUDIO_LAG_MS behind', async () => {
    const viewer = await connect({ autoAck: false });
    viewer.send({ type: 'select', videoId: 'av' });
    // The player acks every ackWindow / 4 = 2 frames: queueing is judged on the second frame in flight.
    const frames = await viewer.collectVideo(2);
    const ackDueSentAt = frames[1]!.receivedAt;
    // Unacknowledged, video yields within VIDEO_QUEUE_MS of that frame, or when the window fills.
    await sleep(Math.max(0, ackDueSentAt + VIDEO_QUEUE_MS + 300 - Date.now()));
    const videoWhenStopped = viewer.video.length;
    expect(videoWhenStopped).toBeLessThanOrEqual(ACK_WINDOW);
    const stoppedAt = Date.now();
    const audioAtStop = viewer.audio.length;
    // Audio keeps priority while the viewer is only a little behind.
    await sleep(Math.max(0, ackDueSentAt + MAX_AUDIO_LAG_MS - 150 - Date.now()));
    expect(viewer.video).toHaveLength(videoWhenStopped);
    expect(viewer.audio.length - audioAtStop).toBeGreaterThanOrEqual(
      Math.floor((Date.now() - stoppedAt) / DEFAULT_AUDIO_CHUNK_MS) - 1,
    );
    // Past the lag bound more audio would only queue up delay: it stops.
    await sleep(400);
    const audioWhenLagging = viewer.audio.length;
    await sleep(500);
    expect(viewer.audio.length).toBe(audioWhenLagging);
    const downgrade = viewer.messages.find(
      (message) => message.type === 'quality-changed' && message.reason === 'backpressure',
    );
    expect(downgrade).toBeDefined();
    const stats = host.live.stats().sessions.find((session) => session.inFlight === videoWhenStopped);
    expect(stats?.framesSkipped).toBeGreaterThan(20);
    expect(stats?.audioDropped).toBeGreaterThan(0);
    // Once it acknowledges what it has, it is back at the live edge: video and audio flow again.
    viewer.sendRaw(Buffer.from(encodeAck(viewer.video.at(-1)!.sequence)));
    await sleep(400);
    expect(viewer.video.length).toBeGreaterThan(videoWhenStopped);
    expect(viewer.audio.length).toBeGreaterThan(audioWhenLagging);
    viewer.close();
  });
});

describe('the heartbeat', () => {
  it('terminates a viewer that stopped answering pings and frees its place; a live one survives', async () => {
    const host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { heartbeatMs: 150 });
    try {
      const gone = await TestViewer.connect(host.wsUrl);
      const alive = await TestViewer.connect(host.wsUrl);
      for (const viewer of [gone, alive]) viewer.send({ type: 'select', videoId: 'av' });
      await Promise.all([gone.collectVideo(1), alive.collectVideo(1)]);
      expect(host.live.stats().channels[0]?.viewers).toBe(2);

      gone.stopReading();
      await alive.waitFor(() => host.live.stats().viewers === 1, 'the silent viewer to be terminated', 2_000);
      expect(host.live.stats().channels[0]?.viewers).toBe(1);

      const frames = alive.video.length;
      await sleep(600);
      expect(alive.closeEvent).toBeNull();
      expect(alive.video.length).toBeGreaterThan(frames + 10);
      gone.close();
      alive.close();
    } finally {
      await host.close();
    }
  });
});
