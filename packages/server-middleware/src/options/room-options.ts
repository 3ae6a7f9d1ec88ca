import type { Hub } from '../hub/hub';
import { ROOM_DEFAULTS } from './defaults';
import { numberOption, optionError, type RateLimit, rateLimitOption } from './option-checks';

/** The chat, reaction and presence options of `liveStream()` (part of the one flat options object). */
export interface RoomOptions {
  /** Carries chat, reactions and viewer counts: `memoryHub()` (default) or `redisHub({ redis })`. */
  hub?: Hub;
  /**
   * The emoji viewers may react with. Default `DEFAULT_REACTIONS` (❤️ 👍 😂 😮 👏 🔥); 1–64 distinct strings of
   * 1–16 UTF-16 units.
   */
  reactions?: readonly string[];
  /**
   * Chat messages per connection (and per REST sender). Default { burst: 5, sustained: 20, windowMs: 30 000 }.
   */
  chatRateLimit?: RateLimit;
  /** Reactions per connection (and per REST sender). Default { burst: 10, sustained: 5, windowMs: 1 000 }. */
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

function resolveReactions(value: unknown): readonly string[] {
  if (value === undefined) return ROOM_DEFAULTS.reactions;
  const expected = 'an array of 1 to 64 distinct emoji strings (1–16 UTF-16 units each)';
  const fits =
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 64 &&
    value.every((emoji) => typeof emoji === 'string' && emoji.length >= 1 && emoji.length <= 16) &&
    new Set(value).size === value.length;
  if (!fits) throw optionError('reactions', expected, value);
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
    throw optionError('hub', 'a hub (memoryHub() or redisHub({ redis }))', value);
  }
  return value as Hub;
}

export function resolveRoomOptions(options: RoomOptions): ResolvedRoomOptions {
  return {
    hub: resolveHub(options.hub),
    reactions: resolveReactions(options.reactions),
    chatRateLimit: rateLimitOption('chatRateLimit', options.chatRateLimit, ROOM_DEFAULTS.chatRateLimit),
    reactionRateLimit: rateLimitOption(
      'reactionRateLimit',
      options.reactionRateLimit,
      ROOM_DEFAULTS.reactionRateLimit,
    ),
    // `null` has always meant the default here.
    viewerCountIntervalMs: numberOption(
      'viewerCountIntervalMs',
      options.viewerCountIntervalMs ?? undefined,
      ROOM_DEFAULTS.viewerCountIntervalMs,
      { min: 50, max: 60_000 },
    ),
  };
}
