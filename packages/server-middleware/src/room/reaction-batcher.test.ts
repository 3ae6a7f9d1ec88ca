import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactionBatch } from '../hub/hub';
import { MAX_REACTION_SAMPLES, ReactionBatcher } from './reaction-batcher';

describe('ReactionBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a burst of 5,000 reactions in one second into at most 4 batches carrying all of them', () => {
    const batches: { at: number; batch: ReactionBatch }[] = [];
    const batcher = new ReactionBatcher(250, (_streamId, batch) => batches.push({ at: Date.now(), batch }));
    const start = Date.now();
    for (let i = 0; i < 5_000; i++) {
      batcher.add('s', { emoji: i % 2 ? '🔥' : '❤️', x: 0.5, y: 0.5 });
      vi.advanceTimersByTime(i % 5 === 4 ? 1 : 0); // 5,000 over 1,000 ms
    }
    const withinSecond = batches.filter(({ at }) => at - start <= 1_000);
    expect(withinSecond.length).toBeLessThanOrEqual(4);
    vi.advanceTimersByTime(250);
    const total = batches.reduce(
      (sum, { batch }) => sum + (batch.counts['❤️'] ?? 0) + (batch.counts['🔥'] ?? 0),
      0,
    );
    expect(total).toBe(5_000);
    for (const { batch } of batches) expect(batch.samples.length).toBeLessThanOrEqual(MAX_REACTION_SAMPLES);
    batcher.close();
  });

  it('keeps batches of one stream at least the interval apart', () => {
    const times: number[] = [];
    const batcher = new ReactionBatcher(250, () => times.push(Date.now()));
    for (let t = 0; t < 2_000; t += 7) {
      batcher.add('s', { emoji: '👍' });
      vi.advanceTimersByTime(7);
    }
    vi.advanceTimersByTime(300);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(250);
    batcher.close();
  });

  it('makes no batch when there were no reactions, and batches streams apart', () => {
    const flushed: string[] = [];
    const batcher = new ReactionBatcher(250, (streamId) => flushed.push(streamId));
    vi.advanceTimersByTime(5_000);
    expect(flushed).toEqual([]);
    batcher.add('a', { emoji: '👍' });
    batcher.addBatch('b', { counts: { '👍': 3 }, samples: [{ emoji: '👍' }] });
    batcher.addBatch('c', { counts: {}, samples: [] });
    vi.advanceTimersByTime(250);
    expect(flushed.sort()).toEqual(['a', 'b']);
  });

  it('merges batches from other instances into one window, adding their counts', () => {
    const batches: ReactionBatch[] = [];
    const batcher = new ReactionBatcher(250, (_streamId, batch) => batches.push(batch));
    batcher.addBatch('s', { counts: { '👍': 3 }, samples: [{ emoji: '👍', x: 0.1 }] });
    batcher.addBatch('s', { counts: { '👍': 2, '🔥': 1 }, samples: [{ emoji: '🔥' }] });
    vi.advanceTimersByTime(250);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.counts).toEqual({ '👍': 5, '🔥': 1 });
    expect(batches[0]?.samples).toHaveLength(2);
  });

  it('stops its timers on close: nothing pending is flushed afterwards', () => {
    const flush = vi.fn();
    const batcher = new ReactionBatcher(250, flush);
    batcher.add('s', { emoji: '👍' });
    batcher.close();
    vi.advanceTimersByTime(1_000);
    expect(flush).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
