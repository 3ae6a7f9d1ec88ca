import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReactionQueue } from './reaction-queue';
import type { FloatingReaction } from './room-snapshot';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(maxFloating = 5, lifetimeMs = 1_000) {
  const changes: (readonly FloatingReaction[])[] = [];
  const queue = new ReactionQueue({
    maxFloating,
    lifetimeMs,
    onChange: (floating) => changes.push(floating),
  });
  return { queue, changes };
}

describe('ReactionQueue', () => {
  it('never holds more than maxFloating, keeping the newest', () => {
    const { queue } = setup(5);
    const samples = Array.from({ length: 40 }, (_, index) => ({
      emoji: index % 2 ? '❤️' : '🔥',
      x: index / 40,
    }));
    queue.addBatch({ counts: { '❤️': 20, '🔥': 20 }, samples });
    expect(queue.floating).toHaveLength(5);
    expect(queue.floating.map((item) => item.x)).toEqual([35, 36, 37, 38, 39].map((index) => index / 40));
    for (let i = 0; i < 10; i++) queue.addOwn('👍', undefined, undefined);
    expect(queue.floating).toHaveLength(5);
    expect(queue.floating.every((item) => item.emoji === '👍' && item.own)).toBe(true);
  });

  it('removes each emoji after its lifetime', () => {
    const { queue } = setup(10, 1_000);
    queue.addOwn('🔥', 0.2, 0.8);
    vi.advanceTimersByTime(500);
    queue.addBatch({ counts: { '❤️': 1 }, samples: [{ emoji: '❤️' }] });
    vi.advanceTimersByTime(500);
    expect(queue.floating.map((item) => item.emoji)).toEqual(['❤️']);
    vi.advanceTimersByTime(500);
    expect(queue.floating).toEqual([]);
  });

  it('floats one per counted emoji when the batch has no samples', () => {
    const { queue } = setup();
    queue.addBatch({ counts: { '❤️': 7, '🔥': 0, '👏': 2 }, samples: [] });
    expect(queue.floating.map((item) => item.emoji)).toEqual(['❤️', '👏']);
  });

  it('gives emoji without a position distinct, repeatable places inside the picture', () => {
    const { queue } = setup(10);
    queue.addBatch({ counts: { '❤️': 3 }, samples: [{ emoji: '❤️' }, { emoji: '❤️' }, { emoji: '❤️' }] });
    const xs = queue.floating.map((item) => item.x);
    expect(new Set(xs).size).toBe(3);
    expect(xs.every((x) => x >= 0.1 && x <= 0.9)).toBe(true);
    expect(queue.floating.every((item) => item.y === 0.9)).toBe(true);
  });

  it('skips the echo of its own reaction only while it is recent', () => {
    const { queue } = setup(10);
    queue.addOwn('🔥', undefined, undefined);
    vi.advanceTimersByTime(2_000);
    queue.addBatch({ counts: { '🔥': 1 }, samples: [{ emoji: '🔥' }] });
    expect(queue.floating.map((item) => item.own)).toEqual([false]);
  });

  it('clears everything, timers included', () => {
    const { queue, changes } = setup();
    queue.addOwn('🔥', undefined, undefined);
    queue.clear();
    expect(queue.floating).toEqual([]);
    const count = changes.length;
    vi.advanceTimersByTime(5_000);
    expect(changes.length).toBe(count);
  });
});
