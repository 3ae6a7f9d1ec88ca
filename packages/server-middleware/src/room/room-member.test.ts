import type { IncomingMessage } from 'node:http';
import {
  ErrorCode,
  type ErrorCode as ErrorCodeType,
  REACTION_BATCH_MS,
  type ServerMessage,
  type ServerMessageMap,
} from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthorizeContext } from '../access/authorize-hook';
import type { Hub } from '../hub/hub';
import { memoryHub } from '../hub/memory-hub';
import { type LiveStreamOptions, resolveOptions } from '../options/live-stream-options';
import { RoomActions } from './room-actions';
import { RoomMember } from './room-member';
import { Rooms } from './rooms';

/** The member's socket, recording what it was sent (room events decoded, as a client would read them). */
class FakeSocket {
  readonly sent: ServerMessage[] = [];

  send(message: ServerMessage): void {
    this.sent.push(message);
  }

  sendEncoded(bytes: Buffer): void {
    this.sent.push(JSON.parse(bytes.toString('utf8')) as ServerMessage);
  }

  sendError(code: ErrorCodeType, message: string, fatal: false, ref?: string): void {
    this.sent.push({ type: 'error', code, message, fatal, ...(ref === undefined ? {} : { ref }) });
  }

  of<T extends keyof ServerMessageMap>(type: T): ServerMessageMap[T][] {
    return this.sent.filter((message): message is ServerMessageMap[T] => message.type === type);
  }
}

/** Roles from an `x-role` header: `moderator` moderates (as "The Mod"), `muted` only watches. */
function headerRoles({ req, role }: AuthorizeContext) {
  const who = req.headers['x-role'];
  if (role === 'moderator') return who === 'moderator' ? { displayName: 'The Mod' } : false;
  return role === 'viewer' || who !== 'muted';
}

let closeRooms: (() => void) | undefined;
afterEach(() => {
  closeRooms?.();
  vi.useRealTimers();
});

function setUp(overrides: LiveStreamOptions = {}, hub: Hub = memoryHub()) {
  const options = resolveOptions({ logger: false, authorize: headerRoles, hub, ...overrides });
  const rooms = new Rooms(hub, 1_000, options.logger);
  closeRooms = () => rooms.close();
  const actions = new RoomActions(rooms, options.room.reactions);
  let members = 0;
  const connect = (role?: string) => {
    const socket = new FakeSocket();
    const req = { headers: role === undefined ? {} : { 'x-role': role } } as IncomingMessage;
    const member = new RoomMember({ options, rooms, actions, req, tag: `viewer-${++members}`, socket });
    return { member, socket };
  };
  /** A member that has joined `streamId` and got its `room` message. */
  const joined = async (streamId: string, role?: string) => {
    const viewer = connect(role);
    viewer.member.join(streamId);
    await vi.waitFor(() => expect(viewer.socket.of('room')).toHaveLength(1));
    return viewer;
  };
  return { hub, connect, joined };
}

const errorCodes = (socket: FakeSocket) => socket.of('error').map((error) => error.code);

describe('RoomMember', () => {
  it('joins with the roles authorize gives and gets the history, the pin and the count', async () => {
    const { hub, joined } = setUp();
    const { message } = await hub.appendChat('show', { displayName: 'Ada', text: 'earlier', sentAt: 1 });
    await hub.pin('show', message.id);
    const { socket } = await joined('show');
    expect(socket.of('room')[0]).toMatchObject({
      streamId: 'show',
      role: 'chatter',
      canChat: true,
      canModerate: false,
      history: [message],
      pinned: message,
      viewers: 1,
    });
    const moderator = await joined('show', 'moderator');
    expect(moderator.socket.of('room')[0]).toMatchObject({ role: 'moderator', canModerate: true });
  });

  it('refuses chat and reactions before a join with ONAIR_NOT_JOINED, naming the refused chat-send', () => {
    const { connect } = setUp();
    const { member, socket } = connect();
    member.receive({ type: 'chat-send', clientId: 'early', text: 'hello?' });
    member.receive({ type: 'reaction', emoji: '🔥' });
    expect(socket.of('error')).toMatchObject([
      { code: ErrorCode.NotJoined, ref: 'early', fatal: false },
      { code: ErrorCode.NotJoined },
    ]);
  });

  it('acks its own message and leaves it out of its own fan-out; the others get it', async () => {
    const { joined } = setUp();
    const alice = await joined('show');
    const bob = await joined('show');
    alice.member.receive({ type: 'chat-send', clientId: 'a-1', text: ' hi ', displayName: 'Alice' });
    await vi.waitFor(() => expect(alice.socket.of('chat-ack')).toHaveLength(1));
    expect(alice.socket.of('chat-ack')[0]).toMatchObject({
      clientId: 'a-1',
      message: { text: 'hi', displayName: 'Alice', clientId: 'a-1' },
    });
    await vi.waitFor(() => expect(bob.socket.of('chat-message')).toHaveLength(1));
    expect(alice.socket.of('chat-message')).toEqual([]);
  });

  it('keeps one guest name for the whole connection', async () => {
    const { joined } = setUp();
    const { member, socket } = await joined('show');
    member.receive({ type: 'chat-send', clientId: 'g-1', text: 'one' });
    member.receive({ type: 'chat-send', clientId: 'g-2', text: 'two' });
    await vi.waitFor(() => expect(socket.of('chat-ack')).toHaveLength(2));
    const [first, second] = socket.of('chat-ack').map((ack) => ack.message.displayName);
    expect(first).toMatch(/^Guest-[0-9a-f]{4}$/);
    expect(second).toBe(first);
  });

  it('refuses chat past the budget with ONAIR_RATE_LIMITED; an empty message costs no token', async () => {
    const { joined, hub } = setUp({ chatRateLimit: { burst: 1, sustained: 1, windowMs: 3_600_000 } });
    const { member, socket } = await joined('show');
    member.receive({ type: 'chat-send', clientId: 'blank', text: '  ' });
    member.receive({ type: 'chat-send', clientId: 'one', text: 'one' });
    member.receive({ type: 'chat-send', clientId: 'two', text: 'two' });
    await vi.waitFor(() => expect(socket.of('error')).toHaveLength(2));
    expect(socket.of('error')).toMatchObject([
      { code: ErrorCode.ChatEmpty, ref: 'blank' },
      { code: ErrorCode.RateLimited, ref: 'two' },
    ]);
    await vi.waitFor(() => expect(socket.of('chat-ack')).toHaveLength(1));
    expect((await hub.history('show')).map((message) => message.text)).toEqual(['one']);
  });

  it('refuses chat to a viewer authorize does not let chat with ONAIR_FORBIDDEN', async () => {
    const { joined, hub } = setUp();
    const { member, socket } = await joined('show', 'muted');
    expect(socket.of('room')[0]).toMatchObject({ role: 'viewer', canChat: false });
    member.receive({ type: 'chat-send', clientId: 'm-1', text: 'let me in' });
    expect(socket.of('error')).toMatchObject([{ code: ErrorCode.Forbidden, ref: 'm-1' }]);
    expect(await hub.history('show')).toEqual([]);
  });

  it('refuses moderation to a chatter with ONAIR_FORBIDDEN and lets a moderator delete and pin', async () => {
    const { joined, hub } = setUp();
    const { message } = await hub.appendChat('show', { displayName: 'Ada', text: 'pin me', sentAt: 1 });
    const chatter = await joined('show');
    chatter.member.receive({ type: 'chat-pin', messageId: message.id });
    chatter.member.receive({ type: 'chat-delete', messageId: message.id });
    expect(errorCodes(chatter.socket)).toEqual([ErrorCode.Forbidden, ErrorCode.Forbidden]);

    const moderator = await joined('show', 'moderator');
    moderator.member.receive({ type: 'chat-pin', messageId: message.id });
    await vi.waitFor(async () => expect(await hub.pinned('show')).toEqual(message));
    moderator.member.receive({ type: 'chat-delete', messageId: message.id });
    await vi.waitFor(async () => expect(await hub.history('show')).toEqual([]));
    moderator.member.receive({ type: 'chat-delete', messageId: message.id });
    moderator.member.receive({ type: 'chat-pin', messageId: '../etc' });
    await vi.waitFor(() => expect(moderator.socket.of('error')).toHaveLength(2));
    expect(errorCodes(moderator.socket)).toEqual([
      ErrorCode.UnknownChatMessage,
      ErrorCode.UnknownChatMessage,
    ]);
  });

  it('sends reactions on in batches within budget, refuses other emoji, and says "too many" once a second', async () => {
    const { joined } = setUp({ reactionRateLimit: { burst: 2, sustained: 1, windowMs: 3_600_000 } });
    const watcher = await joined('show');
    const reactor = await joined('show');
    vi.useFakeTimers();
    reactor.member.receive({ type: 'reaction', emoji: '🦄' });
    for (let i = 0; i < 10; i++) reactor.member.receive({ type: 'reaction', emoji: '🔥', x: 0.5, y: 0.5 });
    expect(errorCodes(reactor.socket)).toEqual([ErrorCode.BadReaction, ErrorCode.RateLimited]);
    await vi.advanceTimersByTimeAsync(REACTION_BATCH_MS * 2);
    expect(watcher.socket.of('reactions').reduce((sum, batch) => sum + (batch.counts['🔥'] ?? 0), 0)).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    reactor.member.receive({ type: 'reaction', emoji: '🔥' });
    expect(errorCodes(reactor.socket)).toEqual([
      ErrorCode.BadReaction,
      ErrorCode.RateLimited,
      ErrorCode.RateLimited,
    ]);
  });

  it('holds what the room says while it joins, and drops what the history it was sent already holds', async () => {
    const hub = memoryHub();
    let historyGate: Promise<void> | null = null;
    const slowHub: Hub = {
      ...hub,
      history: async (streamId) => {
        await historyGate;
        return hub.history(streamId);
      },
    };
    const { joined, connect } = setUp({}, slowHub);
    const alice = await joined('show');
    let openHistory: () => void = () => {};
    historyGate = new Promise((resolve) => {
      openHistory = resolve;
    });
    const bob = connect();
    bob.member.join('show');
    alice.member.receive({ type: 'chat-send', clientId: 'a-1', text: 'while bob joins' });
    await vi.waitFor(() => expect(alice.socket.of('chat-ack')).toHaveLength(1));
    expect(bob.socket.sent).toEqual([]);

    openHistory();
    await vi.waitFor(() => expect(bob.socket.of('room')).toHaveLength(1));
    alice.member.receive({ type: 'chat-send', clientId: 'a-2', text: 'after bob joined' });
    await vi.waitFor(() => expect(bob.socket.of('chat-message')).toHaveLength(1));
    const chat = bob.socket.sent.filter(
      (message) => message.type === 'room' || message.type === 'chat-message',
    );
    expect(chat).toMatchObject([
      { type: 'room', history: [{ text: 'while bob joins' }] },
      { type: 'chat-message', message: { text: 'after bob joined' } },
    ]);
  });
});
