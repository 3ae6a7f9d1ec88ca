import { describe, expect, it } from 'vitest';
import type { HubEvent } from './hub';
import { isValidMessageId } from './hub';
import { memoryHub } from './memory-hub';

const draft = (text: string, clientId?: string) => ({
  displayName: 'Ada',
  text,
  sentAt: Date.now(),
  ...(clientId ? { clientId } : {}),
});

describe('memoryHub', () => {
  it('keeps only the newest historySize messages, oldest first', async () => {
    const hub = memoryHub({ historySize: 3 });
    for (let i = 0; i < 5; i++) await hub.appendChat('s', draft(`m${i}`));
    expect((await hub.history('s')).map((message) => message.text)).toEqual(['m2', 'm3', 'm4']);
  });

  it('stores a resend with the same clientId once and returns the same message', async () => {
    const hub = memoryHub();
    const events: HubEvent[] = [];
    hub.subscribe((event) => events.push(event));
    const first = await hub.appendChat('s', draft('hello', 'c1'));
    const again = await hub.appendChat('s', draft('hello', 'c1'));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ message: first.message, duplicate: true });
    expect(await hub.history('s')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'chat-message')).toHaveLength(1);
    // The same clientId on another stream is another message.
    expect((await hub.appendChat('t', draft('hello', 'c1'))).duplicate).toBe(false);
  });

  it('gives message ids that are safe in a URL path', async () => {
    const { message } = await memoryHub().appendChat('s', draft('x'));
    expect(isValidMessageId(message.id)).toBe(true);
    expect(message).toMatchObject({ streamId: 's', displayName: 'Ada', text: 'x' });
  });

  it('deletes a message from history, publishes it, and unpins it if it was pinned', async () => {
    const hub = memoryHub();
    const events: HubEvent[] = [];
    hub.subscribe((event) => events.push(event));
    const { message } = await hub.appendChat('s', draft('spam'));
    await hub.pin('s', message.id);
    expect(await hub.deleteChat('s', message.id)).toBe(true);
    expect(await hub.history('s')).toEqual([]);
    expect(await hub.pinned('s')).toBeNull();
    expect(events.map((event) => event.type)).toEqual([
      'chat-message',
      'chat-pinned',
      'chat-deleted',
      'chat-pinned',
    ]);
    expect(await hub.deleteChat('s', message.id)).toBe(false);
  });

  it('pins a known message, refuses an unknown one, and unpins with null', async () => {
    const hub = memoryHub();
    const { message } = await hub.appendChat('s', draft('important'));
    expect(await hub.pin('s', 'nope')).toBeUndefined();
    expect(await hub.pin('s', message.id)).toEqual(message);
    expect(await hub.pinned('s')).toEqual(message);
    expect(await hub.pin('s', null)).toBeNull();
    expect(await hub.pinned('s')).toBeNull();
  });

  it('reports viewer counts on change only', async () => {
    const hub = memoryHub();
    const counts: number[] = [];
    hub.subscribe((event) => event.type === 'viewers' && counts.push(event.count));
    hub.setPresence('s', 2);
    hub.setPresence('s', 2);
    hub.setPresence('s', 1);
    expect(counts).toEqual([2, 1]);
    expect(await hub.viewerCount('s')).toBe(1);
    expect(await hub.viewerCount('other')).toBe(0);
  });

  it('refuses a bad historySize with a TypeError naming it', () => {
    expect(() => memoryHub({ historySize: 0 })).toThrow(/"historySize"/);
  });
});
