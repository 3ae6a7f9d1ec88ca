import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmentCache } from './segment-cache';

describe('SegmentCache', () => {
  let directory = '';
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-segment-cache-'));
  });
  const file = (name: string, bytes: string) => {
    const path = join(directory, name);
    writeFileSync(path, bytes);
    return path;
  };
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads a segment once and serves the same bytes to every later request', async () => {
    const cache = new SegmentCache(4);
    const path = file('seg-1.m4s', 'first');
    const first = await cache.read(path);
    writeFileSync(path, 'changed on disk');
    expect(await cache.read(path)).toBe(first);
    expect(first.toString()).toBe('first');
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new SegmentCache(2);
    const a = file('a', 'a');
    const b = file('b', 'b');
    const c = file('c', 'c');
    await cache.read(a);
    await cache.read(b);
    await cache.read(a);
    await cache.read(c);
    writeFileSync(b, 'b2');
    writeFileSync(a, 'a2');
    writeFileSync(c, 'c2');
    // a and c are kept, b (the least recently used) was dropped: two entries, read from disk again for b.
    expect((await cache.read(a)).toString()).toBe('a');
    expect((await cache.read(c)).toString()).toBe('c');
    expect((await cache.read(b)).toString()).toBe('b2');
  });

  it('does not keep a failed read', async () => {
    const cache = new SegmentCache(2);
    const missing = join(directory, 'gone.m4s');
    await expect(cache.read(missing)).rejects.toThrow();
    writeFileSync(missing, 'back');
    expect((await cache.read(missing)).toString()).toBe('back');
  });
});
