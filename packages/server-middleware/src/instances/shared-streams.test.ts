import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { SharedStream } from '../hub/broadcast-sharing';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import { broadcastMedia, chunksOf } from '../ingest/broadcast-media.fixture';
import { resolveOptions } from '../options/live-stream-options';
import { Recordings } from '../recording/recordings';
import { broadcastSource } from '../source/video-source';
import { StreamRegistry } from '../streams/stream-registry';
import { RelayedFeed } from './relayed-feed';
import { shareStreams } from './shared-streams';
import { SharingBus, sharingInstance } from './sharing.fixture';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function instances(localIds: string[] = []) {
  const bus = new SharingBus();
  const make = (name: string) => sharingInstance(bus, name, localIds);
  return { bus, a: make('a'), b: make('b') };
}

describe('shareStreams', () => {
  it('lists on B what is created on A, with its key as a hash, and follows its status and removal', async () => {
    const { bus, a, b } = instances();
    const { ingest } = a.registry.create({ id: 'cam', title: 'Cam' });
    await settle();
    expect(b.registry.get('cam')).toMatchObject({ title: 'Cam', status: 'scheduled', source: null });
    expect(b.registry.checkIngestKey('cam', ingest.key)).toBe(true);
    expect(JSON.stringify([...bus.streams.values()])).not.toContain(ingest.key);

    a.registry.start('cam');
    await settle();
    b.registry.end('cam');
    await settle();
    expect(a.registry.get('cam')?.status).toBe('ended');
    a.registry.remove('cam');
    await settle();
    expect(b.registry.get('cam')).toBeUndefined();
    expect(b.changes).toEqual([
      ['created', 'cam', 'scheduled'],
      ['started', 'cam', 'live'],
      ['ended', 'cam', 'ended'],
      ['removed', 'cam', 'ended'],
    ]);
    expect(a.changes.map(([kind]) => kind)).toEqual(['created', 'started', 'ended', 'removed']);
  });

  it('shares whether a stream records, so an instance whose ingest takes its broadcast records it as asked', async () => {
    const { a, b } = instances();
    const recordingsDir = mkdtempSync(join(tmpdir(), 'onair-shared-record-'));
    // ffmpeg that cannot run: what matters is which streams B starts recording.
    const recordings = new Recordings({
      registry: b.registry,
      tools: { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' },
      options: resolveOptions({ record: false, recordingsDir, logger: { error: vi.fn(), warn: vi.fn() } }),
      replay: vi.fn(),
      changed: vi.fn(),
    });
    a.registry.create({ id: 'kept', title: 'Kept', record: true });
    a.registry.create({ id: 'unsaid', title: 'Unsaid' });
    await settle();
    expect(b.registry.get('kept')?.record).toBe(true);
    expect(b.registry.get('unsaid')?.record).toBeNull();
    for (const id of ['kept', 'unsaid']) {
      b.registry.attachFeed(
        id,
        broadcastSource({ id, title: id, feed: new BroadcastFeed({ container: 'webm' }) }),
      );
    }
    expect(recordings.info('kept')).toMatchObject({ state: 'recording' });
    expect(recordings.info('unsaid')).toBeNull();
    await recordings.close();
    rmSync(recordingsDir, { recursive: true, force: true });
    a.stop();
    b.stop();
  });

  it('shares nothing of the start-up videos, each instance’s own', async () => {
    const { bus, a, b } = instances(['clip']);
    a.registry.create({ id: 'clip', title: 'A clip' });
    await settle();
    expect(bus.streams.size).toBe(0);
    expect(b.registry.get('clip')).toBeUndefined();
  });

  it('relays a broadcast ingested on A into a feed B reads only while something reads it there', async () => {
    const { bus, a, b } = instances();
    a.registry.create({ id: 'cam', title: 'Cam' });
    a.registry.start('cam');
    const feed = new BroadcastFeed({ container: 'webm' });
    a.registry.attachFeed('cam', broadcastSource({ id: 'cam', title: 'Cam', feed }));
    await settle();

    const source = b.registry.get('cam')?.source;
    expect(source?.kind).toBe('broadcast');
    expect(source?.feed).toBeInstanceOf(RelayedFeed);
    // B reads the record as it is when it hears of it: here already live and fed, so it comes as one change.
    expect(b.changes).toEqual([['created', 'cam', 'live']]);
    expect(bus.reading.get('cam') ?? 0).toBe(0);

    const out = new PassThrough({ highWaterMark: 1 << 30 });
    let received = 0;
    out.on('data', (bytes: Buffer) => {
      received += bytes.length;
    });
    source?.feed?.attach(out);
    expect(bus.reading.get('cam')).toBe(1);
    for (const chunk of chunksOf(broadcastMedia('webm', 1, 15), 4000)) feed.push(chunk);
    expect(received).toBeGreaterThan(0);
    expect(bus.published.get('cam')?.[0]).toMatchObject({ kind: 'init', slot: 'container' });

    // Ended on A: B's channel goes (its viewers are told "ended") and B stops reading.
    a.registry.end('cam');
    feed.end();
    await settle();
    expect(b.changes.at(-1)).toEqual(['ended', 'cam', 'ended']);
    expect(bus.published.get('cam')?.at(-1)).toEqual({ kind: 'end' });
    expect(bus.reading.get('cam')).toBe(0);
    a.stop();
    b.stop();
  });

  it('hands a broadcast that moved to B’s ingest over without writing an end among B’s pieces', async () => {
    const { bus, a, b } = instances();
    a.registry.create({ id: 'cam', title: 'Cam' });
    a.registry.start('cam');
    const onA = new BroadcastFeed({ container: 'webm' });
    a.registry.attachFeed('cam', broadcastSource({ id: 'cam', title: 'Cam', feed: onA }));
    for (const chunk of chunksOf(broadcastMedia('webm', 1, 15), 4000)) onA.push(chunk);
    await settle();

    // The broadcaster reconnects to B: B publishes into the same relayed stream, and A reads it from there.
    const onB = new BroadcastFeed({ container: 'webm' });
    b.registry.attachFeed('cam', broadcastSource({ id: 'cam', title: 'Cam', feed: onB }));
    await settle();
    expect(a.registry.get('cam')?.source?.feed).toBeInstanceOf(RelayedFeed);
    expect(bus.published.get('cam')?.some((entry) => entry.kind === 'end')).toBe(false);
    a.stop();
    b.stop();
  });

  it('catches up with the list when it starts listening, as an instance started later does', async () => {
    const { bus, a } = instances();
    a.registry.create({ id: 'early', title: 'Early' });
    await settle();
    const registry = new StreamRegistry({ error: vi.fn(), warn: vi.fn() });
    const stop = shareStreams({
      registry,
      sharing: bus.instance('late'),
      localIds: new Set(),
      logger: { error: vi.fn(), warn: vi.fn() },
    });
    await settle();
    expect(registry.get('early')).toMatchObject({ title: 'Early', status: 'scheduled' });
    stop();
  });
});

describe('shareStreams after a lost write', () => {
  it('never takes a status back from a stale list, and writes its own newer status again', async () => {
    const { bus, a, b } = instances();
    a.registry.create({ id: 'cam', title: 'Cam' });
    a.registry.start('cam');
    await settle();
    // A's write of "ended" is lost (Redis away): the list still says live.
    const stale = bus.streams.get('cam');
    a.registry.end('cam');
    await settle();
    if (stale) bus.streams.set('cam', stale);

    // A hears the stale record (B announces it) and keeps its own, which it writes back.
    await bus.instance('b').put(stale?.stream as SharedStream);
    await settle();
    await settle();
    expect(a.registry.get('cam')?.status).toBe('ended');
    expect(bus.streams.get('cam')?.stream.status).toBe('ended');
    a.stop();
    b.stop();
  });
});
