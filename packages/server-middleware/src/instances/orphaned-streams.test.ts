import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import { BROADCAST_GRACE_MS } from '../ingest/broadcast-on-air';
import { broadcastSource } from '../source/video-source';
import { ORPHAN_CHECK_MS, SLOW_ANSWER_MS } from './orphaned-streams';
import { SharingBus, sharingInstance } from './sharing.fixture';

const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Three instances on one bus; `a` broadcasts `cam`, which `b` and `c` mirror. */
async function cluster() {
  const bus = new SharingBus();
  const make = (name: string) => sharingInstance(bus, name);
  const [a, b, c] = [make('a'), make('b'), make('c')];
  const { ingest } = a.registry.create({ id: 'cam', title: 'Cam' });
  a.registry.start('cam');
  const feed = new BroadcastFeed({ container: 'webm' });
  a.registry.attachFeed('cam', broadcastSource({ id: 'cam', title: 'Cam', feed }));
  await elapse(0);
  expect(b.registry.get('cam')?.status).toBe('live');
  /** A dies without a word: its liveness key expires and it hears nothing any more. */
  const crashA = () => {
    a.stop();
    bus.alive.delete('a');
  };
  return { bus, a, b, c, key: ingest.key, crashA };
}

describe('a stream whose origin instance crashed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends on every other instance once its origin has been gone for the broadcast grace, by one of them', async () => {
    const { bus, b, c, crashA } = await cluster();
    crashA();
    const crashedAt = Date.now();
    await elapse(BROADCAST_GRACE_MS);
    // The first check that sees A gone starts the clock: a whole grace from then.
    expect(b.registry.get('cam')?.status).toBe('live');
    await elapse(BROADCAST_GRACE_MS + ORPHAN_CHECK_MS);

    for (const instance of [b, c]) {
      const stream = instance.registry.get('cam');
      expect(stream?.status).toBe('ended');
      expect(stream?.endedAt).toBeGreaterThanOrEqual(crashedAt + BROADCAST_GRACE_MS);
      expect(stream?.source).toBeNull();
      expect(instance.changes.filter(([kind]) => kind === 'ended')).toEqual([['ended', 'cam', 'ended']]);
    }
    expect(bus.streams.get('cam')?.stream).toMatchObject({ status: 'ended' });
    // One instance ended it; the other heard it.
    const enders = [b, c].filter((instance) => instance.logger.warn.mock.calls.length > 0);
    expect(enders).toHaveLength(1);
    b.stop();
    c.stop();
  });

  it('stays live when its broadcaster reconnects to another instance within the grace', async () => {
    const { bus, b, c, crashA } = await cluster();
    crashA();
    await elapse(BROADCAST_GRACE_MS / 2);
    // B's ingest takes the broadcast: the shared record now names B.
    const feed = new BroadcastFeed({ container: 'webm' });
    b.registry.attachFeed('cam', broadcastSource({ id: 'cam', title: 'Cam', feed }));
    await elapse(BROADCAST_GRACE_MS * 3);
    expect(bus.streams.get('cam')?.stream).toMatchObject({ status: 'live', feed: { instance: 'b' } });
    expect(b.registry.get('cam')?.status).toBe('live');
    expect(c.registry.get('cam')?.status).toBe('live');
    b.stop();
    c.stop();
  });

  it('is never ended while the hub cannot be asked, and waits a whole grace again once it can', async () => {
    const { bus, b, c, crashA } = await cluster();
    crashA();
    await elapse(BROADCAST_GRACE_MS - ORPHAN_CHECK_MS);
    bus.unreachable = true;
    await elapse(BROADCAST_GRACE_MS * 3);
    expect(b.registry.get('cam')?.status).toBe('live');
    expect(b.logger.warn).toHaveBeenCalledTimes(1);
    expect(b.logger.warn.mock.calls[0]?.[0]).toContain('could not check');

    bus.unreachable = false;
    await elapse(BROADCAST_GRACE_MS - ORPHAN_CHECK_MS);
    expect(b.registry.get('cam')?.status).toBe('live');
    await elapse(ORPHAN_CHECK_MS * 2);
    expect(b.registry.get('cam')?.status).toBe('ended');
    b.stop();
    c.stop();
  });

  it('does not trust a slow answer (a hub that was away and queued the question)', async () => {
    const { bus, b, c, crashA } = await cluster();
    c.stop();
    crashA();
    bus.answerDelayMs = SLOW_ANSWER_MS + 1;
    await elapse(BROADCAST_GRACE_MS * 4);
    expect(b.registry.get('cam')?.status).toBe('live');
    bus.answerDelayMs = 0;
    await elapse(BROADCAST_GRACE_MS + ORPHAN_CHECK_MS * 2);
    expect(b.registry.get('cam')?.status).toBe('ended');
    b.stop();
  });

  it('is not judged by an instance the hub does not know itself (a Redis that lost every key)', async () => {
    const { bus, b, c, crashA } = await cluster();
    crashA();
    c.stop();
    bus.alive.delete('b');
    await elapse(BROADCAST_GRACE_MS * 3);
    expect(b.registry.get('cam')?.status).toBe('live');
    b.stop();
  });

  it('stays live while its origin is alive, however long its broadcast lasts', async () => {
    const { a, b, c } = await cluster();
    await elapse(BROADCAST_GRACE_MS * 5);
    expect(b.registry.get('cam')?.status).toBe('live');
    a.stop();
    b.stop();
    c.stop();
  });

  it('ends a stream fed by a file input on the crashed instance, and leaves scheduled streams alone', async () => {
    const { a, b, c, crashA } = await cluster();
    a.registry.create({ id: 'loop', title: 'Loop', input: '/media/loop.mp4' });
    a.registry.start('loop');
    a.registry.create({ id: 'later', title: 'Later' });
    await elapse(0);
    expect(b.registry.get('loop')?.status).toBe('live');
    crashA();
    await elapse(BROADCAST_GRACE_MS * 2 + ORPHAN_CHECK_MS * 2);
    expect(b.registry.get('loop')?.status).toBe('ended');
    expect(c.registry.get('loop')?.status).toBe('ended');
    expect(b.registry.get('later')?.status).toBe('scheduled');
    b.stop();
    c.stop();
  });
});
