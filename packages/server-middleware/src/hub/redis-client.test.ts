import Redis from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from './redis-client';
import { type RedisHubOptions, redisHub } from './redis-hub';

describe('RedisClient', () => {
  it('is what an ioredis client is, so a host passes `new Redis()` as it always did', () => {
    expectTypeOf<Redis>().toExtend<RedisClient>();
    expectTypeOf<{ redis: Redis }>().toExtend<RedisHubOptions>();
    // Nothing connects: a lazy client is only handed over, and the hub is never made.
    const redis = new Redis({ lazyConnect: true });
    const make = () => redisHub({ redis });
    expectTypeOf(make).returns.toHaveProperty('appendChat');
    redis.disconnect();
  });
});
