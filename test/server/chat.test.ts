import { ErrorCode, MAX_CHAT_LENGTH } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { headerRoles, joinRoom, received, sleep, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

describe('chat, reactions and viewer counts through one server', () => {
  let host: RunningHost;
  const open: TestViewer[] = [];
  const connect = async (headers: Record<string, string> = {}) => {
    const viewer = await TestViewer.connect(host.wsUrl, { headers });
    open.push(viewer);
    return viewer;
  };

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'main', input: fixturePath('videoOnly') },
        { id: 'other', input: fixturePath('videoOnly') },
      ],
      { authorize: headerRoles, viewerCountIntervalMs: 100 },
    );
  });

  afterAll(async () => {
    for (const viewer of open) viewer.close();
    await host?.close();
  });

  it('acks the sender, fans the message out to the other viewer, and gives it to a late joiner as history', async () => {
    const alice = await connect();
    const bob = await connect({ 'x-name': 'Bob' });
    const aliceRoom = await joinRoom(alice, 'main');
    expect(aliceRoom).toMatchObject({ streamId: 'main', role: 'chatter', canChat: true, canModerate: false });
    expect(aliceRoom.maxChatLength).toBe(MAX_CHAT_LENGTH);
    expect(aliceRoom.reactions.length).toBeGreaterThan(0);
    await joinRoom(bob, 'main');

    alice.send({ type: 'chat-send', clientId: 'a-1', text: '  hello there  ', displayName: 'Alice' });
    const ack = await alice.next('chat-ack');
    expect(ack.clientId).toBe('a-1');
    expect(ack.message).toMatchObject({ streamId: 'main', text: 'hello there', displayName: 'Alice' });
    const heard = await waitForMessage(bob, 'chat-message', (event) => event.message.id === ack.message.id);
    expect(heard.message).toEqual(ack.message);

    bob.send({ type: 'chat-send', clientId: 'b-1', text: 'hi', displayName: 'Mallory' });
    expect((await bob.next('chat-ack')).message.displayName).toBe('Bob');
    await waitForMessage(alice, 'chat-message', (event) => event.message.text === 'hi');
    // The sender learns of its own message from the ack only.
    expect(received(alice, 'chat-message').map((event) => event.message.id)).not.toContain(ack.message.id);

    const carol = await connect();
    const carolRoom = await joinRoom(carol, 'main');
    expect(carolRoom.history.map((message) => message.text)).toEqual(['hello there', 'hi']);
    expect(carolRoom.viewers).toBe(3);
  });

  it('names a viewer who gives no name "Guest-xxxx"', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'other');
    viewer.send({ type: 'chat-send', clientId: 'g-1', text: 'anonymous' });
    expect((await viewer.next('chat-ack')).message.displayName).toMatch(/^Guest-[0-9a-f]{4}$/);
  });

  it('returns the stored message for a resend with the same clientId and fans it out once', async () => {
    const sender = await connect();
    const listener = await connect();
    await joinRoom(sender, 'other');
    await joinRoom(listener, 'other');
    sender.send({ type: 'chat-send', clientId: 'resend-1', text: 'once' });
    const first = await sender.next('chat-ack');
    sender.send({ type: 'chat-send', clientId: 'resend-1', text: 'once' });
    const second = await sender.next('chat-ack', sender.messages.indexOf(first) + 1);
    expect(second.message).toEqual(first.message);
    await sleep(200);
    expect(received(listener, 'chat-message').filter((event) => event.message.text === 'once')).toHaveLength(
      1,
    );
  });

  it('lets a moderator pin and delete, and everyone in the room sees it; a late joiner no longer gets the message', async () => {
    const mod = await connect({ 'x-role': 'moderator' });
    const viewer = await connect();
    const modRoom = await joinRoom(mod, 'main');
    expect(modRoom).toMatchObject({ role: 'moderator', canModerate: true, canChat: true });
    await joinRoom(viewer, 'main');
    viewer.send({ type: 'chat-send', clientId: 'pin-me', text: 'pin me' });
    const { message } = await viewer.next('chat-ack');
    mod.send({ type: 'chat-send', clientId: 'm-1', text: 'rules: be kind' });
    expect((await mod.next('chat-ack')).message.displayName).toBe('The Mod');

    mod.send({ type: 'chat-pin', messageId: message.id });
    expect((await waitForMessage(viewer, 'chat-pinned')).message).toEqual(message);
    expect((await waitForMessage(mod, 'chat-pinned')).message).toEqual(message);

    mod.send({ type: 'chat-delete', messageId: message.id });
    expect(await waitForMessage(viewer, 'chat-deleted')).toMatchObject({
      streamId: 'main',
      messageId: message.id,
    });
    await waitForMessage(viewer, 'chat-pinned', (event) => event.message === null);

    const late = await connect();
    const lateRoom = await joinRoom(late, 'main');
    expect(lateRoom.history.map((entry) => entry.id)).not.toContain(message.id);
    expect(lateRoom.pinned).toBeNull();
  });

  it('refuses a forged moderator action with ONAIR_FORBIDDEN and changes nothing', async () => {
    const author = await connect();
    const forger = await connect();
    await joinRoom(author, 'main');
    await joinRoom(forger, 'main');
    author.send({ type: 'chat-send', clientId: 'keep-me', text: 'keep me' });
    const { message } = await author.next('chat-ack');
    forger.send({ type: 'chat-delete', messageId: message.id });
    expect((await forger.nextError(ErrorCode.Forbidden)).fatal).toBe(false);
    forger.send({ type: 'chat-pin', messageId: message.id });
    await forger.nextError(ErrorCode.Forbidden);
    const check = await connect();
    const room = await joinRoom(check, 'main');
    expect(room.history.map((entry) => entry.id)).toContain(message.id);
    expect(room.pinned).toBeNull();
    expect(received(author, 'chat-deleted')).toEqual([]);
  });

  it('answers a moderator naming an unknown message with ONAIR_UNKNOWN_CHAT_MESSAGE', async () => {
    const mod = await connect({ 'x-role': 'moderator' });
    await joinRoom(mod, 'other');
    mod.send({ type: 'chat-delete', messageId: '999-0' });
    await mod.nextError(ErrorCode.UnknownChatMessage);
    mod.send({ type: 'chat-pin', messageId: 'no/such id' });
    await mod.nextError(ErrorCode.UnknownChatMessage);
  });

  it('tells a viewer the chatter role refused that it may not chat, and refuses its messages', async () => {
    const muted = await connect({ 'x-role': 'muted' });
    const other = await connect();
    const room = await joinRoom(muted, 'other');
    expect(room).toMatchObject({ role: 'viewer', canChat: false, canModerate: false });
    await joinRoom(other, 'other');
    muted.send({ type: 'chat-send', clientId: 'm-x', text: 'let me speak' });
    expect((await muted.nextError(ErrorCode.Forbidden)).ref).toBe('m-x');
    await sleep(100);
    expect(received(other, 'chat-message').map((event) => event.message.text)).not.toContain('let me speak');
  });

  it('batches reactions from two viewers into reactions messages with counts and positions', async () => {
    const a = await connect();
    const b = await connect();
    const room = await joinRoom(a, 'other');
    await joinRoom(b, 'other');
    const emoji = room.reactions[0] ?? '';
    a.send({ type: 'reaction', emoji, x: 0.25, y: 0.75 });
    b.send({ type: 'reaction', emoji });
    b.send({ type: 'reaction', emoji });
    await b.waitFor(() => {
      const total = received(b, 'reactions').reduce((sum, batch) => sum + (batch.counts[emoji] ?? 0), 0);
      return total >= 3;
    }, 'three reactions');
    const batches = received(a, 'reactions');
    expect(batches.reduce((sum, batch) => sum + (batch.counts[emoji] ?? 0), 0)).toBe(3);
    expect(batches.flatMap((batch) => batch.samples)).toContainEqual({ emoji, x: 0.25, y: 0.75 });
    a.send({ type: 'reaction', emoji: '🦄' });
    await a.nextError(ErrorCode.BadReaction);
  });

  it('sends a listener reactions spread over a second in batches at least 250 ms apart', async () => {
    const listener = await connect();
    const senders = [await connect(), await connect()];
    await joinRoom(listener, 'main');
    for (const sender of senders) await joinRoom(sender, 'main');
    const from = listener.messages.length;
    for (let i = 0; i < 8; i++) {
      for (const sender of senders) sender.send({ type: 'reaction', emoji: '👍' });
      await sleep(125);
    }
    const batches = () => listener.messages.slice(from).filter((message) => message.type === 'reactions');
    const total = () =>
      batches().reduce((sum, batch) => sum + (batch.type === 'reactions' ? (batch.counts['👍'] ?? 0) : 0), 0);
    await listener.waitFor(() => total() >= 16, 'all sixteen reactions');
    // 16 reactions over ~1 s: one message per reaction would be 16; batching allows at most 1 s / 250 ms + 1.
    expect(batches().length).toBeLessThanOrEqual(5);
    expect(batches().length).toBeGreaterThanOrEqual(2);
  });

  it('sends viewer counts as viewers come and go, and leaves the old room on switching videos', async () => {
    const watcher = await connect();
    const start = (await joinRoom(watcher, 'other')).viewers;
    const visitor = await connect();
    await joinRoom(visitor, 'other');
    await waitForMessage(
      watcher,
      'viewers',
      (event) => event.streamId === 'other' && event.count === start + 1,
    );
    await joinRoom(visitor, 'main');
    await waitForMessage(watcher, 'viewers', (event) => event.streamId === 'other' && event.count === start);
    // Messages of the room it left no longer reach it.
    watcher.send({ type: 'chat-send', clientId: 'after-leave', text: 'are you there?' });
    await watcher.next('chat-ack');
    await sleep(200);
    expect(received(visitor, 'chat-message').map((event) => event.message.text)).not.toContain(
      'are you there?',
    );
    const count = await fetch(`${host.origin}/live/streams/other/viewers`).then((response) =>
      response.json(),
    );
    expect(count).toEqual({ streamId: 'other', count: start });
  });
});
