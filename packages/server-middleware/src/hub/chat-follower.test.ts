import type { ChatMessage } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { ChatFollower, type ChatStreamReader, nextEntryId, type StoredChat } from './chat-follower';

/** An in-memory stream with Redis Stream ids, and a switch that makes every read fail (Redis down). */
class FakeStream implements ChatStreamReader {
  entries: StoredChat[] = [];
  down = false;
  reads = 0;
  private seq = 0;

  add(text: string, source?: string): string {
    const id = `1000-${this.seq++}`;
    const message: ChatMessage = { id, streamId: 's', displayName: 'n', text, sentAt: 0 };
    this.entries.push(source === undefined ? { message } : { message, source });
    return id;
  }

  async range(_streamId: string, start: string, count: number): Promise<StoredChat[]> {
    this.reads++;
    if (this.down) throw new Error('redis down');
    const from = Number(start.split('-')[1]);
    return this.entries.filter((entry) => Number(entry.message.id.split('-')[1]) >= from).slice(0, count);
  }

  async lastId(): Promise<string | null> {
    if (this.down) throw new Error('redis down');
    return this.entries.at(-1)?.message.id ?? null;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('nextEntryId', () => {
  it('is the next sequence number of the same millisecond, past 2^53 too', () => {
    expect(nextEntryId('1700000000000-0')).toBe('1700000000000-1');
    expect(nextEntryId('5-18446744073709551614')).toBe('5-18446744073709551615');
  });
});

describe('ChatFollower', () => {
  const setup = (pageSize = 100) => {
    const stream = new FakeStream();
    const delivered: string[] = [];
    const errors: unknown[] = [];
    const follower = new ChatFollower(
      stream,
      pageSize,
      (entry) => delivered.push(entry.message.text),
      (error) => errors.push(error),
    );
    return { stream, delivered, errors, follower };
  };

  it('starts at the end of the stream and delivers each later entry once, in stream order', async () => {
    const { stream, delivered, follower } = setup();
    stream.add('before');
    follower.follow('s');
    await settle();
    stream.add('a');
    stream.add('b');
    // Publications may arrive in any order and more than once: each only says "read on".
    await Promise.all([follower.poke('s'), follower.poke('s'), follower.poke('s')]);
    stream.add('c');
    await follower.poke('s');
    await follower.poke('s');
    expect(delivered).toEqual(['a', 'b', 'c']);
  });

  it('delivers after a reconnect what was stored while reads failed, exactly once', async () => {
    const { stream, delivered, errors, follower } = setup(2);
    follower.follow('s');
    await settle();
    stream.add('1');
    await follower.poke('s');
    stream.down = true;
    stream.add('2');
    await follower.poke('s');
    expect(errors).toHaveLength(1);
    for (const text of ['3', '4', '5']) stream.add(text);
    stream.down = false;
    await follower.catchUpAll();
    await follower.catchUpAll();
    expect(delivered).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reads nothing for a stream it does not follow, and stops delivering once unfollowed', async () => {
    const { stream, delivered, follower } = setup();
    stream.add('x');
    await follower.poke('s');
    expect(stream.reads).toBe(0);
    follower.follow('s');
    await settle();
    follower.unfollow('s');
    stream.add('y');
    await follower.poke('s');
    expect(delivered).toEqual([]);
    expect(follower.follows('s')).toBe(false);
  });
});
