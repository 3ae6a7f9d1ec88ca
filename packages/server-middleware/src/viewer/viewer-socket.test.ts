import { CloseCode, ErrorCode, type ServerMessage } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ViewerSocket } from './viewer-socket';

const BUDGET = 10_000;

/** A ws stand-in whose buffer only drains when the test says: a client that does not read. */
class UnreadSocket {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: (string | Buffer)[] = [];
  closedWith: number | null = null;
  terminated = false;
  private onClose: (() => void) | null = null;
  send(data: string | Buffer): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
  }
  once(_event: 'close', listener: () => void): void {
    this.onClose = listener;
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = WebSocket.CLOSING;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
    this.onClose?.();
  }
  texts(): ServerMessage[] {
    return this.sent.filter((data) => typeof data === 'string').map((data) => JSON.parse(data as string));
  }
}

function open(stallMs = 1_000) {
  const ws = new UnreadSocket();
  const socket = new ViewerSocket(ws as unknown as WebSocket, { maxBufferedBytes: BUDGET, stallMs });
  return { ws, socket };
}

const catalog = (n: number): ServerMessage => ({
  type: 'catalog',
  videos: [
    {
      id: `v${n}`,
      title: 't',
      duration: null,
      width: 2,
      height: 2,
      fps: 1,
      hasAudio: false,
      thumbnailUrl: '/t',
    },
  ],
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ViewerSocket', () => {
  it('sends control messages at once while the buffer has room', () => {
    const { ws, socket } = open();
    socket.send(catalog(1));
    socket.sendError(ErrorCode.BadMessage, 'no', false);
    expect(ws.texts().map((message) => message.type)).toEqual(['catalog', 'error']);
  });

  it('keeps only the newest of each state message while the client does not read, and adds nothing to its buffer', () => {
    const { ws, socket } = open();
    ws.bufferedAmount = BUDGET;
    for (let n = 0; n < 1_000; n++) {
      socket.send(catalog(n));
      socket.send({ type: 'chat-ack', clientId: 'same', message: chat(n) });
      socket.sendError(ErrorCode.RateLimited, 'slow down', false);
      socket.sendEncoded(Buffer.from('{"type":"viewers","streamId":"a","count":1}'));
      expect(socket.sendMedia(Buffer.alloc(100))).toBe(false);
    }
    expect(ws.sent).toHaveLength(0);
    expect(socket.waiting).toEqual({ messages: 2, replaced: 2 * 999 });
    // It reads: the newest catalog and ack go out, in the order they last changed, then media again.
    ws.bufferedAmount = 0;
    expect(socket.sendMedia(Buffer.alloc(100))).toBe(true);
    const texts = ws.texts();
    expect(texts.map((message) => message.type)).toEqual(['catalog', 'chat-ack']);
    expect(texts[0]).toMatchObject({ videos: [{ id: 'v999' }] });
    expect(ws.sent.at(-1)).toBeInstanceOf(Buffer);
  });

  it('holds media back until the stream message waiting ahead of it is out', () => {
    const { ws, socket } = open();
    ws.bufferedAmount = BUDGET;
    socket.send({ type: 'quality-changed', rung: 0, quality: 50, mode: 'auto', reason: 'initial' });
    ws.bufferedAmount = BUDGET - 1;
    // The waiting message takes the room; the frame must not overtake it.
    expect(socket.sendMedia(Buffer.alloc(100))).toBe(false);
    expect(ws.texts()).toHaveLength(1);
    ws.bufferedAmount = 0;
    expect(socket.sendMedia(Buffer.alloc(100))).toBe(true);
  });

  it('sends a fatal error even over the budget', () => {
    const { ws, socket } = open();
    ws.bufferedAmount = BUDGET * 10;
    socket.sendError(ErrorCode.ServerClosing, 'bye', true);
    expect(ws.texts()).toMatchObject([{ code: ErrorCode.ServerClosing, fatal: true }]);
  });

  it('closes with 4004 a socket whose waiting control messages do not drain, then cuts it', () => {
    vi.useFakeTimers();
    const { ws, socket } = open(1_000);
    ws.bufferedAmount = BUDGET;
    socket.send(catalog(1));
    vi.advanceTimersByTime(900);
    expect(ws.closedWith).toBeNull();
    vi.advanceTimersByTime(200);
    expect(ws.closedWith).toBe(CloseCode.NotReading);
    expect(socket.waiting.messages).toBe(0);
    vi.advanceTimersByTime(2_000);
    expect(ws.terminated).toBe(true);
  });

  it('sends the waiting messages once the client reads, without any new message to carry them', () => {
    vi.useFakeTimers();
    const { ws, socket } = open();
    ws.bufferedAmount = BUDGET;
    socket.send(catalog(1));
    ws.bufferedAmount = 0;
    vi.advanceTimersByTime(100);
    expect(ws.texts().map((message) => message.type)).toEqual(['catalog']);
    vi.advanceTimersByTime(5_000);
    expect(ws.closedWith).toBeNull();
  });
});

function chat(n: number) {
  return { id: `m${n}`, streamId: 'a', displayName: 'x', text: 'hi', sentAt: n };
}
