import {
  decodeClientMessage,
  ErrorCode,
  MAX_CHAT_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_DISPLAY_NAME_LENGTH,
} from '@onair/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubEvent } from '../hub/hub';
import { memoryHub } from '../hub/memory-hub';
import { RoomActions, type RoomSender, readChatPost } from './room-actions';
import { Rooms } from './rooms';
import { TokenBucket } from './token-bucket';

const silent = { error() {}, warn() {} };

function setUp() {
  const hub = memoryHub();
  const events: HubEvent[] = [];
  hub.subscribe((event) => events.push(event));
  const rooms = new Rooms(hub, 1_000, silent);
  const actions = new RoomActions(rooms, ['🔥', '👍']);
  return { hub, rooms, actions, events };
}

/** A sender with a budget of `tokens`, counting what it spent. */
function sender(overrides: Partial<RoomSender> = {}, tokens = 5): RoomSender & { spent: number } {
  const bucket = new TokenBucket({ burst: tokens, sustained: 1, windowMs: 3_600_000 });
  const result = {
    key: 'ip:203.0.113.7',
    grantedName: null,
    spent: 0,
    spend: () => {
      result.spent++;
      return bucket.spend();
    },
    ...overrides,
  };
  return result;
}

describe('RoomActions', () => {
  let rooms: Rooms | undefined;
  afterEach(() => rooms?.close());

  it('stores a checked message under the name the client asked for and answers a resend with the same one', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    const from = sender({ source: 'tag-1' });
    const first = await setup.actions.postChat(
      's',
      { text: '  hi  ', displayName: 'Ada', clientId: 'c-1' },
      from,
    );
    expect(first).toMatchObject({ ok: true, duplicate: false, message: { text: 'hi', displayName: 'Ada' } });
    expect(setup.events).toContainEqual(expect.objectContaining({ type: 'chat-message', source: 'tag-1' }));
    const again = await setup.actions.postChat('s', { text: 'hi', clientId: 'c-1' }, from);
    expect(again).toEqual({ ok: true, duplicate: true, message: first.ok ? first.message : null });
  });

  it('checks the text before spending a token, so a malformed message costs nothing', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    const from = sender();
    expect(await setup.actions.postChat('s', { text: ' \n ' }, from)).toMatchObject({
      ok: false,
      code: ErrorCode.ChatEmpty,
    });
    expect(await setup.actions.postChat('s', { text: 'x'.repeat(MAX_CHAT_LENGTH + 1) }, from)).toMatchObject({
      ok: false,
      code: ErrorCode.ChatTooLong,
    });
    expect(from.spent).toBe(0);
    expect(await setup.hub.history('s')).toEqual([]);
  });

  it('refuses past the budget with ONAIR_RATE_LIMITED and the wait, and stores nothing', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    const from = sender({}, 1);
    expect((await setup.actions.postChat('s', { text: 'one' }, from)).ok).toBe(true);
    const refused = await setup.actions.postChat('s', { text: 'two' }, from);
    expect(refused).toMatchObject({ ok: false, code: ErrorCode.RateLimited });
    expect(refused.ok === false && refused.waitMs).toBeGreaterThan(0);
    expect(refused.ok === false && refused.message).toMatch(/^too many messages; try again in \d+ ms$/);
    expect(await setup.hub.history('s')).toHaveLength(1);
  });

  it('puts the granted name over the asked one, and caps and cleans the asked one', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    const granted = await setup.actions.postChat(
      's',
      { text: 'hi', displayName: 'Mallory' },
      sender({ grantedName: 'Bob' }),
    );
    expect(granted.ok && granted.message.displayName).toBe('Bob');
    const long = await setup.actions.postChat(
      's',
      { text: 'hi', displayName: ` ${'n'.repeat(100)}\u202E` },
      sender(),
    );
    expect(long.ok && long.message.displayName).toBe('n'.repeat(MAX_DISPLAY_NAME_LENGTH));
  });

  it('gives a guest one name per sender key, and another sender another', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    const names = async (key: string) => {
      const outcome = await setup.actions.postChat('s', { text: 'hi' }, sender({ key }));
      return outcome.ok ? outcome.message.displayName : null;
    };
    const first = await names('ip:203.0.113.7');
    expect(first).toMatch(/^Guest-[0-9a-f]{4}$/);
    expect(await names('ip:203.0.113.7')).toBe(first);
    const others = await Promise.all(['a', 'b', 'c', 'd'].map((key) => names(`ip:${key}`)));
    expect(new Set([first, ...others]).size).toBeGreaterThan(1);
  });

  it('lets a hub failure reject, for each caller to answer', async () => {
    const setup = setUp();
    rooms = setup.rooms;
    setup.hub.appendChat = () => Promise.reject(new Error('redis down'));
    await expect(setup.actions.postChat('s', { text: 'hi' }, sender())).rejects.toThrow('redis down');
  });

  it('takes a reaction the server accepts, within budget, and refuses the rest', () => {
    const setup = setUp();
    rooms = setup.rooms;
    const from = sender({}, 1);
    expect(setup.actions.react('s', { emoji: '🦄' }, from)).toMatchObject({
      ok: false,
      code: ErrorCode.BadReaction,
    });
    expect(from.spent).toBe(0);
    expect(setup.actions.react('s', { emoji: '🔥', x: 0.5 }, from)).toEqual({ ok: true });
    expect(setup.actions.react('s', { emoji: '🔥' }, from)).toMatchObject({
      ok: false,
      code: ErrorCode.RateLimited,
      message: expect.stringMatching(/^too many reactions; try again in \d+ ms$/),
    });
  });
});

describe('readChatPost', () => {
  const bodies: Record<string, unknown>[] = [
    { text: 'hello' },
    { text: 'hello', displayName: 'Ada', clientId: 'c-1' },
    { text: 'x'.repeat(MAX_CHAT_LENGTH * 8) },
    { text: 'x'.repeat(MAX_CHAT_LENGTH * 8 + 1) },
    { text: 'hi', displayName: 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4) },
    { text: 'hi', displayName: 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4 + 1) },
    { text: 'hi', displayName: '😀'.repeat(MAX_DISPLAY_NAME_LENGTH * 2 + 1) },
    { text: 'hi', displayName: 7 },
    { text: 42 },
    { text: null },
    {},
    { text: 'hi', clientId: '' },
    { text: 'hi', clientId: 'i'.repeat(MAX_CLIENT_ID_LENGTH + 1) },
  ];

  it('refuses exactly the bodies the socket refuses as a chat-send', () => {
    for (const body of bodies) {
      const overSocket = decodeClientMessage(
        JSON.stringify({ clientId: 'socket', ...body, type: 'chat-send' }),
      );
      expect(readChatPost(body).ok, JSON.stringify(body).slice(0, 60)).toBe(overSocket.ok);
    }
  });

  it('refuses with ONAIR_BAD_MESSAGE and keeps only the fields it knows', () => {
    expect(readChatPost({ text: 42 })).toMatchObject({ ok: false, code: ErrorCode.BadMessage });
    expect(readChatPost(['text'])).toMatchObject({ ok: false, code: ErrorCode.BadMessage });
    expect(readChatPost({ text: 'hi', role: 'moderator' })).toEqual({ ok: true, post: { text: 'hi' } });
  });
});
