/**
 * The part of an ioredis client the Redis hub uses, written out here so this package's typings never import
 * `ioredis`: it is an optional peer, and importing its types failed a consumer without it (TS2307 under
 * `skipLibCheck: false`), broke under node16 ESM with it (TS2709: its default export is a class read as a
 * namespace) and silently became `any` with `skipLibCheck`. An ioredis `Redis` is a `RedisClient`:
 * `redis-client.test.ts` holds the two together.
 */

/** One Redis Stream entry as XRANGE returns it: its id and its field/value list. */
export type RedisStreamEntry = [id: string, fields: string[]];

/** The events the hub listens to on either connection. */
export interface RedisEventSource {
  on(event: 'ready' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'ready' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/** The hub's own connection for pub/sub, made by `duplicate()`; the hub disconnects it on close. */
export interface RedisSubscriber extends RedisEventSource {
  on(event: 'ready' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  subscribe(channel: string): Promise<unknown>;
  disconnect(): void;
}

/** A batch of presence writes sent in one round trip. */
export interface RedisPipeline {
  hset(key: string, field: string, value: string): unknown;
  hdel(key: string, ...fields: string[]): unknown;
  /** Each command's error or result, in order (null when the batch was discarded). */
  exec(): Promise<[error: Error | null, result: unknown][] | null>;
}

/** One `XREAD` answer with binary values: per stream, its key and its entries (id, field/value list). */
export type RedisStreamRead = [key: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

/** Reads made both on the host's client and on a relayed broadcast's own connection. */
export interface RedisReads {
  get(key: string): Promise<string | null>;
  xrevrange(
    key: string,
    end: string,
    start: string,
    countToken: 'COUNT',
    count: number,
  ): Promise<RedisStreamEntry[]>;
}

/**
 * A connection of its own for reading one relayed broadcast (`redis-broadcasts.ts`): `XREAD BLOCK` holds its
 * connection while it waits, so it never shares the host's.
 */
export interface RedisFeedConnection extends RedisEventSource, RedisReads {
  xreadBuffer(
    blockToken: 'BLOCK',
    milliseconds: number,
    streamsToken: 'STREAMS',
    key: string,
    id: string,
  ): Promise<RedisStreamRead>;
  getBuffer(key: string): Promise<Buffer | null>;
  disconnect(): void;
}

/** The host's client: its commands, its connection status and a duplicate for pub/sub. */
export interface RedisClient extends RedisEventSource, RedisReads {
  /** ioredis's connection state (`ready`, `close`, `end`, …): commands are refused while it is not connected. */
  readonly status: string;
  duplicate(override?: { autoResubscribe?: boolean }): RedisSubscriber & RedisFeedConnection;
  publish(channel: string, message: string): Promise<number>;
  set(key: string, value: string): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: (string | number | Buffer)[]): Promise<unknown>;
  xrange(key: string, start: string, end: string): Promise<RedisStreamEntry[]>;
  xrange(
    key: string,
    start: string,
    end: string,
    countToken: 'COUNT',
    count: number,
  ): Promise<RedisStreamEntry[]>;
  xdel(key: string, ...ids: string[]): Promise<number>;
  hset(key: string, field: string, value: string): Promise<number>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  pipeline(): RedisPipeline;
}
