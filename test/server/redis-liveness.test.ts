import { redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SharedStream } from '../../packages/server-middleware/src/hub/broadcast-sharing';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';

// Issue 13 item 4, on a real redis-server: each hub keeps a liveness key, and ending a stream whose origin is
// gone happens once, only while the record still names that origin and the origin is still gone.

const TTL_MS = 3_000;

const liveStream = (feedInstance: string): SharedStream => ({
  id: 'cam',
  title: 'Cam',
  description: null,
  status: 'live',
  scheduledAt: null,
  createdAt: 1_000,
  startedAt: 2_000,
  endedAt: null,
  feed: { instance: feedInstance, container: 'webm' },
  inputOn: null,
});

describe('instance liveness and ending an orphaned stream on Redis', () => {
  let redis: RunningRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('keeps an expiring key per running hub and deletes it on close', async () => {
    const hub = redisHub({ redis: client, keyPrefix: 'alive:', presenceTtlMs: TTL_MS, onError: () => {} });
    const id = hub.broadcasts?.instanceId ?? '';
    const key = `alive:instance:${id}`;
    const deadline = Date.now() + 10_000;
    while ((await client.pttl(key)) <= 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await client.pttl(key)).toBeLessThanOrEqual(TTL_MS);
    expect(await hub.broadcasts?.alive?.([id, 'gone'])).toEqual(new Set([id]));
    // Refreshed by the heartbeat (every third of the TTL): still there after more than a TTL.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 500));
    expect(await client.exists(key)).toBe(1);
    await hub.close();
    expect(await client.exists(key)).toBe(0);
  });

  it('ends a stream once, only while its origin is gone and still named by the record', async () => {
    const hub = redisHub({ redis: client, keyPrefix: 'orphan:', presenceTtlMs: TTL_MS, onError: () => {} });
    const sharing = hub.broadcasts;
    const endOrphan = sharing?.endOrphan?.bind(sharing);
    if (!sharing || !endOrphan) throw new Error('a Redis hub shares broadcasts and ends orphaned streams');
    const heard: string[] = [];
    const other = new Redis(redis.port, '127.0.0.1');
    await other.subscribe('orphan:streams');
    other.on('message', (_channel, text: string) => heard.push(text));
    const ended = (origin: string): SharedStream => ({
      ...liveStream(origin),
      status: 'ended',
      endedAt: 3_000,
    });

    await sharing.put(liveStream('dead'));
    await client.set('orphan:instance:alive', '1', 'PX', 60_000);
    // Fed by an instance still alive: untouched.
    await sharing.put(liveStream('alive'));
    expect(await endOrphan(ended('alive'), 'alive')).toEqual({
      ended: false,
      stream: liveStream('alive'),
    });
    // The record names another origin than the one judged dead (its broadcaster moved): untouched.
    expect(await endOrphan(ended('dead'), 'dead')).toMatchObject({
      ended: false,
      stream: { status: 'live' },
    });

    await sharing.put(liveStream('dead'));
    expect(await endOrphan(ended('dead'), 'dead')).toEqual({ ended: true, stream: ended('dead') });
    // The second instance to try finds it ended already, and reads it back.
    expect(await endOrphan(ended('dead'), 'dead')).toEqual({ ended: false, stream: ended('dead') });
    expect(JSON.parse((await client.hget('orphan:streams', 'cam')) ?? '{}')).toEqual(ended('dead'));
    // Three puts, then the end: announced by the script itself.
    await waitFor(
      () => heard.length === 4,
      10_000,
      () => heard.join(),
    );
    expect(JSON.parse(heard.at(-1) ?? '{}')).toMatchObject({ from: sharing.instanceId, id: 'cam' });

    expect(await endOrphan(ended('x'), 'x')).toMatchObject({ ended: false });
    await sharing.remove('cam');
    expect(await endOrphan(ended('dead'), 'dead')).toEqual({ ended: false, stream: null });
    other.disconnect();
    await hub.close();
  });
});
