import { describe, expect, it, vi } from 'vitest';
import { SnapshotStore, shallowEqual } from './snapshot-store';

describe('SnapshotStore', () => {
  it('keeps the same object, and stays quiet, when a patch changes nothing', () => {
    const store = new SnapshotStore({ status: 'idle', volume: 1, list: [1] as readonly number[] });
    const listener = vi.fn();
    store.subscribe(listener);
    const before = store.get();
    store.update({ status: 'idle', volume: 1, list: before.list });
    expect(store.get()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });

  it('makes a new frozen object and notifies when a value changes', () => {
    const store = new SnapshotStore({ status: 'idle', volume: 1 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.get();
    store.update({ volume: 0.5 });
    expect(store.get()).not.toBe(before);
    expect(store.get()).toEqual({ status: 'idle', volume: 0.5 });
    expect(Object.isFrozen(store.get())).toBe(true);
    expect(before.volume).toBe(1);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    store.update({ volume: 0 });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('shallowEqual', () => {
  it('compares values key by key', () => {
    expect(shallowEqual({ a: 1, b: null }, { a: 1, b: null })).toBe(true);
    expect(shallowEqual({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
    expect(shallowEqual({ a: 1 } as object, { a: 1, b: 2 } as object)).toBe(false);
  });
});
