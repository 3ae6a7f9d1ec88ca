import { type HubEvent, redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { headerRoles, joinRoom, requestJson, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

describe('two server instances sharing a real Redis', () => {
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const hosts: RunningHost[] = [];
  const viewers: TestViewer[] = [];

  const client = () => {
    const connection = new Redis(redis.port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(connection);
    return connection;
  };
  const instance = async () => {
    const host = await startHost([{ id: 'live', input: fixturePath('videoOnly') }], {
      hub: redisHub({ redis: client(), presenceTtlMs: 900, onError: () => {} }),
      authorize: headerRoles,
      viewerCountIntervalMs: 100,
    });
    hosts.push(host);
    return host;
  };
  const viewerOn = async (host: RunningHost) => {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    await joinRoom(viewer, 'live');
    return viewer;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    for (const host of hosts) await host.close();
    for (const connection of clients) connection.disconnect();
    await redis?.stop();
  });

  it('shows each instance the other one’s messages, reactions and viewers', async () => {
    const [one, two] = [await instance(), await instance()];
    const onOne = await viewerOn(one);
    const onTwo = await viewerOn(two);

    onOne.send({ type: 'chat-send', clientId: 'x-1', text: 'from instance one', displayName: 'One' });
    const { message } = await onOne.next('chat-ack');
    const heard = await waitForMessage(onTwo, 'chat-message', (event) => event.message.id === message.id);
    expect(heard.message).toEqual(message);

    onTwo.send({ type: 'reaction', emoji: '👏', x: 0.1, y: 0.9 });
    const batch = await waitForMessage(onOne, 'reactions', (event) => (event.counts['👏'] ?? 0) > 0);
    expect(batch.counts['👏']).toBe(1);
    expect(batch.samples).toEqual([{ emoji: '👏', x: 0.1, y: 0.9 }]);

    await waitForMessage(onOne, 'viewers', (event) => event.count === 2);
    await waitForMessage(onTwo, 'viewers', (event) => event.count === 2);
    expect(await requestJson(`${two.origin}/live/streams/live/viewers`)).toEqual({
      status: 200,
      body: { streamId: 'live', count: 2 },
    });

    // A resend through the other instance is recognised: one message, the same id.
    onTwo.send({ type: 'chat-send', clientId: 'x-1', text: 'from instance one' });
    expect((await onTwo.next('chat-ack')).message).toEqual(message);
    const history = (await requestJson(`${two.origin}/live/streams/live/chat`)).body as {
      messages: { id: string }[];
    };
    expect(history.messages.filter((entry) => entry.id === message.id)).toHaveLength(1);
  });

  it('deletes and pins across instances, and a late joiner on either sees the result', async () => {
    const [one, two] = hosts as [RunningHost, RunningHost];
    const posted = await requestJson(`${one.origin}/live/streams/live/chat`, {
      method: 'POST',
      body: { text: 'doomed' },
    });
    const { message } = posted.body as { message: { id: string } };
    const keeper = await requestJson(`${one.origin}/live/streams/live/chat`, {
      method: 'POST',
      body: { text: 'keeper' },
    });
    const kept = (keeper.body as { message: { id: string } }).message;
    const watcher = await viewerOn(two);
    const mod = await TestViewer.connect(one.wsUrl, { headers: { 'x-role': 'moderator' } });
    viewers.push(mod);
    expect((await joinRoom(mod, 'live')).canModerate).toBe(true);

    mod.send({ type: 'chat-pin', messageId: kept.id });
    await waitForMessage(watcher, 'chat-pinned', (event) => event.message?.id === kept.id);
    mod.send({ type: 'chat-delete', messageId: message.id });
    await waitForMessage(watcher, 'chat-deleted', (event) => event.messageId === message.id);

    const late = await TestViewer.connect(two.wsUrl);
    viewers.push(late);
    const room = await joinRoom(late, 'live');
    expect(room.history.map((entry) => entry.id)).not.toContain(message.id);
    expect(room.pinned?.id).toBe(kept.id);
  });

  it('gives a restarted instance (new connections) the history it missed', async () => {
    const [one, two] = hosts as [RunningHost, RunningHost];
    await two.close();
    const onOne = await viewerOn(one);
    for (const text of ['missed 1', 'missed 2']) {
      onOne.send({ type: 'chat-send', clientId: text, text });
      await onOne.next('chat-ack');
    }
    const three = await instance();
    const fresh = await TestViewer.connect(three.wsUrl);
    viewers.push(fresh);
    const room = await joinRoom(fresh, 'live');
    const texts = room.history.map((entry) => entry.text);
    expect(texts).toEqual(expect.arrayContaining(['from instance one', 'missed 1', 'missed 2']));
    expect(texts.indexOf('missed 1')).toBeLessThan(texts.indexOf('missed 2'));
  });
});

describe('redisHub on its own', () => {
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const client = () => {
    const connection = new Redis(redis.port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    clients.push(connection);
    return connection;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    for (const connection of clients) connection.disconnect();
    await redis?.stop();
  });

  it('drops a crashed instance’s viewers from the totals once its presence expires', async () => {
    const survivor = redisHub({
      redis: client(),
      keyPrefix: 'crash:',
      presenceTtlMs: 600,
      onError: () => {},
    });
    const crashingClient = client();
    const crashing = redisHub({
      redis: crashingClient,
      keyPrefix: 'crash:',
      presenceTtlMs: 600,
      onError: () => {},
    });
    const counts: number[] = [];
    survivor.subscribe((event: HubEvent) => event.type === 'viewers' && counts.push(event.count));
    survivor.setPresence('s', 1);
    crashing.setPresence('s', 5);
    await expect.poll(() => survivor.viewerCount('s'), { timeout: 3_000 }).toBe(6);
    // The "crash": its Redis connection dies, so it can neither refresh nor remove its count.
    crashingClient.disconnect();
    await expect.poll(() => survivor.viewerCount('s'), { timeout: 3_000 }).toBe(1);
    await expect.poll(() => counts.at(-1), { timeout: 3_000 }).toBe(1);
    await crashing.close();
    await survivor.close();
  });

  it('bounds the history and gives ids that delete and pin work with', async () => {
    const hub = redisHub({ redis: client(), keyPrefix: 'bound:', historySize: 5 });
    for (let i = 0; i < 300; i++) await hub.appendChat('s', { displayName: 'n', text: `m${i}`, sentAt: i });
    const history = await hub.history('s');
    expect(history.map((entry) => entry.text)).toEqual(['m295', 'm296', 'm297', 'm298', 'm299']);
    const raw = await clients[clients.length - 1]?.xlen('bound:chat:s');
    expect(raw).toBeLessThan(300);
    const last = history.at(-1);
    expect(await hub.pin('s', last?.id ?? null)).toEqual(last);
    expect(await hub.deleteChat('s', last?.id ?? '')).toBe(true);
    expect(await hub.pinned('s')).toBeNull();
    expect((await hub.history('s')).map((entry) => entry.text)).not.toContain('m299');
    expect(await hub.deleteChat('s', 'not-a-stream-id')).toBe(false);
    expect(await hub.pin('s', '1-1')).toBeUndefined();
    await hub.close();
  });
});
