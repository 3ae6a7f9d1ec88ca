import type { ChatMessage } from '@onair/protocol';
import { type HubEvent, redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { received, sleep } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

/** What ioredis prints when a connection's 'error' event has no listener (it did, on every retry). */
const UNHANDLED = '[ioredis] Unhandled error event';

/** Stream ids in order (`<ms>-<seq>`). */
function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  return aMs === bMs ? Number(aSeq - bSeq) : Number(aMs - bMs);
}

function unhandledPrints(spy: { mock: { calls: unknown[][] } }): unknown[][] {
  return spy.mock.calls.filter((call) => String(call[0]).includes(UNHANDLED));
}

describe('chat and viewer counts through a Redis outage (two instances, redis-server killed and restarted)', () => {
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const hosts: RunningHost[] = [];
  const viewers: TestViewer[] = [];
  const hubErrors: unknown[] = [];
  const consoleError = vi.spyOn(console, 'error');

  const client = () => {
    // Retries every 100 ms, so "reconnected" is a known moment after the restart; no error listener of the
    // test's own: whatever reaches ioredis's "Unhandled error event" print is the hub's omission.
    const connection = new Redis(redis.port, '127.0.0.1', { retryStrategy: () => 100 });
    clients.push(connection);
    return connection;
  };
  const instance = async () => {
    const host = await startHost([{ id: 'live', input: fixturePath('videoOnly') }], {
      hub: redisHub({ redis: client(), historySize: 1_000, onError: (error) => hubErrors.push(error) }),
      chatRateLimit: { burst: 1_000, sustained: 100_000, windowMs: 1_000 },
      viewerCountIntervalMs: 100,
    });
    hosts.push(host);
    return host;
  };
  /** A viewer in the room only (`media: false`: no decoder runs). */
  const member = async (host: RunningHost) => {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    const from = viewer.messages.length;
    viewer.send({ type: 'select', videoId: 'live', media: false });
    await viewer.next('room', from);
    return viewer;
  };

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    for (const host of hosts) await host.close();
    for (const connection of clients) connection.disconnect();
    await redis?.stop();
    consoleError.mockRestore();
  });

  it('delivers every acknowledged message live to the other instance exactly once, in order, and recounts at once', async () => {
    const [one, two] = [await instance(), await instance()];
    const senderOne = await member(one);
    const watcherOne = await member(one);
    const senderTwo = await member(two);
    const watcherTwo = await member(two);
    const leaver = await member(two);
    const lastCount = (viewer: TestViewer) => received(viewer, 'viewers').at(-1)?.count;
    await expect.poll(() => lastCount(watcherOne), { timeout: 3_000 }).toBe(5);

    // Both senders chat every 40 ms throughout: before, during and after the outage.
    let sending = true;
    const sent: string[] = [];
    const chat = async (sender: TestViewer, name: string) => {
      for (let i = 0; sending; i++) {
        const clientId = `${name}-${i}`;
        sender.send({ type: 'chat-send', clientId, text: clientId });
        sent.push(clientId);
        await sleep(40);
      }
    };
    const chatting = Promise.all([chat(senderOne, 'one'), chat(senderTwo, 'two')]);
    await sleep(600);
    await redis.kill();
    const killedAt = Date.now();
    await sleep(400);
    leaver.close();
    await sleep(2_000);
    redis = await startRedis({ port: redis.port, dir: redis.dir, appendOnly: true });
    const restartedAt = Date.now();
    // Viewer counts: the leaver went while Redis was away; every instance has it within a second of reconnecting
    // (the clients retry every 100 ms, rooms send counts at most every 100 ms here; 300 ms to spare on 2 cores).
    await expect.poll(() => lastCount(watcherOne), { timeout: 1_500 }).toBe(4);
    await expect.poll(() => lastCount(senderTwo), { timeout: 1_500 }).toBe(4);
    await sleep(1_500);
    sending = false;
    await chatting;

    // Every chat-send is answered: an ack, or a refusal (ONAIR_HUB_UNAVAILABLE while Redis was away).
    type Answer = { clientId: string; message: ChatMessage } | { clientId: string; code: string };
    const answers = (): Answer[] =>
      [senderOne, senderTwo].flatMap((sender) =>
        sender.messages.flatMap((message): Answer[] => {
          if (message.type === 'chat-ack') return [{ clientId: message.clientId, message: message.message }];
          if (message.type === 'error' && message.ref !== undefined)
            return [{ clientId: message.ref, code: message.code }];
          return [];
        }),
      );
    await expect.poll(() => answers().length, { timeout: 15_000 }).toBe(sent.length);
    const acked = answers().flatMap((answer) => ('message' in answer ? [answer.message] : []));
    const refusals = answers().flatMap((answer) => ('code' in answer ? [answer.code] : []));
    expect(new Set(refusals)).toEqual(new Set(['ONAIR_HUB_UNAVAILABLE']));
    const ackedIds = acked.map((message: ChatMessage) => message.id).sort(compareIds);
    const ackedBefore = acked.filter((message) => message.sentAt < killedAt).length;
    const ackedAfter = acked.filter((message) => message.sentAt >= restartedAt).length;
    expect(ackedBefore).toBeGreaterThan(5);
    expect(ackedAfter).toBeGreaterThan(5);

    // Each watcher hears every acknowledged message once (its own instance's and the other's), in stream order.
    // It may also hear one that was refused: when the connection dies after Redis ran the append but before its
    // answer came back, the sender cannot know (a resend with the same clientId would be acknowledged as that one).
    const refusedIds = new Set(answers().flatMap((answer) => ('code' in answer ? [answer.clientId] : [])));
    for (const watcher of [watcherOne, watcherTwo]) {
      await expect
        .poll(() => received(watcher, 'chat-message').length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(ackedIds.length);
      await sleep(200);
      const heard = received(watcher, 'chat-message').map((event) => event.message);
      const heardIds = heard.map((message) => message.id);
      expect(heardIds).toEqual([...new Set(heardIds)].sort(compareIds));
      expect(heardIds).toEqual(expect.arrayContaining(ackedIds));
      const unacked = heard.filter((message) => !ackedIds.includes(message.id));
      expect(unacked.every((message) => refusedIds.has(message.clientId ?? ''))).toBe(true);
      expect(unacked.length).toBeLessThanOrEqual(2);
    }
    // A sender hears the other sender's messages, never its own (it has their acks).
    const heardByOne = received(senderOne, 'chat-message').map((event) => event.message.text);
    expect(heardByOne.every((text) => text.startsWith('two-'))).toBe(true);
    expect(heardByOne).toEqual(
      received(watcherOne, 'chat-message')
        .map((event) => event.message.text)
        .filter((text) => text.startsWith('two-')),
    );

    // The history after the restart (AOF) holds the same messages in the same order.
    const history = (await fetch(`${two.origin}/live/streams/live/chat`).then((res) => res.json())) as {
      messages: ChatMessage[];
    };
    expect(history.messages.map((message) => message.id)).toEqual(
      received(watcherOne, 'chat-message').map((event) => event.message.id),
    );

    // Errors went to the hubs' onError, a few per outage, never to ioredis's "Unhandled error event" print.
    expect(unhandledPrints(consoleError)).toEqual([]);
    expect(hubErrors.length).toBeGreaterThan(0);
    expect(hubErrors.length).toBeLessThan(20);
  });
});

describe('redisHub when only its subscriber connection drops', () => {
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const consoleError = vi.spyOn(console, 'error');
  const client = (name: string) => {
    // A 300 ms reconnect delay: long enough to publish into the gap, deterministically.
    const connection = new Redis(redis.port, '127.0.0.1', { connectionName: name, retryStrategy: () => 300 });
    clients.push(connection);
    return connection;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterEach(() => {
    expect(unhandledPrints(consoleError)).toEqual([]);
  });

  afterAll(async () => {
    for (const connection of clients) connection.disconnect();
    await redis?.stop();
    consoleError.mockRestore();
  });

  it('replays the messages and recounts the viewers that pub/sub lost while it was away', async () => {
    const admin = client('admin');
    const onA = redisHub({ redis: client('a'), keyPrefix: 'gap:', onError: () => {} });
    const onB = redisHub({ redis: client('b'), keyPrefix: 'gap:', onError: () => {} });
    const heard: HubEvent[] = [];
    onB.subscribe((event) => heard.push(event));
    onB.setPresence('s', 1);
    onA.setPresence('s', 1);
    await expect
      .poll(() => heard.filter((event) => event.type === 'viewers').at(-1))
      .toMatchObject({ count: 2 });
    const before = await onA.appendChat('s', { displayName: 'a', text: 'before', sentAt: 1 });
    await expect.poll(() => heard.some((event) => event.type === 'chat-message')).toBe(true);

    // Drop B's subscriber only (the one pub/sub connection named "b"): B's commands keep working.
    const list = String(await admin.client('LIST'));
    const subscriberOfB = list
      .split('\n')
      .find((line: string) => / name=b /.test(line) && / flags=P /.test(line))
      ?.match(/ addr=(\S+) /)?.[1];
    expect(subscriberOfB).toBeDefined();
    await admin.client('KILL', 'ADDR', subscriberOfB as string);
    const during = [];
    for (const text of ['gap 1', 'gap 2', 'gap 3']) {
      during.push((await onA.appendChat('s', { displayName: 'a', text, sentAt: 2 })).message);
    }
    onA.setPresence('s', 3);
    await onA.pin('s', during[1]?.id ?? null);

    await expect
      .poll(() => heard.filter((event) => event.type === 'chat-message').map((event) => event.message.id), {
        timeout: 3_000,
      })
      .toEqual([before.message.id, ...during.map((message) => message.id)]);
    await expect
      .poll(() => heard.filter((event) => event.type === 'viewers').at(-1), { timeout: 1_500 })
      .toMatchObject({ count: 4 });
    expect(heard.filter((event) => event.type === 'chat-pinned').at(-1)).toMatchObject({
      message: during[1],
    });
    await onA.close();
    await onB.close();
  });
});

describe('redisHub errors while Redis is unreachable', () => {
  it('go to the logger of the liveStream using it, one per burst, and refuse chat at once', async () => {
    const gone = await startRedis();
    await gone.stop();
    const consoleError = vi.spyOn(console, 'error');
    const connection = new Redis(gone.port, '127.0.0.1', { retryStrategy: () => 20 });
    const hub = redisHub({ redis: connection });
    const logged: [string, Record<string, unknown> | undefined][] = [];
    hub.useLogger?.({ error: (message, details) => logged.push([message, details]), warn: () => {} });
    try {
      await sleep(600);
      // Two connections retrying every 20 ms: dozens of failures, one report.
      expect(logged).toHaveLength(1);
      expect(logged[0]?.[0]).toBe('hub: redis failed');
      expect(unhandledPrints(consoleError)).toEqual([]);
      await expect(hub.appendChat('s', { displayName: 'n', text: 'hi', sentAt: 0 })).rejects.toThrow(
        /unreachable/,
      );
    } finally {
      await hub.close();
      connection.disconnect();
      consoleError.mockRestore();
    }
  });
});
