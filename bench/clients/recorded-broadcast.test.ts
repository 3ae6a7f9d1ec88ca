import type { StreamCreated } from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { BroadcastReplay, type RecordedBroadcast } from './recorded-broadcast';
import { wsTestServer } from './ws-test-server';

const servers = wsTestServer();
afterEach(() => servers.stop());

/** A `ws` ingest stand-in: answers the hello as the server's ingest does, or with what `answer` returns. */
async function startIngest(
  answer: (hello: Record<string, unknown>) => unknown,
  onChunk: (data: Buffer, at: number) => void,
): Promise<{ url: string; hellos: Record<string, unknown>[] }> {
  const hellos: Record<string, unknown>[] = [];
  const url = await servers.start('/live/ingest', (socket: WebSocket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return onChunk(data as Buffer, performance.now());
      const hello = JSON.parse(String(data)) as Record<string, unknown>;
      hellos.push(hello);
      socket.send(JSON.stringify(answer(hello)));
    });
  });
  return { url, hellos };
}

const created = { stream: { id: 'cast-1' }, ingest: { key: 'k'.repeat(32) } } as StreamCreated;
const recording: RecordedBroadcast = {
  mimeType: 'video/webm;codecs=vp8,opus',
  chunks: [
    { atMs: 0, data: Buffer.from([1]) },
    { atMs: 100, data: Buffer.from([2, 2]) },
    { atMs: 250, data: Buffer.from([3, 3, 3]) },
  ],
};
const welcome = (hello: Record<string, unknown>) => ({
  type: 'broadcast-welcome',
  protocolVersion: 1,
  streamId: hello.streamId,
  maxChunkBytes: 1024,
  resumed: false,
});

describe('BroadcastReplay', () => {
  it("says hello with the stream's own id and key, then sends each chunk at its offset, in order", async () => {
    const received: { data: number[]; at: number }[] = [];
    const ingest = await startIngest(welcome, (data, at) => received.push({ data: [...data], at }));
    const replay = new BroadcastReplay(ingest.url, recording);
    await replay.start(created);
    await expect.poll(() => received.length, { timeout: 2_000 }).toBe(3);
    replay.close();

    expect(ingest.hellos).toEqual([
      {
        type: 'broadcast-hello',
        protocolVersion: 1,
        streamId: 'cast-1',
        key: 'k'.repeat(32),
        mimeType: 'video/webm;codecs=vp8,opus',
        client: 'bench-replay',
      },
    ]);
    expect(received.map((chunk) => chunk.data)).toEqual([[1], [2, 2], [3, 3, 3]]);
    const first = received[0]?.at ?? 0;
    // Never early; a timer may fire late on a busy machine, so only the lower bound is the replay's promise.
    expect((received[1]?.at ?? 0) - first).toBeGreaterThanOrEqual(95);
    expect((received[2]?.at ?? 0) - first).toBeGreaterThanOrEqual(245);
    expect(replay.finished).toBe(true);
  });

  it('fails to start when the ingest refuses the hello, and sends no chunk', async () => {
    const chunks: Buffer[] = [];
    const ingest = await startIngest(
      () => ({ type: 'error', code: 'unauthorized', message: 'wrong key' }),
      (data) => chunks.push(data),
    );
    const replay = new BroadcastReplay(ingest.url, recording);
    await expect(replay.start(created)).rejects.toThrow(/answered the hello with .*wrong key/);
    replay.close();
    expect(chunks).toEqual([]);
    expect(replay.finished).toBe(false);
  });
});
