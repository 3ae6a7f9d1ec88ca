/**
 * Run by `redis-origin-crash.test.ts` in its own process: the origin instance of a broadcast, which the test
 * kills with SIGKILL (no clean shutdown, as a crash). A host with one video and a Redis hub; it creates the stream
 * `<stream id>` and prints one JSON line, `{ ingestUrl, key, instanceId }`, then serves until killed.
 *
 * Usage: node --conditions=@onair/source --import tsx origin-instance.ts <redis port> <key prefix>
 *   <presenceTtlMs> <stream id> <video file>
 */
import { redisHub } from '@onair/server-middleware';
import Redis from 'ioredis';
import { startHost } from './host-app';

const [port, keyPrefix, presenceTtlMs, streamId, videoPath] = process.argv.slice(2);
if (!port || !keyPrefix || !presenceTtlMs || !streamId || !videoPath) {
  throw new Error(
    'usage: origin-instance.ts <redis port> <key prefix> <presenceTtlMs> <stream id> <video file>',
  );
}

const redis = new Redis(Number(port), '127.0.0.1', { maxRetriesPerRequest: 1 });
const hub = redisHub({ redis, keyPrefix, presenceTtlMs: Number(presenceTtlMs), onError: () => {} });
const host = await startHost([{ id: 'clip', input: videoPath }], { hub });
const { ingest } = host.live.streams.create({ id: streamId, title: `Broadcast into ${process.pid}` });
process.stdout.write(
  `${JSON.stringify({
    ingestUrl: host.wsUrl.replace(/\/ws$/, '/ingest'),
    key: ingest.key,
    instanceId: hub.broadcasts?.instanceId,
  })}\n`,
);
