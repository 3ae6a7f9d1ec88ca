import { DEFAULT_REACTIONS } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { memoryHub } from '../hub/memory-hub';
import { resolveRoomOptions } from './room-options';

describe('resolveRoomOptions', () => {
  it('fills every default; the hub stays null for liveStream() to make its own', () => {
    expect(resolveRoomOptions({})).toEqual({
      hub: null,
      reactions: DEFAULT_REACTIONS,
      chatRateLimit: { burst: 5, sustained: 20, windowMs: 30_000 },
      reactionRateLimit: { burst: 10, sustained: 5, windowMs: 1_000 },
      viewerCountIntervalMs: 1_000,
    });
  });

  it('takes a hub, emoji and limits of its own', () => {
    const hub = memoryHub();
    const resolved = resolveRoomOptions({
      hub,
      reactions: ['🎉'],
      chatRateLimit: { burst: 1, sustained: 1, windowMs: 100 },
      viewerCountIntervalMs: 50,
    });
    expect(resolved).toMatchObject({
      hub,
      reactions: ['🎉'],
      chatRateLimit: { burst: 1, sustained: 1, windowMs: 100 },
      viewerCountIntervalMs: 50,
    });
  });

  it.each([
    [{ hub: {} }, /"hub" must be a hub/],
    [{ reactions: [] }, /"reactions" must be an array of 1 to 64 distinct emoji/],
    [{ reactions: ['🔥', '🔥'] }, /"reactions"/],
    [{ reactions: ['x'.repeat(17)] }, /"reactions"/],
    [
      { chatRateLimit: { burst: 0, sustained: 1, windowMs: 1_000 } },
      /"chatRateLimit" must be an object \{ burst/,
    ],
    [{ reactionRateLimit: { burst: 1, sustained: 1 } }, /"reactionRateLimit"/],
    [{ viewerCountIntervalMs: 10 }, /"viewerCountIntervalMs" must be an integer from 50 to 60000, got 10/],
  ])('throws a TypeError naming the option for %j', (options, message) => {
    expect(() => resolveRoomOptions(options as never)).toThrow(TypeError);
    expect(() => resolveRoomOptions(options as never)).toThrow(message);
  });
});
