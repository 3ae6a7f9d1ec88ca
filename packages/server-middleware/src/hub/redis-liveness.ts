import type { RedisClient } from './redis-client';

/** KEYS: this instance's key. ARGV: its value (the beat's time, for a person reading Redis), the TTL in ms. */
const BEAT_SCRIPT = `return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`;
/** KEYS: the instances' keys. Answers 1 or 0 per key, in order. */
const ALIVE_SCRIPT = `
local alive = {}
for i, key in ipairs(KEYS) do alive[i] = redis.call('EXISTS', key) end
return alive
`;

/**
 * Which server instances on one Redis are running (issue 13, item 4: a crashed instance's streams end). Each
 * instance keeps `<prefix>instance:<id>`, expiring `ttlMs` after its last beat; the hub beats on its heartbeat
 * (every third of the TTL) and whenever it reconnects, and deletes its key on a clean close. A key that is gone
 * is an instance that missed three beats in a row: crashed, frozen, or cut off from Redis, which are all the
 * same to the others. The TTL is the hub's `presenceTtlMs`, the rule that already takes a crashed instance's
 * viewers out of the counts, so an instance is "gone" for its streams exactly when it is for its viewers.
 */
export class RedisLiveness {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  key(instanceId: string): string {
    return `${this.keyPrefix}instance:${instanceId}`;
  }

  async beat(): Promise<void> {
    await this.redis.eval(BEAT_SCRIPT, 1, this.key(this.instanceId), String(Date.now()), this.ttlMs);
  }

  /** Which of `instanceIds` have their key now. Rejects while Redis is unreachable (never "all dead"). */
  async alive(instanceIds: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set(instanceIds)];
    if (ids.length === 0) return new Set();
    const answer = (await this.redis.eval(
      ALIVE_SCRIPT,
      ids.length,
      ...ids.map((id) => this.key(id)),
    )) as number[];
    return new Set(ids.filter((_, index) => answer[index] === 1));
  }

  /** A clean close: the others need not wait for the key to expire. */
  async remove(): Promise<void> {
    await this.redis.del(this.key(this.instanceId));
  }
}
