import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { playerFeedback } from './helpers/player-feedback';
import { TestViewer } from './helpers/test-viewer';
import { type ThrottledProxy, throttledProxy } from './helpers/throttled-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the ladder of sizes and qualities', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  const connect = async (url = host.wsUrl) => {
    const viewer = await TestViewer.connect(url);
    viewers.push(viewer);
    return viewer;
  };

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'card', input: 'testsrc2=size=426x240:rate=30', format: 'lavfi' },
        // 320x240 30 fps test card with a stereo tone: PCM is 1.5 Mbit/s of it.
        { id: 'av', input: fixturePath('audioVideo') },
      ],
      { idleTimeoutMs: 300, logger: false },
    );
  });

  const proxies: ThrottledProxy[] = [];
  /** A viewer behind its own link of `bitsPerSecond`. */
  const connectThrottled = async (bitsPerSecond: number) => {
    const proxy = await throttledProxy(Number(new URL(host.wsUrl).port), bitsPerSecond / 8);
    proxies.push(proxy);
    return connect(proxy.url(host.wsUrl));
  };

  /**
   * Audio chunks received over `ms` from now: how many, the longest run of missing sequence numbers, and the
   * session's drops meanwhile. Continuous audio is about ten 100 ms chunks a second with nothing missing; a
   * machine this loaded (several test suites share two cores) may stall the event loop long enough to lose a
   * chunk, so the checks allow one or two, far from the dozens a sender without audio priority loses.
   */
  const audioOver = async (viewer: TestViewer, ms: number) => {
    // The newest session on the video: this test's viewer (an earlier test's may still be closing).
    const session = () =>
      host.live
        .stats()
        .sessions.filter((entry) => entry.videoId === 'av')
        .sort((a, b) => b.id - a.id)[0]!;
    const droppedBefore = session().audioDropped;
    const from = viewer.audio.length;
    const videoFrom = viewer.video.length;
    await sleep(ms);
    const sequences = viewer.audio.slice(from).map((chunk) => chunk.sequence);
    const missing = sequences.slice(1).reduce((sum, sequence, i) => sum + (sequence - sequences[i]! - 1), 0);
    return {
      chunks: sequences.length,
      missing,
      dropped: session().audioDropped - droppedBefore,
      frames: viewer.video.length - videoFrom,
      session: session(),
    };
  };

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    for (const proxy of proxies) await proxy.close();
    await host?.close();
  });

  it('sends no video sequence twice across 20 forced rung switches, each switch taking effect between frames', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'card' });
    const stream = await viewer.next('stream');
    // 240p source: 144p (scaled) and three qualities at 240p.
    expect(stream.rungs.map((rung) => rung.label)).toEqual(['144p', '240p', '240p · high', '240p · best']);
    await viewer.collectVideo(3);
    for (let i = 0; i < 20; i++) {
      // Up and down across every rung, so most switches land on an idle rung (the case that duplicated frames).
      viewer.send({ type: 'quality', rung: [3, 0, 2, 1][i % 4]! });
      await viewer.collectVideo(2);
    }
    const sequences = viewer.video.map((frame) => frame.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    for (let i = 1; i < sequences.length; i++) expect(sequences[i]).toBeGreaterThan(sequences[i - 1]!);
    expect(new Set(viewer.video.map((frame) => frame.rungOrChannels))).toEqual(new Set([0, 1, 2, 3]));
    const small = viewer.video.find((frame) => frame.rungOrChannels === 0)!;
    expect(small.payload.byteLength).toBeGreaterThan(0);
  });

  it('moves a viewer on a narrow link to a small rung, and its audio keeps flowing', async () => {
    // 2.5 Mbit/s: PCM's 1.5 plus about 1 Mbit/s for video, through a proxy that reads the server no faster.
    const viewer = await connectThrottled(2_500_000);
    viewer.send({ type: 'select', videoId: 'av' });
    const stream = await viewer.next('stream');
    const top = stream.rungs.length - 1;
    // Start at the top (about 2.5 Mbit/s of video on its own), then let the server choose.
    viewer.send({ type: 'quality', rung: top });
    viewer.send({ type: 'quality', rung: 'auto' });
    const reports = setInterval(() => viewer.send(playerFeedback()), 500);
    try {
      await viewer.waitFor(
        () => viewer.messages.some((m) => m.type === 'quality-changed' && m.rung < top - 1),
        'a move to a smaller rung',
        12_000,
      );
      await sleep(3_000);
      const { chunks, missing, dropped, frames, session } = await audioOver(viewer, 3_000);
      expect(session.rung).toBeLessThan(top - 1);
      expect(session.throughputKbps).toBeGreaterThan(0);
      // Continuous audio: ~30 chunks of 100 ms in 3 s, consecutive sequence numbers, none dropped meanwhile.
      expect(chunks).toBeGreaterThan(25);
      expect(missing).toBeLessThanOrEqual(2);
      expect(dropped).toBeLessThanOrEqual(2);
      // And the picture goes on, smaller.
      expect(frames).toBeGreaterThan(10);
      viewer.close();
    } finally {
      clearInterval(reports);
    }
  });

  it('keeps audio flowing for a viewer locked on a rung its link cannot carry: video yields, audio does not', async () => {
    const viewer = await connectThrottled(2_500_000);
    viewer.send({ type: 'select', videoId: 'av' });
    const stream = await viewer.next('stream');
    // Locked: the controller cannot help, so only the sender's priorities decide what gets through.
    viewer.send({ type: 'quality', rung: stream.rungs.length - 1 });
    await sleep(3_000);
    const { chunks, missing, dropped, frames, session } = await audioOver(viewer, 3_000);
    expect(session.mode).toBe('locked');
    expect(chunks).toBeGreaterThan(25);
    expect(missing).toBeLessThanOrEqual(2);
    expect(dropped).toBeLessThanOrEqual(2);
    // Video got what was left: fewer frames than the channel's 90, but not none.
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(80);
    viewer.close();
  });
});
