import type { VideoInfo } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { received, requestJson, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

const WAIT_MS = 30_000;
const BARS = { input: 'testsrc2=size=320x240:rate=15', format: 'lavfi' };

/** The newest catalog a viewer got, as `[id, status]` pairs. */
const newestCatalog = (viewer: TestViewer) =>
  received(viewer, 'catalog')
    .at(-1)
    ?.videos.map((video: VideoInfo) => [video.id, video.status]);

describe('streams at run time, watched over the socket', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  const connect = async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    return viewer;
  };

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], {
      authorize: ({ role, req }) => role !== 'broadcaster' || req.headers['x-role'] === 'broadcaster',
    });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('plays a lavfi stream created at run time, and ends it for its viewer with stream-status, not an error', async () => {
    const viewer = await connect();
    host.live.streams.create({ id: 'bars', title: 'Bars', input: BARS });
    viewer.send({ type: 'select', videoId: 'bars' });
    const before = await waitForMessage(viewer, 'stream-status', (message) => message.videoId === 'bars');
    expect(before.status).toBe('scheduled');
    expect(viewer.video).toHaveLength(0);

    host.live.streams.start('bars');
    viewer.send({ type: 'select', videoId: 'bars' });
    const stream = await waitForMessage(viewer, 'stream', (message) => message.videoId === 'bars', WAIT_MS);
    expect([stream.width, stream.height]).toEqual([320, 240]);
    await viewer.collectVideo(5, WAIT_MS);
    expect(host.live.stats().channels.map((channel) => channel.id)).toContain('bars');

    const from = viewer.messages.length;
    host.live.streams.end('bars');
    const ended = await viewer.next('stream-status', from);
    expect(ended).toEqual({ type: 'stream-status', videoId: 'bars', status: 'ended' });
    expect(viewer.messages.slice(from).filter((message) => message.type === 'error')).toEqual([]);
    await viewer.waitFor(
      () => !host.live.stats().channels.some((channel) => channel.id === 'bars'),
      'the channel to close',
    );

    // The socket stays open and usable: the same viewer watches another stream.
    expect(viewer.closeEvent).toBeNull();
    viewer.send({ type: 'select', videoId: 'clip' });
    await waitForMessage(viewer, 'stream', (message) => message.videoId === 'clip', WAIT_MS);
    await viewer.collectVideo(3, WAIT_MS);
    host.live.streams.remove('bars');
  });

  it('ends a stream removed over REST cleanly for the viewers watching it', async () => {
    host.live.streams.create({ id: 'doomed', title: 'Doomed', input: BARS });
    host.live.streams.start('doomed');
    const watching = [await connect(), await connect()];
    for (const viewer of watching) {
      viewer.send({ type: 'select', videoId: 'doomed' });
      await waitForMessage(viewer, 'stream', (message) => message.videoId === 'doomed', WAIT_MS);
      await viewer.collectVideo(2, WAIT_MS);
    }
    const froms = watching.map((viewer) => viewer.messages.length);
    const removed = await requestJson(`${host.origin}/live/streams/doomed`, {
      method: 'DELETE',
      headers: { 'x-role': 'broadcaster' },
    });
    expect(removed.status).toBe(204);
    for (const [index, viewer] of watching.entries()) {
      const status = await viewer.next('stream-status', froms[index]);
      expect(status).toMatchObject({ videoId: 'doomed', status: 'removed' });
      expect(viewer.messages.slice(froms[index]).some((message) => message.type === 'error')).toBe(false);
      const videoAfter = viewer.video.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // At most what was already in flight when the channel closed.
      expect(viewer.video.length - videoAfter).toBeLessThanOrEqual(2);
      expect(viewer.closeEvent).toBeNull();
    }
    expect(host.live.streams.get('doomed')).toBeUndefined();
    const selectAgain = watching[0]!;
    const from = selectAgain.messages.length;
    selectAgain.send({ type: 'select', videoId: 'doomed' });
    expect((await selectAgain.nextError('ONAIR_UNKNOWN_VIDEO')).fatal).toBe(false);
    expect(selectAgain.messages.length).toBeGreaterThan(from);
  });

  it('pushes the catalog to viewers who asked for it when a stream is added, goes live, ends and is removed', async () => {
    const watcher = await connect();
    const bystander = await connect();
    watcher.send({ type: 'catalog' });
    await watcher.waitFor(() => newestCatalog(watcher)?.length, 'the first catalog');
    expect(newestCatalog(watcher)).toEqual([['clip', 'live']]);

    const { streams } = host.live;
    const expectCatalog = (expected: unknown[]) =>
      watcher.waitFor(
        () => JSON.stringify(newestCatalog(watcher)) === JSON.stringify(expected),
        `the catalog ${JSON.stringify(expected)}`,
        WAIT_MS,
      );
    streams.create({ id: 'later', title: 'Later', scheduledAt: 4_102_444_800_000 });
    await expectCatalog([
      ['clip', 'live'],
      ['later', 'scheduled'],
    ]);
    const scheduled = received(watcher, 'catalog')
      .at(-1)!
      .videos.find((video) => video.id === 'later')!;
    expect(scheduled).toMatchObject({ scheduledAt: 4_102_444_800_000, hlsUrl: null, width: 0 });
    streams.start('later');
    await expectCatalog([
      ['clip', 'live'],
      ['later', 'live'],
    ]);
    streams.end('later');
    await expectCatalog([
      ['clip', 'live'],
      ['later', 'ended'],
    ]);
    streams.remove('later');
    await expectCatalog([['clip', 'live']]);
    expect(received(bystander, 'catalog')).toEqual([]);

    const http = await requestJson(`${host.origin}/live/videos`);
    expect((http.body as VideoInfo[]).map((video) => [video.id, video.status])).toEqual([['clip', 'live']]);
  });
});
