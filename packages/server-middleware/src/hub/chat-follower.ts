import type { ChatMessage } from '@onair/protocol';

/** A message as a Redis Stream holds it, with the hub tag of the socket that sent it (left out of its fan-out). */
export interface StoredChat {
  message: ChatMessage;
  source?: string;
}

/** How the follower reads a stream's chat: the Redis hub's XRANGE and XREVRANGE. */
export interface ChatStreamReader {
  /** At most `count` entries with ids from `start` (inclusive) on, oldest first. */
  range(streamId: string, start: string, count: number): Promise<StoredChat[]>;
  /** The id of the newest entry; null when the stream has none. */
  lastId(streamId: string): Promise<string | null>;
}

interface Followed {
  /** The smallest entry id not delivered yet; null until the stream's end has been read. */
  next: string | null;
  /** Catch-ups of this stream run one after another, so entries go out once each, in stream order. */
  queue: Promise<void>;
  /** A catch-up is queued and has not started: a poke now is already covered by it. */
  queued: boolean;
}

/** The id right after `id` (`<ms>-<seq>`): where the next read starts, inclusive, on any Redis version. */
export function nextEntryId(id: string): string {
  const dash = id.indexOf('-');
  return `${id.slice(0, dash)}-${BigInt(id.slice(dash + 1)) + 1n}`;
}

/**
 * Live chat read from the Redis Stream itself rather than from pub/sub. Pub/sub loses what is published while a
 * subscriber is disconnected, and two instances' publications may arrive in another order than their entries; so
 * a `chat-message` publication only says "read on": the follower reads the stream from the first id it has not
 * delivered, delivers what it finds in stream order, and moves its cursor past it. After a reconnect, one more read
 * per stream (`catchUpAll`) delivers everything stored meanwhile; nothing is delivered twice. What trimming
 * (`historySize`) or a deletion removed before the read is not delivered.
 *
 * Only streams this instance has viewers on are followed: the cursor starts at the stream's end when the first
 * viewer arrives (that viewer's `room` history covers what came before) and is dropped when the last one leaves.
 */
export class ChatFollower {
  private readonly streams = new Map<string, Followed>();

  constructor(
    private readonly reader: ChatStreamReader,
    private readonly pageSize: number,
    private readonly deliver: (entry: StoredChat) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  follows(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  /** The streams followed now. */
  followed(): string[] {
    return [...this.streams.keys()];
  }

  /** Starts following `streamId` from its current end (idempotent). */
  follow(streamId: string): void {
    if (this.streams.has(streamId)) return;
    const state: Followed = { next: null, queue: Promise.resolve(), queued: false };
    this.streams.set(streamId, state);
    void this.enqueue(streamId, state);
  }

  unfollow(streamId: string): void {
    this.streams.delete(streamId);
  }

  /** Something was stored on `streamId`: read on from the cursor. Resolves when that read is done. */
  poke(streamId: string): Promise<void> {
    const state = this.streams.get(streamId);
    return state ? this.enqueue(streamId, state) : Promise.resolve();
  }

  /** Reads every followed stream on: after a reconnect, and as a safety net on the presence heartbeat. */
  async catchUpAll(): Promise<void> {
    await Promise.all([...this.streams.keys()].map((streamId) => this.poke(streamId)));
  }

  private enqueue(streamId: string, state: Followed): Promise<void> {
    if (state.queued) return state.queue;
    state.queued = true;
    state.queue = state.queue.then(() => {
      state.queued = false;
      return this.catchUp(streamId, state);
    });
    return state.queue;
  }

  private async catchUp(streamId: string, state: Followed): Promise<void> {
    try {
      if (state.next === null) {
        const last = await this.reader.lastId(streamId);
        state.next = last === null ? '0-0' : nextEntryId(last);
        return;
      }
      for (;;) {
        const entries = await this.reader.range(streamId, state.next, this.pageSize);
        if (this.streams.get(streamId) !== state) return;
        for (const entry of entries) {
          state.next = nextEntryId(entry.message.id);
          this.deliver(entry);
        }
        if (entries.length < this.pageSize) return;
      }
    } catch (error) {
      // The cursor stays where it was: the next poke, reconnect or heartbeat reads from there.
      this.onError(error);
    }
  }
}
