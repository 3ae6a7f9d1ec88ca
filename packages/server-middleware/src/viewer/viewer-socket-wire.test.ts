import { once } from 'node:events';
import type { Socket } from 'node:net';
import { CloseCode, type ServerMessage } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ViewerSocket } from './viewer-socket';
import { type WsPair, wsPair } from './ws-pair.fixture';

let pair: WsPair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

const catalog: ServerMessage = { type: 'catalog', videos: [] };

function received(pair: WsPair): { binary: boolean; data: Buffer }[] {
  const messages: { binary: boolean; data: Buffer }[] = [];
  pair.client.on('message', (data, binary) => messages.push({ binary, data: data as Buffer }));
  return messages;
}

const patterned = (length: number, seed: number) =>
  Buffer.from(Uint8Array.from({ length }, (_, i) => (i * seed) & 0xff));

/** The client's TCP socket: pausing it stops reading, so the server's buffers fill as with a stalled viewer. */
const clientSocket = (pair: WsPair) => (pair.client as unknown as { _socket: Socket })._socket;

describe('ViewerSocket on a real connection', () => {
  it('writes media and room events itself (not through ws.send), whole and in order with the control messages', async () => {
    pair = await wsPair();
    const messages = received(pair);
    const wsSend = vi.spyOn(pair.server, 'send');
    const socket = new ViewerSocket(pair.server, { maxBufferedBytes: 1 << 20, stallMs: 1_000 });
    const media = [patterned(100, 7), patterned(70_000, 13), patterned(126, 3)];
    socket.send(catalog);
    expect(socket.sendMedia(media[0]!)).toBe(true);
    expect(socket.sendMedia(media[1]!)).toBe(true);
    socket.sendEncoded(Buffer.from('{"type":"viewers","streamId":"a","count":2}'));
    expect(socket.sendMedia(media[2]!)).toBe(true);
    // The same message to a second viewer: the frame built for the first is written again.
    expect(socket.sendMedia(media[0]!)).toBe(true);
    await vi.waitFor(() => expect(messages).toHaveLength(6), { timeout: 5_000 });
    expect(messages.map((message) => message.binary)).toEqual([false, true, true, false, true, true]);
    expect(JSON.parse(messages[0]!.data.toString())).toEqual(catalog);
    expect(messages[1]!.data.equals(media[0]!)).toBe(true);
    expect(messages[2]!.data.equals(media[1]!)).toBe(true);
    expect(messages[4]!.data.equals(media[2]!)).toBe(true);
    expect(messages[5]!.data.equals(media[0]!)).toBe(true);
    // Only the catalog, encoded for this viewer alone, went through ws.
    expect(wsSend).toHaveBeenCalledTimes(1);
  });

  it('adds no media to a buffer that holds maxBufferedBytes, counting the frames it wrote itself', async () => {
    pair = await wsPair();
    clientSocket(pair).pause();
    const budget = 256 * 1024;
    const socket = new ViewerSocket(pair.server, { maxBufferedBytes: budget, stallMs: 1_000 });
    const frame = patterned(64 * 1024, 5);
    let sent = 0;
    // Loopback's kernel buffers take a few MB first; then the socket's own buffer grows up to the budget.
    while (sent < 10_000 && socket.sendMedia(frame)) sent++;
    expect(sent).toBeLessThan(10_000);
    expect(socket.bufferedAmount).toBeGreaterThanOrEqual(budget);
    expect(socket.bufferedAmount).toBeLessThan(budget + frame.length + 10);
    expect(socket.sendMedia(frame)).toBe(false);
  });

  it('closes with 4004 a client that stops reading, after every media message it was sent, each whole', async () => {
    pair = await wsPair();
    const messages = received(pair);
    const closed = once(pair.client, 'close') as Promise<[number, Buffer]>;
    clientSocket(pair).pause();
    const socket = new ViewerSocket(pair.server, { maxBufferedBytes: 256 * 1024, stallMs: 300 });
    const frame = patterned(64 * 1024, 11);
    let sent = 0;
    while (sent < 10_000 && socket.sendMedia(frame)) sent++;
    // The state message waits behind the full buffer; it does not drain within stallMs.
    socket.send(catalog);
    expect(socket.waiting.messages).toBe(1);
    await vi.waitFor(() => expect(pair!.server.readyState).toBe(pair!.server.CLOSING), { timeout: 5_000 });
    // The client reads again within the close grace: everything written arrives, then the close frame.
    clientSocket(pair).resume();
    const [code] = await closed;
    expect(code).toBe(CloseCode.NotReading);
    expect(messages).toHaveLength(sent);
    expect(messages.every((message) => message.binary && message.data.equals(frame))).toBe(true);
  });
});
