import type { ServerMessage } from '@onair/protocol';

/**
 * Which waiting message a new one replaces: the state a client needs only the newest of (its catalog, its stream,
 * its room, its rung) has one slot per type, each `chat-ack` one per `clientId`. Null: an event or a non-fatal
 * error, worth sending only when there is room (a client that is not reading loses it).
 */
export function backlogKey(message: ServerMessage): string | null {
  switch (message.type) {
    case 'welcome':
    case 'catalog':
    case 'stream':
    case 'room':
    case 'quality-changed':
      return message.type;
    case 'chat-ack':
      return `chat-ack:${message.clientId}`;
    default:
      return null;
  }
}

/**
 * The control messages waiting for a viewer's socket buffer to drain, in the order of their newest versions: a
 * message that replaces a waiting one of its key moves to the back, so a client reads the latest state of each
 * kind in the order it last changed. Bounded by construction (one entry per key) and by `maxEntries`.
 */
export class ControlBacklog {
  private readonly waiting = new Map<string, ServerMessage>();
  /** When the oldest waiting message was queued (ms), or null while nothing waits. */
  private since: number | null = null;
  /** Messages replaced by a newer one of their key before they could be sent, for the stats and tests. */
  replaced = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Ms the backlog has been waiting without emptying. */
  waitedMs(now = Date.now()): number {
    return this.since === null ? 0 : now - this.since;
  }

  /** Queues `message` under `key`; false when that would exceed `maxEntries` (nothing is queued then). */
  put(key: string, message: ServerMessage, now = Date.now()): boolean {
    if (this.waiting.delete(key)) this.replaced++;
    else if (this.waiting.size >= this.maxEntries) return false;
    this.waiting.set(key, message);
    this.since ??= now;
    return true;
  }

  /** The oldest waiting message, removed. */
  shift(): ServerMessage | undefined {
    const first = this.waiting.entries().next();
    if (first.done) return undefined;
    this.waiting.delete(first.value[0]);
    if (this.waiting.size === 0) this.since = null;
    return first.value[1];
  }

  clear(): void {
    this.waiting.clear();
    this.since = null;
  }
}
