import { spawn } from 'node:child_process';
import {
  decodeBroadcastServerMessage,
  encodeMessage,
  PROTOCOL_VERSION,
  type StreamCreated,
  type StreamInfo,
} from '@onair/protocol';
import { redisHub, resolveFfmpegTools } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeRelayedEntry } from '../../packages/server-middleware/src/hub/relayed-piece-codec';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { watchMovingPicture } from './helpers/moving-picture';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { received, requestJson, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';

// Issue 13 item 4: two instances share one redis-server through their Redis hubs. A stream created over REST on
// A is listed on B; a broadcast into A's ingest socket is decoded on B for B's viewer; ending it on A ends it on B.

const WAIT_MS = 30_000;
const SECONDS = 30;
const CHUNK_MS = 250;
const broadcaster = { 'x-role': 'broadcaster' };

function sendInRealTime(socket: WebSocket, media: Buffer): () => void {
  const chunkBytes = Math.ceil(media.length / ((SECONDS * 1000) / CHUNK_MS));
  let offset = 0;
  const timer = setInterval(() => {
    if (offset >= media.length || socket.readyState !== WebSocket.OPEN) {
      clearInterval(timer);
      return;
    }
    socket.send(media.subarray(offset, offset + chunkBytes));
    offset += chunkBytes;
  }, CHUNK_MS);
  return () => clearInterval(timer);
}

async function broadcastTo(ingestUrl: string, streamId: string, key: string) {
  const socket = new WebSocket(ingestUrl);
  const messages: { type: string }[] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const decoded = decodeBroadcastServerMessage(data.toString());
    if (decoded.ok) messages.push(decoded.value);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(
    encodeMessage({
      type: 'broadcast-hello',
      protocolVersion: PROTOCOL_VERSION,
      streamId,
      key,
      mimeType: 'video/webm;codecs=vp8,opus',
    }),
  );
  await waitFor(() => messages.length > 0, WAIT_MS);
  expect(messages[0]).toMatchObject({ type: 'broadcast-welcome', streamId });
  return socket;
}

describe('a broadcast across two instances sharing a real Redis', () => {
  let redis: RunningRedis;
  let media: Buffer;
  const clients: Redis[] = [];
  const hosts: RunningHost[] = [];
  const cleanups: (() => void)[] = [];

  const instance = async () => {
    const client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    clients.push(client);
    const host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], {
      hub: redisHub({ redis: client, keyPrefix: 'broadcast-test:', onError: () => {} }),
      authorize: ({ req, role }) => role !== 'broadcaster' || req.headers['x-role'] === 'broadcaster',
    });
    hosts.push(host);
    return host;
  };

  beforeAll(async () => {
    redis = await startRedis();
    media = broadcastMedia('webm', SECONDS, 30);
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    for (const host of hosts) await host.close();
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  it('lists on B a stream created on A, shows B’s viewer A’s broadcast, and ends it there', async () => {
    const [a, b] = [await instance(), await instance()];
    const viewer = await TestViewer.connect(b.wsUrl);
    cleanups.push(() => viewer.close());
    viewer.send({ type: 'catalog' });
    await viewer.next('catalog', 0, WAIT_MS);

    const created = await requestJson(`${a.origin}/live/streams`, {
      method: 'POST',
      headers: broadcaster,
      body: { id: 'cam', title: 'Camera on A' },
    });
    expect(created.status).toBe(201);
    const { ingest } = created.body as StreamCreated;
    await waitFor(() => b.live.streams.get('cam') !== undefined, WAIT_MS);
    const { body } = await requestJson(`${b.origin}/live/streams`);
    const listed = (body as { streams: StreamInfo[] }).streams.find((stream) => stream.id === 'cam');
    expect(listed).toMatchObject({ id: 'cam', title: 'Camera on A', status: 'scheduled' });
    // B's viewer hears it in a catalog push, as for a stream created on B.
    await waitForMessage(viewer, 'catalog', (message) => message.videos.some((video) => video.id === 'cam'));
    // The key never reaches B in the clear: B's list and its Redis record carry none.
    expect(JSON.stringify(await requestJson(`${b.origin}/live/streams/cam`))).not.toContain(ingest.key);

    const socket = await broadcastTo(a.wsUrl.replace(/\/ws$/, '/ingest'), 'cam', ingest.key);
    cleanups.push(() => socket.terminate());
    cleanups.push(sendInRealTime(socket, media));
    await waitFor(() => b.live.streams.get('cam')?.status === 'live', WAIT_MS);

    const started = await watchMovingPicture(viewer, 'cam', 20, WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
    await viewer.waitFor(() => viewer.audio.length > 0, 'audio', WAIT_MS);
    // B decodes it, A only ingests it (nobody watches there).
    expect(b.live.stats().channels.find((channel) => channel.id === 'cam')).toBeDefined();
    expect(a.live.stats().sessions).toEqual([]);

    const from = viewer.messages.length;
    const ended = await requestJson(`${a.origin}/live/streams/cam/end`, {
      method: 'POST',
      headers: broadcaster,
    });
    expect(ended.status).toBe(200);
    expect(await viewer.next('stream-status', from, WAIT_MS)).toMatchObject({
      videoId: 'cam',
      status: 'ended',
    });
    expect(b.live.streams.get('cam')?.status).toBe('ended');
    expect(received(viewer, 'error').filter((error) => error.fatal)).toEqual([]);
  }, 120_000);

  it('shows B’s viewer an RTMP broadcast into A (FLV, as OBS pushes it)', async () => {
    const [a, b] = hosts as [RunningHost, RunningHost];
    const rtmp = await a.live.listenRtmp({ port: 0, host: '127.0.0.1' });
    const { ingest } = a.live.streams.create({ id: 'studio', title: 'Studio' });
    const child = spawn(
      resolveFfmpegTools().ffmpeg,
      [
        ...['-hide_banner', '-loglevel', 'error', '-re'],
        ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30'],
        ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '120'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30'],
        ...['-c:a', 'aac', '-f', 'flv', `rtmp://127.0.0.1:${rtmp.port}/live/${ingest.key}`],
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    await waitFor(() => b.live.streams.get('studio')?.source?.kind === 'broadcast', WAIT_MS);

    const viewer = await TestViewer.connect(b.wsUrl);
    cleanups.push(() => viewer.close());
    const started = await watchMovingPicture(viewer, 'studio', 20, WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
    await viewer.waitFor(() => viewer.audio.length > 0, 'audio', WAIT_MS);

    const from = viewer.messages.length;
    a.live.streams.end('studio');
    expect(await viewer.next('stream-status', from, WAIT_MS)).toMatchObject({
      videoId: 'studio',
      status: 'ended',
    });
    await rtmp.close();
  }, 120_000);

  it('ends on A a broadcast into A that B ends, and forgets on B what A removes', async () => {
    const [a, b] = hosts as [RunningHost, RunningHost];
    const { ingest } = a.live.streams.create({ id: 'second', title: 'Second' });
    await waitFor(() => b.live.streams.get('second') !== undefined, WAIT_MS);
    const socket = await broadcastTo(a.wsUrl.replace(/\/ws$/, '/ingest'), 'second', ingest.key);
    cleanups.push(() => socket.terminate());
    cleanups.push(sendInRealTime(socket, media));
    await waitFor(() => b.live.streams.get('second')?.status === 'live', WAIT_MS);

    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    b.live.streams.end('second');
    expect(await closed).toBe(1000);
    expect(a.live.streams.get('second')?.status).toBe('ended');

    a.live.streams.remove('second');
    await waitFor(() => b.live.streams.get('second') === undefined, WAIT_MS);
  }, 120_000);
});

describe('the relayed broadcast in Redis', () => {
  let redis: RunningRedis;
  let client: Redis;
  let hub: ReturnType<typeof redisHub>;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    hub = redisHub({ redis: client, keyPrefix: 'relay:', onError: () => {} });
  });

  afterAll(async () => {
    await hub?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('is bounded, expires, and gives a reader the init and then only what comes after it', async () => {
    const sharing = hub.broadcasts;
    if (!sharing) throw new Error('a Redis hub shares broadcasts');
    const publication = sharing.publish('bounded');
    publication.piece({ kind: 'init', slot: 'container', bytes: Buffer.from('header') });
    for (let index = 0; index < 3_000; index++) {
      publication.piece({
        kind: 'media',
        keyframe: index % 30 === 0,
        timeMs: index * 33,
        bytes: Buffer.alloc(100),
      });
    }
    // Every piece is in once the newest entry is the last one written.
    const newestTime = async () => {
      const [newest] = await client.xrevrangeBuffer('relay:broadcast:bounded', '+', '-', 'COUNT', 1);
      const entry = newest ? decodeRelayedEntry(newest[1][1] as Buffer) : null;
      return entry?.kind === 'media' ? entry.timeMs : null;
    };
    const deadline = Date.now() + WAIT_MS;
    while ((await newestTime()) !== 2_999 * 33 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const entries = await client.xlen('relay:broadcast:bounded');
    // MAXLEN ~ trims whole macro nodes: about the bound, never the 3 001 pieces written.
    expect(await newestTime()).toBe(2_999 * 33);
    expect(entries).toBeLessThan(1_200);
    const ttl = await client.pttl('relay:broadcast:bounded');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.pttl('relay:broadcast:bounded:init')).toBeGreaterThan(0);

    const heard: string[] = [];
    const stop = sharing.read('bounded', {
      piece: (piece) => heard.push(piece.kind === 'init' ? `init:${piece.bytes}` : `media:${piece.timeMs}`),
      restart: () => heard.push('restart'),
      end: () => heard.push('end'),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    publication.piece({ kind: 'media', keyframe: true, timeMs: 99_000, bytes: Buffer.alloc(10) });
    publication.restart();
    publication.piece({ kind: 'init', slot: 'container', bytes: Buffer.from('again') });
    publication.end();
    while (!heard.includes('end') && Date.now() < deadline + WAIT_MS)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(heard).toEqual(['init:header', 'media:99000', 'restart', 'init:again', 'end']);

    await sharing.remove('bounded');
    expect(await client.exists('relay:broadcast:bounded', 'relay:broadcast:bounded:init')).toBe(0);
  }, 60_000);
});
