import { decodeBroadcastServerMessage, encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { received, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';

// Issue 13 item 2, the server half: a broadcaster's socket (`<mount>/ingest`) feeds WebM chunks, as a browser's
// MediaRecorder sends them, into a stream created at run time; viewers watch it like any channel.

const WAIT_MS = 30_000;
const SECONDS = 30;
const CHUNK_MS = 250;

interface Broadcaster {
  socket: WebSocket;
  messages: { type: string; [key: string]: unknown }[];
  closed: Promise<number>;
}

async function connectBroadcaster(url: string): Promise<Broadcaster> {
  const socket = new WebSocket(url);
  const messages: Broadcaster['messages'] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const decoded = decodeBroadcastServerMessage(data.toString());
    if (!decoded.ok) throw new Error(`undecodable: ${data.toString()}`);
    messages.push(decoded.value as Broadcaster['messages'][number]);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

function hello(streamId: string, key: string) {
  return encodeMessage({
    type: 'broadcast-hello',
    protocolVersion: PROTOCOL_VERSION,
    streamId,
    key,
    mimeType: 'video/webm;codecs=vp8,opus',
  });
}

/** Sends `media` in `CHUNK_MS` pieces at real-time rate, from the start; returns a stop. */
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

describe('broadcasting over the ingest socket', () => {
  let host: RunningHost;
  let ingestUrl: string;
  let media: Buffer;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }]);
    ingestUrl = host.wsUrl.replace(/\/ws$/, '/ingest');
    media = broadcastMedia('webm', SECONDS, 30);
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await host?.close();
  });

  it('refuses a wrong key with one answer for unknown streams too, and bytes that are not WebM', async () => {
    const { stream, ingest } = host.live.streams.create({ id: 'refusals', title: 'Refusals' });
    for (const [id, key] of [
      [stream.id, 'not-the-key'],
      ['no-such-stream', ingest.key],
    ] as const) {
      const broadcaster = await connectBroadcaster(ingestUrl);
      broadcaster.socket.send(hello(id, key));
      expect(await broadcaster.closed).toBe(4010);
      expect(broadcaster.messages).toEqual([
        {
          type: 'error',
          code: 'ONAIR_FORBIDDEN',
          message: 'unknown stream or wrong stream key',
          fatal: true,
        },
      ]);
    }
    expect(host.live.streams.get(stream.id)?.status).toBe('scheduled');

    const broadcaster = await connectBroadcaster(ingestUrl);
    broadcaster.socket.send(hello(stream.id, ingest.key));
    await waitFor(() => broadcaster.messages.length > 0, WAIT_MS);
    broadcaster.socket.send(Buffer.from('this is not a WebM stream at all'));
    expect(await broadcaster.closed).toBe(4011);
    expect(broadcaster.messages.at(-1)).toMatchObject({
      type: 'error',
      code: 'ONAIR_BAD_BINARY',
      fatal: true,
    });
    host.live.streams.remove(stream.id);
  }, 60_000);

  it('takes a stream live, serves it to viewers, resumes a lost socket, and ends it for everyone', async () => {
    const { stream, ingest } = host.live.streams.create({ id: 'cam', title: 'Camera' });
    const broadcaster = await connectBroadcaster(ingestUrl);
    broadcaster.socket.send(hello(stream.id, ingest.key));
    await waitFor(() => broadcaster.messages.length > 0, WAIT_MS);
    expect(broadcaster.messages[0]).toMatchObject({
      type: 'broadcast-welcome',
      streamId: 'cam',
      resumed: false,
    });
    expect(host.live.streams.get('cam')?.status).toBe('live');
    cleanups.push(sendInRealTime(broadcaster.socket, media));

    const viewer = await TestViewer.connect(host.wsUrl);
    cleanups.push(() => viewer.close());
    viewer.send({ type: 'select', videoId: 'cam' });
    const started = await waitForMessage(viewer, 'stream', (message) => message.videoId === 'cam', WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
    await viewer.collectVideo(10, WAIT_MS);
    await waitFor(
      () =>
        broadcaster.messages.some((message) => message.type === 'broadcast-status' && message.viewers === 1),
      WAIT_MS,
    );

    // The connection drops; the broadcaster comes back within the grace time with a new container.
    broadcaster.socket.terminate();
    const again = await connectBroadcaster(ingestUrl);
    again.socket.send(hello(stream.id, ingest.key));
    await waitFor(() => again.messages.length > 0, WAIT_MS);
    expect(again.messages[0]).toMatchObject({ type: 'broadcast-welcome', resumed: true });
    expect(host.live.streams.get('cam')?.status).toBe('live');
    cleanups.push(sendInRealTime(again.socket, media));
    const framesBefore = viewer.video.length;
    await viewer.waitFor(() => viewer.video.length >= framesBefore + 10, 'frames after the resume', WAIT_MS);

    const from = viewer.messages.length;
    again.socket.send(encodeMessage({ type: 'broadcast-end' }));
    expect(await again.closed).toBe(1000);
    expect(again.messages.at(-1)).toEqual({ type: 'broadcast-ended', reason: 'ended' });
    expect(host.live.streams.get('cam')?.status).toBe('ended');
    const ended = await viewer.next('stream-status', from);
    expect(ended).toMatchObject({ videoId: 'cam', status: 'ended' });
    expect(received(viewer, 'error').filter((error) => error.fatal)).toEqual([]);
  }, 120_000);
});
