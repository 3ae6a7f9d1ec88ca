import { DEFAULT_REACTIONS } from '@onair/protocol';
import type { Hub } from '../hub/hub';
import type { RateLimit } from './token-bucket';

/** The chat, reaction and presence options of `liveStream()` (part of the one flat options object). */
export interface RoomOptions {
  /** Carries chat, reactions and viewer counts: `memoryHub()` (default) or `redisHub({ redis })`. */
  hub?: Hub;
  /** The emoji viewers may react with. Default `DEFAULT_REACTIONS`; 1–64 distinct strings of 1–16 UTF-16 units. */
  reactions?: readonly string[];
  /** Chat messages per connection. Default `{ burst: 5, sustained: 20, windowMs: 30_000 }`. */
  chatRateLimit?: RateLimit;
  /** Reactions per connection. Default `{ burst: 10, sustained: 5, windowMs: 1_000 }`. */
  reactionRateLimit?: RateLimit;
  /** Shortest time between two `viewers` messages for one stream. Default 1 000 ms, 50–60 000. */
  viewerCountIntervalMs?: number;
}

export const ROOM_OPTION_NAMES = [
  'hub',
  'reactions',
  'chatRateLimit',
  'reactionRateLimit',
  'viewerCountIntervalMs',
] as const satisfies readonly (keyof RoomOptions)[];

export interface ResolvedRoomOptions {
  /** Null: `liveStream()` makes (and owns) a `memoryHub()`. */
  hub: Hub | null;
  reactions: readonly string[];
  chatRateLimit: RateLimit;
  reactionRateLimit: RateLimit;
  viewerCountIntervalMs: number;
}

const HUB_METHODS = ['appendChat', 'history', 'deleteChat', 'pin', 'pinned', 'publishReactions'] as const;

function fail(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return new TypeError(`liveStream: option "${name}" must be ${expected}, got ${shown}`);
}

function resolveRateLimit(name: string, value: unknown, fallback: RateLimit): RateLimit {
  if (value === undefined) return fallback;
  const expected = 'an object { burst: 1–100000, sustained: 1–1000000, windowMs: 100–3600000 } of integers';
  const limit = value as Partial<RateLimit> | null;
  const inRange = (n: unknown, min: number, max: number) =>
    typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
  if (
    typeof limit !== 'object' ||
    limit === null ||
    !inRange(limit.burst, 1, 100_000) ||
    !inRange(limit.sustained, 1, 1_000_000) ||
    !inRange(limit.windowMs, 100, 3_600_000)
  ) {
    throw fail(name, expected, value);
  }
  return {
    burst: limit.burst as number,
    sustained: limit.sustained as number,
    windowMs: limit.windowMs as number,
  };
}

function resolveReactions(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_REACTIONS;
  const expected = 'an array of 1 to 64 distinct emoji strings (1–16 UTF-16 units each)';
  if (!Array.isArray(value) || value.length < 1 || value.length > 64)
    throw fail('reactions', expected, value);
  for (const emoji of value) {
    if (typeof emoji !== 'string' || emoji.length < 1 || emoji.length > 16)
      throw fail('reactions', expected, value);
  }
  if (new Set(value).size !== value.length) throw fail('reactions', expected, value);
  return Object.freeze([...(value as string[])]);
}

function resolveHub(value: unknown): Hub | null {
  if (value === undefined) return null;
  const hub = value as Record<string, unknown> | null;
  if (
    typeof hub !== 'object' ||
    hub === null ||
    HUB_METHODS.some((method) => typeof hub[method] !== 'function')
  ) {
    throw fail('hub', 'a hub (memoryHub() or redisHub({ redis }))', value);
  }
  return value as Hub;
}

export function resolveRoomOptions(options: RoomOptions): ResolvedRoomOptions {
  const interval = options.viewerCountIntervalMs ?? 1_000;
  if (!Number.isInteger(interval) || interval < 50 || interval > 60_000) {
    throw fail('viewerCountIntervalMs', 'an integer from 50 to 60000', interval);
  }
  return {
    hub: resolveHub(options.hub),
    reactions: resolveReactions(options.reactions),
    chatRateLimit: resolveRateLimit('chatRateLimit', options.chatRateLimit, {
      burst: 5,
      sustained: 20,
      windowMs: 30_000,
    }),
    reactionRateLimit: resolveRateLimit('reactionRateLimit', options.reactionRateLimit, {
      burst: 10,
      sustained: 5,
      windowMs: 1_000,
    }),
    viewerCountIntervalMs: interval,
  };
}
