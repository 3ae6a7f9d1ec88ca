import type {
  BroadcastSharing,
  FeedPublication,
  RelayedFeedSink,
  RelayedPiece,
  SharedStream,
  SharedStreamEvent,
} from './broadcast-sharing';
import type { RedisClient, RedisFeedConnection, RedisSubscriber } from './redis-client';
import type { RedisLiveness } from './redis-liveness';
import {
  decodeInit,
  decodeRelayedEntry,
  encodeInit,
  encodeRelayedEntry,
  type RelayedEntry,
} from './relayed-piece-codec';

/**
 * Entries kept per relayed broadcast (`XADD MAXLEN ~`). Readers start at the live end, so the stream only has to
 * cover a reader's round trip and a short stall: a browser broadcast is ~80 entries a second (30 video blocks,
 * 50 Opus packets), so 1 000 entries are ~12 s, ~4 MB at 2.5 Mb/s; an entry is at most the ingest's largest
 * element (8 MiB), which bounds a hostile stream at Redis too.
 */
export const FEED_STREAM_MAX_ENTRIES = 1_000;
/** A relayed broadcast's keys expire this long after its last piece, so a crashed ingest leaves nothing behind. */
export const FEED_TTL_MS = 60_000;
/** Bytes sent to Redis and not yet answered past which media is dropped until the next keyframe. */
export const FEED_MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** How long one `XREAD BLOCK` waits before it asks again (the reader also stops by closing its connection). */
const READ_BLOCK_MS = 5_000;
/** A reader whose connection failed reads again (from the live end) after this long. */
const READ_RETRY_MS = 1_000;

/**
 * One piece in, atomically: the entry is added (trimmed to about MAXLEN), and for an init the whole init and
 * the entry's id are stored beside it, so a reader can tell whether the init it read is newer than the entry it
 * starts after. Every key's expiry is pushed back.
 * KEYS: stream, init, init id. ARGV: max entries, entry, ttl ms, '1' when the init changes, the init.
 */
const APPEND_PIECE_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[3])
  redis.call('SET', KEYS[3], id, 'PX', ARGV[3])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
return id
`;

/**
 * Ends a stream whose origin is gone, atomically (`BroadcastSharing.endOrphan`): the record is replaced only if it
 * is still live and fed by the dead origin, and that origin's liveness key is still absent; the change is
 * announced in the same step. Answers {1} when it wrote, else {0, the record as stored (false: none)}.
 * KEYS: the list, the origin's liveness key. ARGV: stream id, origin id, ended record JSON, channel, wire JSON.
 */
const END_ORPHAN_SCRIPT = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return {0, false} end
local ok, record = pcall(cjson.decode, json)
if not ok or type(record) ~= 'table' or record.status ~= 'live' then return {0, json} end
local origin = nil
if type(record.feed) == 'table' then origin = record.feed.instance
elseif type(record.inputOn) == 'string' then origin = record.inputOn end
if origin ~= ARGV[2] or redis.call('EXISTS', KEYS[2]) == 1 then return {0, json} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return {1}
`;

type Wire = { from: string; id: string };

/** Orders two stream entry ids (`ms-seq`). */
export function compareEntryIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

function parseStream(json: string | null | undefined): SharedStream | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as SharedStream;
  } catch {
    return null;
  }
}

/**
 * `BroadcastSharing` on Redis, under the hub's key prefix:
 * - `<prefix>streams`: a hash, stream id → the shared record (JSON); `<prefix>streams:keys`: id → SHA-256 of the
 *   ingest key (hex). A change is written there, then announced on the pub/sub channel `<prefix>streams`
 *   (`{ from, id }`); the others read the record back, so announcements that cross do not reorder a stream.
 * - `<prefix>broadcast:<id>`: a Redis Stream per broadcast, one entry per piece (`relayed-piece-codec.ts`),
 *   trimmed to `FEED_STREAM_MAX_ENTRIES`; `<prefix>broadcast:<id>:init` and `:init-id`: its init and the id of the
 *   entry that last changed it. All three expire `FEED_TTL_MS` after the last piece.
 * - `<prefix>instance:<id>`: each instance's liveness key (`RedisLiveness`, beaten by the hub).
 */
export function redisBroadcasts(
  redis: RedisClient,
  keyPrefix: string,
  liveness: RedisLiveness,
  instanceId: string,
  onError: (error: unknown) => void,
): BroadcastSharing {
  const listKey = `${keyPrefix}streams`;
  const hashKey = `${keyPrefix}streams:keys`;
  const channel = `${keyPrefix}streams`;
  const feedKey = (id: string) => `${keyPrefix}broadcast:${id}`;
  const initKey = (id: string) => `${keyPrefix}broadcast:${id}:init`;
  const initIdKey = (id: string) => `${keyPrefix}broadcast:${id}:init-id`;
  const readers = new Set<() => void>();
  let subscriber: RedisSubscriber | null = null;
  let closed = false;

  const append = (streamId: string, entry: RelayedEntry, init?: Buffer) =>
    redis.eval(
      APPEND_PIECE_SCRIPT,
      3,
      feedKey(streamId),
      initKey(streamId),
      initIdKey(streamId),
      FEED_STREAM_MAX_ENTRIES,
      encodeRelayedEntry(entry),
      FEED_TTL_MS,
      init === undefined ? '0' : '1',
      init ?? '',
    );

  /** One pass: the init, then every entry after the newer of the last entry and the init's own. */
  const readOnce = async (
    connection: RedisFeedConnection,
    streamId: string,
    sink: RelayedFeedSink,
    stopped: () => boolean,
  ) => {
    const [newest] = await connection.xrevrange(feedKey(streamId), '+', '-', 'COUNT', 1);
    const init = await connection.getBuffer(initKey(streamId));
    const initId = await connection.get(initIdKey(streamId));
    let last = newest?.[0] ?? '0-0';
    if (initId !== null && compareEntryIds(initId, last) > 0) last = initId;
    if (init) for (const piece of decodeInit(init)) sink.piece(piece);
    while (!stopped()) {
      const answer = await connection.xreadBuffer('BLOCK', READ_BLOCK_MS, 'STREAMS', feedKey(streamId), last);
      for (const [, entries] of answer ?? []) {
        for (const [id, fields] of entries) {
          last = id.toString();
          if (stopped()) return;
          const value = fields[0]?.toString() === 'p' ? fields[1] : undefined;
          const entry = value ? decodeRelayedEntry(value) : null;
          if (entry?.kind === 'restart') sink.restart();
          else if (entry?.kind === 'end') sink.end();
          else if (entry) sink.piece(entry);
        }
      }
    }
  };

  return {
    instanceId,

    async list() {
      const [records, hashes] = [await redis.hgetall(listKey), await redis.hgetall(hashKey)];
      return Object.entries(records).flatMap(([id, json]) => {
        const stream = parseStream(json);
        return stream ? [{ stream, keyHash: hashes[id] ?? null }] : [];
      });
    },

    async put(stream, keyHash) {
      await redis.hset(listKey, stream.id, JSON.stringify(stream));
      if (keyHash !== undefined) await redis.hset(hashKey, stream.id, keyHash);
      await redis.publish(channel, JSON.stringify({ from: instanceId, id: stream.id } satisfies Wire));
    },

    async remove(id) {
      await redis.hdel(listKey, id);
      await redis.hdel(hashKey, id);
      // A stream created again with the same id must not start from this one's pieces.
      await redis.del(feedKey(id), initKey(id), initIdKey(id));
      await redis.publish(channel, JSON.stringify({ from: instanceId, id } satisfies Wire));
    },

    alive: (instanceIds) => liveness.alive(instanceIds),

    async endOrphan(ended, origin) {
      const wire = JSON.stringify({ from: instanceId, id: ended.id } satisfies Wire);
      const [wrote, json] = (await redis.eval(
        END_ORPHAN_SCRIPT,
        2,
        listKey,
        liveness.key(origin),
        ended.id,
        origin,
        JSON.stringify(ended),
        channel,
        wire,
      )) as [number, string | null | undefined];
      return wrote === 1 ? { ended: true, stream: ended } : { ended: false, stream: parseStream(json) };
    },

    subscribe(listener, resync) {
      const connection = redis.duplicate({ autoResubscribe: false });
      subscriber = connection;
      let stopped = false;
      connection.on('message', (from: string, text: string) => {
        if (from !== channel || stopped) return;
        let wire: Wire;
        try {
          wire = JSON.parse(text) as Wire;
        } catch {
          return;
        }
        if (wire.from === instanceId || typeof wire.id !== 'string') return;
        Promise.all([redis.hget(listKey, wire.id), redis.hget(hashKey, wire.id)])
          .then(([json, keyHash]) => {
            if (stopped) return;
            const stream = parseStream(json);
            const event: SharedStreamEvent = stream
              ? { type: 'put', stream, keyHash }
              : { type: 'removed', id: wire.id };
            listener(event);
          })
          .catch(onError);
      });
      // Each (re)subscription is followed by a read of the whole list: what changed before it was never heard.
      connection.on('ready', () => {
        connection
          .subscribe(channel)
          .then(() => {
            if (!stopped) resync();
          })
          .catch(onError);
      });
      connection.on('error', onError);
      return () => {
        stopped = true;
        connection.disconnect();
        if (subscriber === connection) subscriber = null;
      };
    },

    publish(streamId): FeedPublication {
      let init: RelayedPiece[] = [];
      let inFlightBytes = 0;
      let waitForKeyframe = false;
      let ended = false;
      const send = (entry: RelayedEntry, withInit: boolean) => {
        const bytes = 'bytes' in entry ? entry.bytes.length : 1;
        inFlightBytes += bytes;
        append(streamId, entry, withInit ? encodeInit(init) : undefined)
          .catch(onError)
          .finally(() => {
            inFlightBytes -= bytes;
          });
      };
      return {
        piece(piece) {
          if (ended || closed) return;
          if (piece.kind === 'init') {
            if (piece.slot === 'container') init = [];
            init = [...init.filter((known) => known.kind === 'init' && known.slot !== piece.slot), piece];
            send(piece, true);
            return;
          }
          // Redis is slower than the broadcast: whole units are dropped up to a keyframe, as a slow local
          // reader skips (`feed-reader.ts`), so the relayed container stays well-formed.
          if (inFlightBytes > FEED_MAX_IN_FLIGHT_BYTES) waitForKeyframe = true;
          if (waitForKeyframe) {
            if (!piece.keyframe || inFlightBytes > FEED_MAX_IN_FLIGHT_BYTES) return;
            waitForKeyframe = false;
          }
          send(piece, false);
        },
        restart() {
          if (ended || closed) return;
          init = [];
          send({ kind: 'restart' }, true);
        },
        end() {
          if (ended || closed) return;
          ended = true;
          send({ kind: 'end' }, false);
        },
      };
    },

    read(streamId, sink) {
      const connection = redis.duplicate({ autoResubscribe: false });
      let stopped = false;
      let retry: NodeJS.Timeout | null = null;
      connection.on('error', () => {});
      const run = () => {
        readOnce(connection, streamId, sink, () => stopped).catch((error) => {
          if (stopped) return;
          onError(error);
          // What was read may be cut anywhere: the feed starts over from the init on the next pass.
          sink.restart();
          retry = setTimeout(run, READ_RETRY_MS);
          retry.unref();
        });
      };
      run();
      const stop = () => {
        if (stopped) return;
        stopped = true;
        if (retry) clearTimeout(retry);
        readers.delete(stop);
        connection.disconnect();
      };
      readers.add(stop);
      return stop;
    },

    async close() {
      closed = true;
      for (const stop of [...readers]) stop();
      subscriber?.disconnect();
      subscriber = null;
    },
  };
}
