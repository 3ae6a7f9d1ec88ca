import type { RedisClient } from './redis-client';

/** How one instance's count is stored: `<count>:<expires at, Unix ms>`, one hash field per instance. */
function encodeEntry(count: number, expiresAt: number): string {
  return `${count}:${expiresAt}`;
}

function liveCount(entry: string, now: number): number | null {
  const [count, expiresAt] = entry.split(':').map(Number);
  if (count === undefined || expiresAt === undefined || !(expiresAt > now)) return null;
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/**
 * Viewer counts across instances. Each instance writes its own count per stream into a Redis hash
 * (`<prefix>presence:<stream>`, field = instance id) with an expiry time in the value, and rewrites it every
 * heartbeat: an instance that crashes stops refreshing, and its viewers drop out of the totals within the TTL.
 * Redis 7.0 cannot expire hash fields, hence the time in the value (instances' clocks must roughly agree).
 */
export class RedisPresence {
  private readonly local = new Map<string, number>();
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  private key(streamId: string): string {
    return `${this.keyPrefix}presence:${streamId}`;
  }

  /** Records this instance's count and writes it; resolves when Redis has it. */
  async write(streamId: string, count: number): Promise<void> {
    this.local.set(streamId, count);
    if (count > 0)
      await this.redis.hset(this.key(streamId), this.instanceId, encodeEntry(count, this.expiry()));
    else await this.redis.hdel(this.key(streamId), this.instanceId);
  }

  /**
   * Rewrites every count of this instance with a fresh expiry (the heartbeat, and at once after a reconnect):
   * a zero removes the field, so a count that dropped to zero while Redis was unreachable leaves the totals now,
   * not when its old entry expires; and a Redis that restarted without its data gets every count back.
   */
  async refresh(): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [streamId, count] of this.local) {
      if (count > 0) pipeline.hset(this.key(streamId), this.instanceId, encodeEntry(count, this.expiry()));
      else pipeline.hdel(this.key(streamId), this.instanceId);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Streams this instance has counted viewers on. */
  localStreams(): string[] {
    return [...this.local.keys()];
  }

  /** Streams this instance has ever counted viewers on, or heard about. */
  streams(): string[] {
    return [...new Set([...this.local.keys(), ...this.totals.keys()])];
  }

  /**
   * Sums every live instance's count, removes expired ones, and says whether the total changed since the last
   * remembered one (a `peek` neither remembers nor reports it, so it cannot swallow a change event).
   */
  async total(streamId: string, peek = false): Promise<{ count: number; changed: boolean }> {
    const entries = await this.redis.hgetall(this.key(streamId));
    const now = Date.now();
    let count = 0;
    const expired: string[] = [];
    for (const [instance, entry] of Object.entries(entries)) {
      const live = liveCount(entry, now);
      if (live === null) expired.push(instance);
      else count += live;
    }
    if (expired.length > 0) await this.redis.hdel(this.key(streamId), ...expired);
    const changed = !peek && this.totals.get(streamId) !== count;
    if (!peek) this.totals.set(streamId, count);
    return { count, changed };
  }

  /** Takes this instance's viewers out of every total at once (a clean shutdown). */
  async remove(): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const streamId of this.local.keys()) pipeline.hdel(this.key(streamId), this.instanceId);
    this.local.clear();
    await pipeline.exec();
  }

  private expiry(): number {
    return Date.now() + this.ttlMs;
  }
}
