import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StreamInfo } from '@onair/protocol';
import { redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { BROADCAST_GRACE_MS } from '../../packages/server-middleware/src/ingest/broadcast-on-air';
import { ORPHAN_CHECK_MS } from '../../packages/server-middleware/src/instances/orphaned-streams';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { type RunningRedis, startRedis } from './helpers/redis-server';
import { requestJson, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';
import { connectWebmBroadcaster, type WebmBroadcaster } from './helpers/webm-broadcaster';

// Issue 13 item 4: the origin instance of a broadcast (a child process, so it can really crash) is killed with
// SIGKILL while instance B, in this process, has a viewer on the broadcast. Nobody is left to run the origin's
// grace timer: B must end the stream itself once the origin's liveness key expired and the grace ran out, unless
// the broadcaster came back to B in time.

const WAIT_MS = 60_000;
const SECONDS = 60;
/** Both instances' `presenceTtlMs`: the liveness TTL (a beat every second). */
const TTL_MS = 3_000;
/** What may pass between the kill and the end: TTL, a check, the grace, a check; and a margin for a loaded CI. */
const END_WITHIN_MS = TTL_MS + ORPHAN_CHECK_MS + BROADCAST_GRACE_MS + ORPHAN_CHECK_MS + 30_000;
const PREFIX = 'origin-crash:';
const originScript = fileURLToPath(new URL('./helpers/origin-instance.ts', import.meta.url));

interface Origin {
  child: ChildProcess;
  ingestUrl: string;
  key: string;
}

describe('a broadcast whose origin instance crashes (SIGKILL), watched on another instance', () => {
  let redis: RunningRedis;
  let client: Redis;
  let b: RunningHost;
  let hub: ReturnType<typeof redisHub>;
  let media: Buffer;
  const children: ChildProcess[] = [];
  const cleanups: (() => void)[] = [];

  const startOrigin = async (streamId: string): Promise<Origin> => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@onair/source',
        '--import',
        'tsx',
        originScript,
        String(redis.port),
        PREFIX,
        String(TTL_MS),
        streamId,
        fixturePath('videoOnly'),
      ],
      { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the origin did not start:\n${stderr}`)), WAIT_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const end = stdout.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        resolve(stdout.slice(0, end));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the origin exited (${code ?? signal}):\n${stderr}`));
      });
    });
    const { ingestUrl, key } = JSON.parse(line) as { ingestUrl: string; key: string };
    return { child, ingestUrl, key };
  };

  const crash = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  /** The origin has `streamId` on air from a broadcaster, and B's viewer watches it relayed. */
  const watchedOnB = async (streamId: string) => {
    const origin = await startOrigin(streamId);
    await waitFor(() => b.live.streams.get(streamId) !== undefined, WAIT_MS);
    const broadcaster = await connectWebmBroadcaster(origin.ingestUrl, streamId, origin.key, WAIT_MS);
    cleanups.push(() => broadcaster.socket.terminate());
    void broadcaster.sendInRealTime(media, SECONDS);
    await waitFor(() => b.live.streams.get(streamId)?.status === 'live', WAIT_MS);

    const viewer = await TestViewer.connect(b.wsUrl);
    cleanups.push(() => viewer.close());
    viewer.send({ type: 'select', videoId: streamId });
    await waitForMessage(viewer, 'stream', (message) => message.videoId === streamId, WAIT_MS);
    await viewer.collectVideo(5, WAIT_MS);
    return { origin, viewer };
  };

  const statusOnB = async (streamId: string) => {
    const { status, body } = await requestJson(`${b.origin}/live/streams/${streamId}`);
    expect(status).toBe(200);
    return (body as { stream: StreamInfo }).stream;
  };

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    hub = redisHub({ redis: client, keyPrefix: PREFIX, presenceTtlMs: TTL_MS, onError: () => {} });
    b = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], { hub });
    media = broadcastMedia('webm', SECONDS, 30);
  }, 120_000);

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(async () => {
    await b?.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('ends the stream on B after the liveness TTL and the broadcast grace: B’s viewer sees "ended"', async () => {
    const { origin, viewer } = await watchedOnB('crashed');
    const from = viewer.messages.length;
    await crash(origin.child);
    const killedAt = Date.now();

    const status = await viewer.waitFor(
      () =>
        viewer.messages
          .slice(from)
          .find((message) => message.type === 'stream-status' && message.videoId === 'crashed'),
      'a "stream-status" message',
      END_WITHIN_MS,
    );
    expect(status).toMatchObject({ videoId: 'crashed', status: 'ended' });
    // Not before a whole grace: the broadcaster could have come back until then.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(BROADCAST_GRACE_MS);
    const stream = await statusOnB('crashed');
    expect(stream.status).toBe('ended');
    expect(stream.endedAt).toBeGreaterThanOrEqual(killedAt);
    // The shared record says so too, for any instance that starts later.
    const shared = JSON.parse((await client.hget(`${PREFIX}streams`, 'crashed')) ?? '{}');
    expect(shared).toMatchObject({ status: 'ended' });
  }, 240_000);

  it('keeps the stream live when its broadcaster reconnects to B within the grace, and B decodes it', async () => {
    const { origin, viewer } = await watchedOnB('moved');
    await crash(origin.child);
    const moved: WebmBroadcaster = await connectWebmBroadcaster(
      b.wsUrl.replace(/\/ws$/, '/ingest'),
      'moved',
      origin.key,
      WAIT_MS,
    );
    cleanups.push(() => moved.socket.terminate());
    void moved.sendInRealTime(media, SECONDS);
    // The shared record names B as the stream's feed now.
    const fedBy = async () =>
      JSON.parse((await client.hget(`${PREFIX}streams`, 'moved')) ?? '{}').feed?.instance;
    const deadline = Date.now() + WAIT_MS;
    while ((await fedBy()) !== hub.broadcasts?.instanceId && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await fedBy()).toBe(hub.broadcasts?.instanceId);

    // Long enough for the dead origin's stream to have ended, had its feed stayed there.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + BROADCAST_GRACE_MS + 3 * ORPHAN_CHECK_MS));
    expect((await statusOnB('moved')).status).toBe('live');
    expect(
      viewer.messages.filter((message) => message.type === 'stream-status' && message.status === 'ended'),
    ).toEqual([]);
    // The feed changed hands: B's viewer picks the stream again and watches B's own ingest.
    const from = viewer.messages.length;
    viewer.send({ type: 'select', videoId: 'moved' });
    expect(await viewer.next('stream', from, WAIT_MS)).toMatchObject({ videoId: 'moved' });
    await viewer.collectVideo(5, WAIT_MS);

    moved.end();
    expect(await moved.closed).toBe(1000);
    expect((await statusOnB('moved')).status).toBe('ended');
  }, 240_000);
});
