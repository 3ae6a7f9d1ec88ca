import { type ChatMessage, type ClientMessage, ErrorCode, type RoomMessage } from '@onair/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROOM_OPTIONS } from '../options';
import { RoomStore } from './room-store';

function setup(options: Partial<typeof DEFAULT_ROOM_OPTIONS> = {}) {
  const sent: ClientMessage[] = [];
  let connected = true;
  const room = new RoomStore(
    (message) => {
      if (connected) sent.push(message);
      return connected;
    },
    { ...DEFAULT_ROOM_OPTIONS, ...options },
  );
  room.setStream('ocean');
  return {
    room,
    sent,
    chatSends: () => sent.filter((message) => message.type === 'chat-send'),
    setConnected: (value: boolean) => {
      connected = value;
    },
  };
}

function roomMessage(overrides: Partial<RoomMessage> = {}): RoomMessage {
  return {
    type: 'room',
    streamId: 'ocean',
    role: 'chatter',
    canChat: true,
    canModerate: false,
    reactions: ['❤️', '🔥'],
    maxChatLength: 20,
    history: [],
    pinned: null,
    viewers: 3,
    ...overrides,
  };
}

function stored(clientId: string | undefined, text: string, id = `s-${text}`): ChatMessage {
  return {
    id,
    streamId: 'ocean',
    ...(clientId ? { clientId } : {}),
    displayName: 'Ann',
    text,
    sentAt: 1_000,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RoomStore chat', () => {
  it('refuses to send before the room is joined, and joins with the room message', () => {
    const { room, sent } = setup();
    expect(room.sendChat('hi')).toEqual({ ok: false, reason: 'Not connected to the chat.' });
    room.receive(roomMessage({ history: [stored('x', 'earlier')] }));
    const snapshot = room.getSnapshot();
    expect(snapshot.joined).toBe(true);
    expect(snapshot.viewers).toBe(3);
    expect(snapshot.messages.map((entry) => [entry.text, entry.status, entry.own])).toEqual([
      ['earlier', 'sent', false],
    ]);
    expect(sent).toEqual([]);
  });

  it('shows a message as pending at once, then confirms it in place when the ack arrives', () => {
    const { room, chatSends } = setup();
    room.receive(roomMessage());
    const result = room.sendChat('  hello  ', 'Bo');
    if (!result.ok) throw new Error(result.reason);
    expect(chatSends()).toEqual([
      { type: 'chat-send', clientId: result.clientId, text: 'hello', displayName: 'Bo' },
    ]);
    expect(room.getSnapshot().messages).toMatchObject([{ text: 'hello', status: 'pending', own: true }]);
    const message = stored(result.clientId, 'hello', 'm1');
    room.receive({ type: 'chat-ack', clientId: result.clientId, message });
    // The broadcast of the same message to its sender must not add a second line.
    room.receive({ type: 'chat-message', message });
    expect(room.getSnapshot().messages).toMatchObject([
      { id: 'm1', text: 'hello', status: 'sent', own: true, error: null },
    ]);
  });

  it('confirms an own message by its broadcast when that comes before the ack', () => {
    const { room } = setup();
    room.receive(roomMessage());
    const result = room.sendChat('first');
    if (!result.ok) throw new Error(result.reason);
    const message = stored(result.clientId, 'first', 'm7');
    room.receive({ type: 'chat-message', message });
    room.receive({ type: 'chat-ack', clientId: result.clientId, message });
    expect(room.getSnapshot().messages).toHaveLength(1);
    expect(room.getSnapshot().messages[0]).toMatchObject({ id: 'm7', status: 'sent' });
    vi.advanceTimersByTime(20_000);
    expect(room.getSnapshot().messages[0]?.status).toBe('sent');
  });

  it('marks a refused message failed with the reason, and retry resends it with the same clientId', () => {
    const { room, chatSends } = setup();
    room.receive(roomMessage());
    const result = room.sendChat('spam');
    if (!result.ok) throw new Error(result.reason);
    room.refused({
      type: 'error',
      code: ErrorCode.RateLimited,
      message: 'slow down',
      fatal: false,
      ref: result.clientId,
    });
    expect(room.getSnapshot().messages[0]).toMatchObject({ status: 'failed', error: 'slow down' });
    expect(room.getSnapshot().error).toBeNull();
    room.retryChat(result.clientId);
    expect(room.getSnapshot().messages[0]).toMatchObject({ status: 'pending', error: null });
    expect(chatSends().map((message) => message.clientId)).toEqual([result.clientId, result.clientId]);
    room.receive({ type: 'chat-ack', clientId: result.clientId, message: stored(result.clientId, 'spam') });
    expect(room.getSnapshot().messages).toMatchObject([{ status: 'sent', text: 'spam' }]);
  });

  it('fails a message left unacknowledged past the timeout', () => {
    const { room } = setup({ chatAckTimeoutMs: 5_000 });
    room.receive(roomMessage());
    room.sendChat('anyone?');
    vi.advanceTimersByTime(4_999);
    expect(room.getSnapshot().messages[0]?.status).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(room.getSnapshot().messages[0]).toMatchObject({
      status: 'failed',
      error: 'No answer from the server.',
    });
  });

  it('fails pending messages when the connection drops, and the rejoined history settles them', () => {
    const { room } = setup();
    room.receive(roomMessage());
    const lost = room.sendChat('lost');
    const delivered = room.sendChat('delivered');
    if (!lost.ok || !delivered.ok) throw new Error('refused');
    room.disconnected();
    expect(room.getSnapshot().joined).toBe(false);
    expect(room.getSnapshot().messages.map((entry) => entry.status)).toEqual(['failed', 'failed']);
    // The server had stored one of them before the socket went: the history says so.
    room.receive(roomMessage({ history: [stored(delivered.clientId, 'delivered', 'm2')] }));
    expect(room.getSnapshot().messages.map((entry) => [entry.text, entry.status, entry.own])).toEqual([
      ['delivered', 'sent', true],
      ['lost', 'failed', true],
    ]);
  });

  it("forgets the viewer count when the connection drops, and takes the rejoined room's count", () => {
    const { room } = setup();
    room.receive(roomMessage({ viewers: 3 }));
    room.disconnected();
    expect(room.getSnapshot().viewers).toBeNull();
    room.receive(roomMessage({ viewers: 7 }));
    expect(room.getSnapshot().viewers).toBe(7);
  });

  it('fails a message at once when there is no connection to send it on', () => {
    const { room, setConnected } = setup();
    room.receive(roomMessage());
    setConnected(false);
    room.sendChat('offline');
    expect(room.getSnapshot().messages[0]).toMatchObject({
      status: 'failed',
      error: 'Not connected to the chat.',
    });
  });

  it('refuses empty and over-long text without sending', () => {
    const { room, sent } = setup();
    room.receive(roomMessage({ maxChatLength: 5 }));
    expect(room.sendChat('   ')).toEqual({ ok: false, reason: 'Type a message first.' });
    expect(room.sendChat('😀😀😀😀😀')).toMatchObject({ ok: true });
    expect(room.sendChat('123456')).toEqual({
      ok: false,
      reason: 'Messages can be at most 5 characters; this one has 6.',
    });
    expect(sent).toHaveLength(1);
  });

  it('applies deletes and pins, and ignores messages of another room', () => {
    const { room } = setup();
    room.receive(roomMessage({ history: [stored(undefined, 'a', 'm1'), stored(undefined, 'b', 'm2')] }));
    room.receive({ type: 'chat-pinned', streamId: 'ocean', message: stored(undefined, 'a', 'm1') });
    expect(room.getSnapshot().pinned?.id).toBe('m1');
    room.receive({ type: 'chat-deleted', streamId: 'ocean', messageId: 'm1' });
    expect(room.getSnapshot().messages.map((entry) => entry.id)).toEqual(['m2']);
    expect(room.getSnapshot().pinned).toBeNull();
    room.receive({
      type: 'chat-message',
      message: { ...stored(undefined, 'elsewhere'), streamId: 'sunset' },
    });
    room.receive({ type: 'viewers', streamId: 'sunset', count: 99 });
    expect(room.getSnapshot().messages).toHaveLength(1);
    expect(room.getSnapshot().viewers).toBe(3);
  });

  it('starts a new room empty when another video is selected', () => {
    const { room } = setup();
    room.receive(roomMessage({ history: [stored(undefined, 'a')] }));
    room.setStream('sunset');
    expect(room.getSnapshot()).toMatchObject({
      streamId: 'sunset',
      joined: false,
      messages: [],
      viewers: null,
    });
    room.receive(roomMessage({ streamId: 'ocean' }));
    expect(room.getSnapshot().joined).toBe(false);
  });

  it('keeps at most maxChatMessages, dropping the oldest sent ones first', () => {
    const { room } = setup({ maxChatMessages: 3 });
    room.receive(roomMessage());
    room.setStream('ocean');
    for (const text of ['1', '2', '3', '4'])
      room.receive({ type: 'chat-message', message: stored(undefined, text) });
    expect(room.getSnapshot().messages.map((entry) => entry.text)).toEqual(['2', '3', '4']);
  });

  it('keeps the same snapshot object while nothing changes', () => {
    const { room } = setup();
    room.receive(roomMessage());
    const before = room.getSnapshot();
    room.receive({ type: 'viewers', streamId: 'ocean', count: 3 });
    expect(room.getSnapshot()).toBe(before);
  });

  it('shows a refusal without a ref as the room error', () => {
    const { room } = setup();
    room.receive(roomMessage());
    room.refused({ type: 'error', code: ErrorCode.Forbidden, message: 'moderators only', fatal: false });
    expect(room.getSnapshot().error).toEqual({
      code: ErrorCode.Forbidden,
      message: 'moderators only',
      source: 'moderation',
    });
    room.clearError();
    expect(room.getSnapshot().error).toBeNull();
  });

  it('puts a rate limit without a ref down to the reactions when a reaction was the last control sent', () => {
    const { room } = setup();
    room.receive(roomMessage());
    const limited = { type: 'error', code: ErrorCode.RateLimited, fatal: false } as const;
    room.refused({ ...limited, message: 'before anything' });
    expect(room.getSnapshot().error?.source).toBe('room');
    room.react('🔥');
    room.refused({ ...limited, message: 'too many reactions; some were dropped' });
    expect(room.getSnapshot().error).toEqual({
      code: ErrorCode.RateLimited,
      message: 'too many reactions; some were dropped',
      source: 'reaction',
    });
    room.deleteChat('m1');
    room.refused({ ...limited, message: 'slow down' });
    expect(room.getSnapshot().error?.source).toBe('moderation');
  });
});

describe('RoomStore reactions', () => {
  it('sends a reaction and floats it at once; refuses one outside the set or before joining', () => {
    const { room, sent } = setup();
    expect(room.react('❤️')).toBe(false);
    room.receive(roomMessage());
    expect(room.react('🙈')).toBe(false);
    expect(room.react('❤️', 0.5, 0.25)).toBe(true);
    expect(sent).toEqual([{ type: 'reaction', emoji: '❤️', x: 0.5, y: 0.25 }]);
    expect(room.getSnapshot().floating).toMatchObject([{ emoji: '❤️', x: 0.5, y: 0.25, own: true }]);
    expect(() => room.react('❤️', 2)).toThrow(TypeError);
  });

  it('adds batch counts up and floats the samples of others, not the echo of our own', () => {
    const { room } = setup();
    room.receive(roomMessage());
    room.react('🔥');
    room.receive({
      type: 'reactions',
      streamId: 'ocean',
      counts: { '🔥': 2, '❤️': 1 },
      samples: [{ emoji: '🔥' }, { emoji: '🔥' }, { emoji: '❤️' }],
    });
    expect(room.getSnapshot().reactionCounts).toEqual({ '🔥': 2, '❤️': 1 });
    expect(room.getSnapshot().floating.map((item) => [item.emoji, item.own])).toEqual([
      ['🔥', true],
      ['🔥', false],
      ['❤️', false],
    ]);
    vi.advanceTimersByTime(DEFAULT_ROOM_OPTIONS.reactionLifetimeMs);
    expect(room.getSnapshot().floating).toEqual([]);
  });
});
