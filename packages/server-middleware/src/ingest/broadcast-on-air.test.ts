import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedOptions } from '../options/live-stream-options';
import { broadcastSource } from '../source/video-source';
import { StreamRegistry } from '../streams/stream-registry';
import { BroadcastFeed } from './broadcast-feed';
import { BROADCAST_GRACE_MS, BroadcastOnAir } from './broadcast-on-air';

function onAir() {
  const logger = { error: vi.fn(), warn: vi.fn() };
  const registry = new StreamRegistry(logger);
  registry.create({ id: 'cam', title: 'Cam' });
  const broadcasts = new BroadcastOnAir(registry, { logger } as unknown as ResolvedOptions);
  const feed = new BroadcastFeed({ container: 'webm' });
  broadcasts.fed('cam', feed, true);
  return { registry, broadcasts, feed };
}

describe('BroadcastOnAir', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a stream whose broadcaster stays away for the grace, not one that comes back in time', () => {
    const { registry, broadcasts, feed } = onAir();
    expect(registry.get('cam')).toMatchObject({ status: 'live', source: { feed } });
    broadcasts.lost('cam');
    vi.advanceTimersByTime(BROADCAST_GRACE_MS - 1);
    broadcasts.fed('cam', feed, false);
    vi.advanceTimersByTime(BROADCAST_GRACE_MS * 2);
    expect(registry.get('cam')?.status).toBe('live');
    broadcasts.lost('cam');
    vi.advanceTimersByTime(BROADCAST_GRACE_MS);
    expect(registry.get('cam')?.status).toBe('ended');
  });

  it('leaves live a stream its broadcaster took to another instance during the grace', () => {
    const { registry, broadcasts } = onAir();
    broadcasts.lost('cam');
    // What mirroring does when another instance's ingest takes the broadcast (`instances/shared-streams.ts`).
    const elsewhere = new BroadcastFeed({ container: 'webm' });
    const stream = registry.get('cam');
    if (!stream) throw new Error('no stream');
    registry.mirror({
      kind: 'feed',
      stream: { ...stream, source: broadcastSource({ ...stream, feed: elsewhere }) },
    });
    vi.advanceTimersByTime(BROADCAST_GRACE_MS * 2);
    expect(registry.get('cam')?.status).toBe('live');
  });

  it('feeds the stream again from here when its broadcaster comes back after feeding it elsewhere', () => {
    const { registry, broadcasts, feed } = onAir();
    broadcasts.lost('cam');
    const stream = registry.get('cam');
    if (!stream) throw new Error('no stream');
    const elsewhere = new BroadcastFeed({ container: 'webm' });
    registry.mirror({
      kind: 'feed',
      stream: { ...stream, source: broadcastSource({ ...stream, feed: elsewhere }) },
    });
    broadcasts.fed('cam', feed, false);
    expect(registry.get('cam')?.source?.feed).toBe(feed);
    broadcasts.lost('cam');
    vi.advanceTimersByTime(BROADCAST_GRACE_MS);
    expect(registry.get('cam')?.status).toBe('ended');
  });
});
