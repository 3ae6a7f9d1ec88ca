import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { watchMovingPicture } from './helpers/moving-picture';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';
import { connectWebmBroadcaster } from './helpers/webm-broadcaster';

// Issue 13 items 4 and 5 together, as the server's README says: with the Redis hub, every instance that knows a
// recording stream records it from the shared feed into its own `recordingsDir`, so an instance other than the
// one the broadcast came into replays it from its own disk.

const WAIT_MS = 60_000;
const SECONDS = 8;

describe('a recorded broadcast across two instances sharing a real Redis', () => {
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const hosts: RunningHost[] = [];
  const folders: string[] = [];
  const viewers: TestViewer[] = [];

  const instance = async () => {
    const client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    clients.push(client);
    const recordingsDir = mkdtempSync(join(tmpdir(), 'onair-redis-recording-'));
    folders.push(recordingsDir);
    const host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], {
      hub: redisHub({ redis: client, keyPrefix: 'recording-test:', onError: () => {} }),
      recordingsDir,
      authorize: () => true,
    });
    hosts.push(host);
    return { host, recordingsDir };
  };

  beforeAll(async () => {
    redis = await startRedis();
  }, 120_000);

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    for (const host of hosts) await host.close();
    for (const client of clients) client.disconnect();
    await redis?.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('records it on both instances, each into its own folder, and B replays its own copy', async () => {
    const [a, b] = [await instance(), await instance()];
    const { ingest } = a.host.live.streams.create({ id: 'show', title: 'Show on A', record: true });
    await waitFor(() => b.host.live.streams.get('show') !== undefined, WAIT_MS);
    const broadcaster = await connectWebmBroadcaster(
      a.host.wsUrl.replace(/\/ws$/, '/ingest'),
      'show',
      ingest.key,
    );
    await broadcaster.sendInRealTime(broadcastMedia('webm', SECONDS, 30), SECONDS);
    const recording = (host: RunningHost) =>
      host.live.stats().recordings.find((entry) => entry.streamId === 'show');
    expect(recording(a.host)?.bytes).toBeGreaterThan(0);
    expect(recording(b.host)?.bytes).toBeGreaterThan(0);

    broadcaster.end();
    expect(await broadcaster.closed).toBe(1000);
    const settled = (host: RunningHost) => ['ready', 'failed'].includes(recording(host)?.state ?? '');
    await waitFor(() => settled(a.host) && settled(b.host), WAIT_MS);
    for (const { host, recordingsDir } of [a, b]) {
      expect(recording(host)?.state).toBe('ready');
      const [folder, ...others] = readdirSync(recordingsDir);
      expect(others).toEqual([]);
      expect(readdirSync(join(recordingsDir, folder as string))).toEqual(['recording.mkv']);
    }

    // B's viewer watches the replay with A gone: B plays it from its own file.
    await a.host.close();
    hosts.splice(hosts.indexOf(a.host), 1);
    const viewer = await TestViewer.connect(b.host.wsUrl);
    viewers.push(viewer);
    const started = await watchMovingPicture(viewer, 'show', 15, WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
  }, 180_000);
});
