import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '@onair/protocol';
import { HUB_DEFAULTS } from '../options/defaults';
import type { LiveStreamLogger } from '../options/live-stream-options';
import { numberOption, optionError } from '../options/option-checks';
import { ChatFollower, type StoredChat } from './chat-follower';
import { ErrorThrottle } from './error-throttle';
import {
  type AppendResult,
  type ChatDraft,
  CLIENT_ID_MEMORY_MS,
  checkHistorySize,
  type Hub,
  type HubEvent,
  type ReactionBatch,
} from './hub';
import { redisBroadcasts } from './redis-broadcasts';
import type { RedisClient, RedisStreamEntry } from './redis-client';
import { RedisLiveness } from './redis-liveness';
import { RedisPresence } from './redis-presence';

export interface RedisHubOptions {
  /** An ioredis client the host created and owns (the hub never closes it). Its `duplicate()` subscribes. */
  redis: RedisClient;
  /** Prefix of every key and of the pub/sub channel, so several apps can share one Redis. Default `onair:`. */
  keyPrefix?: string;
  /** Messages kept per stream for late joiners (a Redis Stream trimmed with `MAXLEN ~`). Default 100. */
  historySize?: number;
  /**
   * How long an instance's viewer counts stay in the totals without a refresh; each instance refreshes them
   * every third of it, so a crashed instance's viewers disappear within this time. It is also how long an
   * instance counts as running after its last beat: a crashed instance's live streams end this long plus the
   * broadcast grace after it died (`redis-liveness.ts`). Default 15 000, 300–600 000.
   */
  presenceTtlMs?: number;
  /**
   * Where failures of background work (presence, pub/sub, reconnects) go, at most one every
   * `ERROR_REPORT_INTERVAL_MS` while they repeat. Default: the `logger` of the `liveStream()` using the hub
   * (`console.error` before one adopts it).
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** While Redis stays unreachable, its failures are reported at most this often (every retry fails). */
export const ERROR_REPORT_INTERVAL_MS = 10_000;

/** A Redis Stream entry id: what this hub uses as message id, so a delete is one XDEL. */
const STREAM_ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

type Wire = { from: string; event: HubEvent } | { from: string; presence: string };

function checkOptions(options: RedisHubOptions): Required<Omit<RedisHubOptions, 'redis' | 'onError'>> {
  const redis = options?.redis as unknown as { duplicate?: unknown } | undefined;
  if (typeof redis?.duplicate !== 'function') {
    throw optionError('redis', 'an ioredis client (new Redis(...))', options?.redis, 'redisHub');
  }
  // `null` has always meant the default for these two.
  const keyPrefix = options.keyPrefix ?? HUB_DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string') throw optionError('keyPrefix', 'a string', keyPrefix, 'redisHub');
  return {
    keyPrefix,
    historySize: checkHistorySize('redisHub', options.historySize),
    presenceTtlMs: numberOption(
      'presenceTtlMs',
      options.presenceTtlMs ?? undefined,
      HUB_DEFAULTS.presenceTtlMs,
      { min: 300, max: 600_000 },
      'redisHub',
    ),
  };
}

function parseMessage(json: string | null | undefined): ChatMessage | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as ChatMessage;
  } catch {
    return null;
  }
}

/** A stream entry's fields: `m`, the draft as JSON; `s`, the hub tag of the socket that sent it (optional). */
function entryChat(streamId: string, [id, fields]: RedisStreamEntry): StoredChat | null {
  let draft: ChatMessage | null = null;
  let source: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'm') draft = parseMessage(fields[i + 1]);
    else if (fields[i] === 's') source = fields[i + 1];
  }
  if (!draft) return null;
  const message = { ...draft, id, streamId };
  return source === undefined ? { message } : { message, source };
}

function entryMessage(streamId: string, entry: RedisStreamEntry): ChatMessage | null {
  return entryChat(streamId, entry)?.message ?? null;
}

/**
 * The append, in one step Redis runs atomically: a `clientId` seen recently answers its message (a resend; nothing
 * is added), else the entry is added (`m`: the draft; `s`: the sender's tag) and the id remembered with the
 * message. One command, so no resend on another instance can slip between the check and the write, and a
 * connection lost mid-append cannot leave a stored message whose id was never remembered.
 * KEYS: the stream, [the client id key]. ARGV: max length, draft JSON, source or '', memory ms, stream id JSON.
 */
const APPEND_SCRIPT = `
if KEYS[2] then
  local known = redis.call('GET', KEYS[2])
  if known then return {0, known} end
end
local id
if ARGV[3] ~= '' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2], 's', ARGV[3])
else
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])
end
if KEYS[2] then
  local message = string.sub(ARGV[2], 1, -2) .. ',"id":"' .. id .. '","streamId":' .. ARGV[5] .. '}'
  redis.call('SET', KEYS[2], message, 'PX', ARGV[4])
end
return {1, id}
`;

/** A Redis that closed the connection and has not come back yet: a write now is refused rather than queued. */
const DISCONNECTED = new Set(['close', 'reconnecting', 'end']);

/** Runs `task` one at a time; calls while it runs collapse into one more run after it. */
function singleFlight(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = task().finally(() => {
      running = null;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };
  return run;
}

/**
 * A hub for several server instances sharing one Redis. Chat history lives in a Redis Stream per stream (so a
 * subscriber that reconnects, or an instance started later, reads what it missed), pins in a key, resends are
 * recognised by the client id each append remembers (`APPEND_SCRIPT`), and every event goes to every instance over one pub/sub channel.
 * Viewer counts: see `RedisPresence`.
 */
export function redisHub(options: RedisHubOptions): Hub {
  const { keyPrefix, historySize, presenceTtlMs } = checkOptions(options);
  const { redis } = options;
  const instanceId = randomBytes(8).toString('hex');
  const channel = `${keyPrefix}events`;
  const chatKey = (streamId: string) => `${keyPrefix}chat:${streamId}`;
  const pinKey = (streamId: string) => `${keyPrefix}chat:${streamId}:pinned`;
  const clientKey = (streamId: string, clientId: string) => `${keyPrefix}chat:${streamId}:client:${clientId}`;
  const presence = new RedisPresence(redis, keyPrefix, instanceId, presenceTtlMs);
  const listeners = new Set<(event: HubEvent) => void>();
  // Resubscribing is ours to do (see `resync`), in order with the catch-up that must follow it.
  const subscriber = redis.duplicate({ autoResubscribe: false });
  let closed = false;
  let logger: LiveStreamLogger | null = null;
  let commandsDown = DISCONNECTED.has(redis.status);

  const errors = new ErrorThrottle(ERROR_REPORT_INTERVAL_MS, (error, heldBack) => {
    if (options.onError) options.onError(error);
    else if (logger) logger.error('hub: redis failed', { error, ...(heldBack > 0 ? { heldBack } : {}) });
    else
      console.error('[onair] redis hub:', error, ...(heldBack > 0 ? [`(${heldBack} more held back)`] : []));
  });
  const onError = (error: unknown) => {
    if (!closed) errors.add(error);
  };

  const emit = (event: HubEvent) => {
    for (const listener of listeners) listener(event);
  };
  const follower = new ChatFollower(
    {
      range: async (streamId, start, count) =>
        (await redis.xrange(chatKey(streamId), start, '+', 'COUNT', count))
          .map((entry) => entryChat(streamId, entry))
          .filter((entry): entry is StoredChat => entry !== null),
      lastId: async (streamId) =>
        (await redis.xrevrange(chatKey(streamId), '+', '-', 'COUNT', 1))[0]?.[0] ?? null,
    },
    historySize,
    ({ message, source }) => {
      if (!closed) emit({ type: 'chat-message', message, ...(source === undefined ? {} : { source }) });
    },
    onError,
  );
  const liveness = new RedisLiveness(redis, keyPrefix, instanceId, presenceTtlMs);
  const broadcasts = redisBroadcasts(redis, keyPrefix, liveness, instanceId, onError);
  const publish = (wire: Wire) => redis.publish(channel, JSON.stringify(wire));
  const recount = async (streamId: string) => {
    const { count, changed } = await presence.total(streamId);
    if (changed && !closed) emit({ type: 'viewers', streamId, count });
  };

  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel || closed) return;
    let wire: Wire;
    try {
      wire = JSON.parse(text) as Wire;
    } catch {
      return;
    }
    if ('presence' in wire) {
      if (wire.from !== instanceId) recount(wire.presence).catch(onError);
    } else if (wire.event.type === 'chat-message' && follower.follows(wire.event.message.streamId)) {
      // Read from the stream instead: in stream order, and nothing twice after a replay.
      void follower.poke(wire.event.message.streamId);
    } else {
      emit(wire.event);
    }
  });

  // Writes of one stream's count must land in order, or a stale count could overwrite a newer one.
  let presenceWrites: Promise<void> = Promise.resolve();
  const reannounce = () => {
    presenceWrites = presenceWrites
      .then(async () => {
        await presence.refresh();
        await Promise.all(
          presence.localStreams().map((streamId) => publish({ from: instanceId, presence: streamId })),
        );
        await Promise.all(presence.streams().map(recount));
      })
      .catch(onError);
    return presenceWrites;
  };

  /** The pin of every followed stream, again: one set or cleared while the subscriber was away was not heard. */
  const repin = async () => {
    await Promise.all(
      follower.followed().map(async (streamId) => {
        const message = parseMessage(await redis.get(pinKey(streamId)));
        if (!closed) emit({ type: 'chat-pinned', streamId, message });
      }),
    ).catch(onError);
  };

  /**
   * After either connection comes back: subscribe again, deliver what was stored meanwhile, repeat the pins, and
   * rewrite this instance's counts (Redis may have restarted without them, or missed a change) and recount, at
   * once rather than at the next heartbeat. Pub/sub carried nothing while the subscriber was away, hence reads.
   */
  const resync = singleFlight(async () => {
    if (closed) return;
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      onError(error);
      return;
    }
    // A Redis that restarted lost this instance's liveness key: the others must not take it for dead.
    await Promise.all([follower.catchUpAll(), reannounce(), repin(), liveness.beat().catch(onError)]);
  });
  const ready = resync();
  let subscriberConnected = false;
  subscriber.on('ready', () => {
    if (subscriberConnected) errors.reset();
    subscriberConnected = true;
    void resync();
  });
  subscriber.on('error', onError);
  // The host's client: errors reported (never "Unhandled error event"), writes refused while it is away.
  const onCommandsClose = () => {
    commandsDown = true;
  };
  const onCommandsReady = () => {
    if (!commandsDown) return;
    commandsDown = false;
    errors.reset();
    void resync();
  };
  redis.on('error', onError);
  redis.on('close', onCommandsClose);
  redis.on('ready', onCommandsReady);

  const heartbeat = setInterval(
    () => {
      void presence
        .refresh()
        .then(() => Promise.all(presence.streams().map(recount)))
        .catch(onError);
      void follower.catchUpAll();
      liveness.beat().catch(onError);
    },
    Math.floor(presenceTtlMs / 3),
  );
  heartbeat.unref();

  /** A write while Redis is unreachable is refused at once (`ONAIR_HUB_UNAVAILABLE`), never queued unanswered. */
  const checkConnected = () => {
    if (commandsDown) throw new Error('Redis is unreachable; nothing was stored');
  };

  return {
    broadcasts,

    useLogger(hostLogger: LiveStreamLogger): void {
      logger = hostLogger;
    },

    async appendChat(streamId: string, draft: ChatDraft, source?: string): Promise<AppendResult> {
      checkConnected();
      await ready;
      const keys = [
        chatKey(streamId),
        ...(draft.clientId === undefined ? [] : [clientKey(streamId, draft.clientId)]),
      ];
      const [stored, value] = (await redis.eval(
        APPEND_SCRIPT,
        keys.length,
        ...keys,
        historySize,
        JSON.stringify(draft),
        source ?? '',
        CLIENT_ID_MEMORY_MS,
        JSON.stringify(streamId),
      )) as [number, string];
      if (stored === 0) {
        const known = parseMessage(value);
        if (!known) throw new Error('unreadable message behind a client id');
        return { message: known, duplicate: true };
      }
      const message: ChatMessage = { ...draft, id: value, streamId };
      // Once the append answered, the message is stored and is acknowledged: if this publication is lost (Redis went
      // away just now), every instance following the stream reads the message when it reconnects.
      await publish({
        from: instanceId,
        event: { type: 'chat-message', message, ...(source ? { source } : {}) },
      }).catch(onError);
      return { message, duplicate: false };
    },

    async history(streamId: string): Promise<ChatMessage[]> {
      const entries = await redis.xrevrange(chatKey(streamId), '+', '-', 'COUNT', historySize);
      return entries
        .reverse()
        .map((entry) => entryMessage(streamId, entry))
        .filter((message): message is ChatMessage => message !== null);
    },

    async deleteChat(streamId: string, messageId: string): Promise<boolean> {
      if (!STREAM_ENTRY_ID.test(messageId)) return false;
      checkConnected();
      if ((await redis.xdel(chatKey(streamId), messageId)) === 0) return false;
      await publish({ from: instanceId, event: { type: 'chat-deleted', streamId, messageId } });
      if (parseMessage(await redis.get(pinKey(streamId)))?.id === messageId) {
        await redis.del(pinKey(streamId));
        await publish({ from: instanceId, event: { type: 'chat-pinned', streamId, message: null } });
      }
      return true;
    },

    async pin(streamId: string, messageId: string | null): Promise<ChatMessage | null | undefined> {
      let message: ChatMessage | null = null;
      if (messageId !== null) {
        if (!STREAM_ENTRY_ID.test(messageId)) return undefined;
        checkConnected();
        const [entry] = await redis.xrange(chatKey(streamId), messageId, messageId);
        message = entry ? entryMessage(streamId, entry) : null;
        if (!message) return undefined;
        await redis.set(pinKey(streamId), JSON.stringify(message));
      } else {
        checkConnected();
        await redis.del(pinKey(streamId));
      }
      await publish({ from: instanceId, event: { type: 'chat-pinned', streamId, message } });
      return message;
    },

    async pinned(streamId: string): Promise<ChatMessage | null> {
      return parseMessage(await redis.get(pinKey(streamId)));
    },

    async publishReactions(streamId: string, batch: ReactionBatch): Promise<void> {
      await publish({ from: instanceId, event: { type: 'reactions', streamId, ...batch } });
    },

    setPresence(streamId: string, localCount: number): void {
      if (localCount > 0) follower.follow(streamId);
      else follower.unfollow(streamId);
      presenceWrites = presenceWrites
        .then(() => presence.write(streamId, localCount))
        .then(() => publish({ from: instanceId, presence: streamId }))
        .then(() => recount(streamId))
        .catch(onError);
    },

    async viewerCount(streamId: string): Promise<number> {
      await presenceWrites;
      return (await presence.total(streamId, true)).count;
    },

    subscribe(listener: (event: HubEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      listeners.clear();
      await presenceWrites;
      const streams = presence.streams();
      try {
        await Promise.all([presence.remove(), liveness.remove()]);
        await Promise.all(streams.map((streamId) => publish({ from: instanceId, presence: streamId })));
      } catch (error) {
        errors.add(error);
      }
      redis.off('error', onError);
      redis.off('close', onCommandsClose);
      redis.off('ready', onCommandsReady);
      await broadcasts.close();
      subscriber.disconnect();
    },
  };
}
