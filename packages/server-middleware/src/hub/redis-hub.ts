import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '@onair/protocol';
import type Redis from 'ioredis';
import { HUB_DEFAULTS } from '../options/defaults';
import { numberOption, optionError } from '../options/option-checks';
import {
  type AppendResult,
  type ChatDraft,
  CLIENT_ID_MEMORY_MS,
  checkHistorySize,
  type Hub,
  type HubEvent,
  type ReactionBatch,
} from './hub';
import { RedisPresence } from './redis-presence';

export interface RedisHubOptions {
  /** An ioredis client the host created and owns (the hub never closes it). Its `duplicate()` subscribes. */
  redis: Redis;
  /** Prefix of every key and of the pub/sub channel, so several apps can share one Redis. Default `onair:`. */
  keyPrefix?: string;
  /** Messages kept per stream for late joiners (a Redis Stream trimmed with `MAXLEN ~`). Default 100. */
  historySize?: number;
  /**
   * How long an instance's viewer counts stay in the totals without a refresh; each instance refreshes them
   * every third of it, so a crashed instance's viewers disappear within this time. Default 15 000, 300–600 000.
   */
  presenceTtlMs?: number;
  /** Where Redis failures of background work (presence, pub/sub) go. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** A Redis Stream entry id: what this hub uses as message id, so a delete is one XDEL. */
const STREAM_ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

type Wire = { from: string; event: HubEvent } | { from: string; presence: string };

function checkOptions(options: RedisHubOptions): Required<Omit<RedisHubOptions, 'redis'>> {
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
    onError: options.onError ?? ((error) => console.error('[onair] redis hub:', error)),
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

function entryMessage(streamId: string, [id, fields]: [string, string[]]): ChatMessage | null {
  const draft = parseMessage(fields[1]);
  return draft ? { ...draft, id, streamId } : null;
}

/**
 * A hub for several server instances sharing one Redis. Chat history lives in a Redis Stream per stream (so a
 * subscriber that reconnects, or an instance started later, reads what it missed), pins in a key, resends are
 * recognised by a `SET NX` on the client id, and every event goes to every instance over one pub/sub channel.
 * Viewer counts: see `RedisPresence`.
 */
export function redisHub(options: RedisHubOptions): Hub {
  const { keyPrefix, historySize, presenceTtlMs, onError } = checkOptions(options);
  const { redis } = options;
  const instanceId = randomBytes(8).toString('hex');
  const channel = `${keyPrefix}events`;
  const chatKey = (streamId: string) => `${keyPrefix}chat:${streamId}`;
  const pinKey = (streamId: string) => `${keyPrefix}chat:${streamId}:pinned`;
  const clientKey = (streamId: string, clientId: string) => `${keyPrefix}chat:${streamId}:client:${clientId}`;
  const presence = new RedisPresence(redis, keyPrefix, instanceId, presenceTtlMs);
  const listeners = new Set<(event: HubEvent) => void>();
  const subscriber = redis.duplicate();
  let closed = false;

  const emit = (event: HubEvent) => {
    for (const listener of listeners) listener(event);
  };
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
    if ('event' in wire) emit(wire.event);
    else if (wire.from !== instanceId) recount(wire.presence).catch(onError);
  });
  const ready = subscriber.subscribe(channel).then(() => undefined);
  ready.catch(onError);

  // Writes of one stream's count must land in order, or a stale count could overwrite a newer one.
  let presenceWrites: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(
    () => {
      void presence
        .refresh()
        .then(() => Promise.all(presence.streams().map(recount)))
        .catch(onError);
    },
    Math.floor(presenceTtlMs / 3),
  );
  heartbeat.unref();

  return {
    async appendChat(streamId: string, draft: ChatDraft, source?: string): Promise<AppendResult> {
      await ready;
      const remembered = draft.clientId === undefined ? null : clientKey(streamId, draft.clientId);
      if (remembered) {
        const known = parseMessage(await redis.get(remembered));
        if (known) return { message: known, duplicate: true };
      }
      const id = await redis.xadd(
        chatKey(streamId),
        'MAXLEN',
        '~',
        historySize,
        '*',
        'm',
        JSON.stringify(draft),
      );
      if (!id) throw new Error('XADD returned no id');
      const message: ChatMessage = { ...draft, id, streamId };
      if (remembered) {
        const stored = await redis.set(remembered, JSON.stringify(message), 'PX', CLIENT_ID_MEMORY_MS, 'NX');
        if (stored === null) {
          // A resend raced this one on another instance and won: keep its message, drop ours.
          await redis.xdel(chatKey(streamId), id);
          const winner = parseMessage(await redis.get(remembered));
          if (winner) return { message: winner, duplicate: true };
        }
      }
      await publish({
        from: instanceId,
        event: { type: 'chat-message', message, ...(source ? { source } : {}) },
      });
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
        const [entry] = await redis.xrange(chatKey(streamId), messageId, messageId);
        message = entry ? entryMessage(streamId, entry) : null;
        if (!message) return undefined;
        await redis.set(pinKey(streamId), JSON.stringify(message));
      } else {
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
        await presence.remove();
        await Promise.all(streams.map((streamId) => publish({ from: instanceId, presence: streamId })));
      } catch (error) {
        onError(error);
      }
      subscriber.disconnect();
    },
  };
}
