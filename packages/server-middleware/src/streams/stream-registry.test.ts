import { describe, expect, it, vi } from 'vitest';
import { normalizeVideoInputs } from '../source/video-source';
import { StreamConflictError, UnknownStreamError } from './stream-errors';
import { type StreamChange, StreamRegistry } from './stream-registry';

function registry() {
  let clock = 1_000;
  const logger = { error: vi.fn(), warn: vi.fn() };
  const streams = new StreamRegistry(logger, () => clock++);
  const changes: Array<[StreamChange['kind'], string, string]> = [];
  streams.on('change', ({ kind, stream }) => changes.push([kind, stream.id, stream.status]));
  return { streams, changes, logger };
}

describe('StreamRegistry', () => {
  it('creates a scheduled stream with its fields, a random id and an ingest key', () => {
    const { streams } = registry();
    const { stream, ingest } = streams.create({ title: ' Launch ', description: 'd', scheduledAt: 5_000 });
    expect(stream).toMatchObject({
      title: 'Launch',
      description: 'd',
      status: 'scheduled',
      scheduledAt: 5_000,
      createdAt: 1_000,
      startedAt: null,
      endedAt: null,
      source: null,
    });
    expect(stream.id).toMatch(/^s[0-9a-f]{12}$/);
    expect(ingest.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(streams.get(stream.id)).toBe(stream);
    expect(JSON.stringify(stream)).not.toContain(ingest.key);
  });

  it('goes scheduled → live → ended, stamping the times, one change event each', () => {
    const { streams, changes } = registry();
    const { stream } = streams.create({ id: 'show', title: 'Show' });
    expect(streams.start('show')).toMatchObject({ status: 'live', startedAt: 1_001 });
    expect(streams.end('show')).toMatchObject({ status: 'ended', endedAt: 1_002, startedAt: 1_001 });
    streams.remove(stream.id);
    expect(streams.get('show')).toBeUndefined();
    expect(changes).toEqual([
      ['created', 'show', 'scheduled'],
      ['started', 'show', 'live'],
      ['ended', 'show', 'ended'],
      ['removed', 'show', 'ended'],
    ]);
  });

  it('cancels a scheduled stream that is ended before it started', () => {
    const { streams } = registry();
    streams.create({ id: 'show', title: 'Show' });
    expect(streams.end('show').status).toBe('cancelled');
  });

  it.each([
    ['start', 'live'],
    ['start', 'ended'],
    ['start', 'cancelled'],
    ['end', 'ended'],
    ['end', 'cancelled'],
  ] as const)('refuses to %s a stream that is %s, changing nothing', (move, status) => {
    const { streams, changes } = registry();
    streams.create({ id: 'show', title: 'Show' });
    if (status !== 'cancelled') streams.start('show');
    if (status !== 'live') streams.end('show');
    expect(streams.get('show')?.status).toBe(status);
    const before = changes.length;
    expect(() => streams[move]('show')).toThrow(StreamConflictError);
    expect(streams.get('show')?.status).toBe(status);
    expect(changes).toHaveLength(before);
  });

  it('keeps whether the stream asked to record, null when it did not say', () => {
    const { streams } = registry();
    expect(streams.create({ id: 'a', title: 'A', record: true }).stream.record).toBe(true);
    expect(streams.create({ id: 'b', title: 'B', record: false }).stream.record).toBe(false);
    expect(streams.create({ id: 'c', title: 'C' }).stream.record).toBeNull();
    expect(() => streams.create({ title: 'D', record: 'yes' as never })).toThrow(/record/);
  });

  it('refuses a taken id and names unknown ones', () => {
    const { streams } = registry();
    streams.create({ id: 'show', title: 'Show' });
    expect(() => streams.create({ id: 'show', title: 'Again' })).toThrow(StreamConflictError);
    expect(() => streams.start('nope')).toThrow(UnknownStreamError);
    expect(() => streams.remove('nope')).toThrow(UnknownStreamError);
  });

  it.each([
    [{ title: '' }, /title/],
    [{ title: 'x'.repeat(501) }, /title/],
    [{ title: 'ok', id: 'a/b' }, /id/],
    [{ title: 'ok', scheduledAt: -1 }, /scheduledAt/],
    [{ title: 'ok', extra: 1 }, /extra/],
    [{ title: 'ok', input: { input: '' } }, /input/],
  ])('refuses bad options with a TypeError naming the field: %j', (options, field) => {
    const { streams, changes } = registry();
    expect(() => streams.create(options as never)).toThrow(TypeError);
    expect(() => streams.create(options as never)).toThrow(field);
    expect(changes).toEqual([]);
  });

  it('takes a file or ffmpeg input under the stream id and title', () => {
    const { streams } = registry();
    const { stream } = streams.create({
      id: 'bars',
      title: 'Bars',
      input: { input: 'testsrc2=size=320x240:rate=10', format: 'lavfi' },
    });
    expect(stream.source).toMatchObject({ id: 'bars', title: 'Bars', kind: 'generated', format: 'lavfi' });
  });

  it('lists in creation order, filtered by one status or several', () => {
    const { streams } = registry();
    for (const id of ['a', 'b', 'c']) streams.create({ id, title: id });
    streams.start('b');
    streams.end('c');
    expect(streams.list().map((stream) => stream.id)).toEqual(['a', 'b', 'c']);
    expect(streams.list({ status: 'live' }).map((stream) => stream.id)).toEqual(['b']);
    expect(streams.list({ status: ['scheduled', 'cancelled'] }).map((stream) => stream.id)).toEqual([
      'a',
      'c',
    ]);
  });

  it('adopts the start-up videos as live streams', () => {
    const { streams, changes } = registry();
    const [source] = normalizeVideoInputs([{ id: 'bars', input: 'testsrc2', format: 'lavfi' }]);
    streams.adoptLive(source!);
    expect(streams.get('bars')).toMatchObject({ status: 'live', startedAt: 1_000, source });
    expect(changes).toEqual([['created', 'bars', 'live']]);
  });

  it('checks the ingest key of the stream only, and forgets it with the stream', () => {
    const { streams } = registry();
    const a = streams.create({ id: 'a', title: 'A' });
    const b = streams.create({ id: 'b', title: 'B' });
    expect(streams.checkIngestKey('a', a.ingest.key)).toBe(true);
    expect(streams.checkIngestKey('a', b.ingest.key)).toBe(false);
    expect(streams.checkIngestKey('a', '')).toBe(false);
    expect(streams.checkIngestKey('nope', a.ingest.key)).toBe(false);
    streams.remove('a');
    expect(streams.checkIngestKey('a', a.ingest.key)).toBe(false);
  });

  it('attaches and detaches a feed, but never to an ended stream', () => {
    const { streams, changes } = registry();
    streams.create({ id: 'cam', title: 'Cam' });
    const [feed] = normalizeVideoInputs([{ id: 'cam', input: 'testsrc2', format: 'lavfi' }]);
    expect(streams.attachFeed('cam', feed!).source).toBe(feed);
    expect(streams.attachFeed('cam', null).source).toBeNull();
    const [other] = normalizeVideoInputs([{ id: 'other', input: 'testsrc2', format: 'lavfi' }]);
    expect(() => streams.attachFeed('cam', other!)).toThrow(TypeError);
    streams.end('cam');
    expect(() => streams.attachFeed('cam', feed!)).toThrow(StreamConflictError);
    expect(changes.filter(([kind]) => kind === 'feed')).toHaveLength(2);
  });

  it('logs a listener that throws and still tells the others', () => {
    const { streams, logger, changes } = registry();
    streams.on('change', () => {
      throw new Error('listener bug');
    });
    const after = vi.fn();
    streams.on('change', after);
    streams.create({ id: 'a', title: 'A' });
    expect(after).toHaveBeenCalledOnce();
    expect(changes).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledWith('a streams change listener threw', expect.any(Object));
  });
});

describe('StreamRegistry across instances', () => {
  it('keeps only a hash of each ingest key, which another registry can check keys with', () => {
    const { streams: here } = registry();
    const { streams: there, changes } = registry();
    const { stream, ingest } = here.create({ id: 'cam', title: 'Cam' });
    const hash = here.ingestKeyHash('cam');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(ingest.key);

    there.mirror({ kind: 'created', stream }, hash);
    expect(changes).toEqual([['created', 'cam', 'scheduled']]);
    expect(there.checkIngestKey('cam', ingest.key)).toBe(true);
    expect(there.checkIngestKey('cam', `${ingest.key}x`)).toBe(false);
    expect(there.streamForIngestKey(ingest.key)).toBe('cam');
    expect(here.checkIngestKey('cam', ingest.key)).toBe(true);
  });

  it('mirrors a change as it is, without status rules, and forgets a removed stream and its key', () => {
    const { streams: here } = registry();
    const { streams: there, changes } = registry();
    const { stream } = here.create({ id: 'cam', title: 'Cam' });
    there.mirror({ kind: 'created', stream }, here.ingestKeyHash('cam'));
    const ended = { ...stream, status: 'ended' as const, endedAt: 9 };
    there.mirror({ kind: 'ended', stream: ended });
    expect(there.get('cam')).toEqual(ended);
    there.mirror({ kind: 'removed', stream: ended });
    there.mirror({ kind: 'removed', stream: ended });
    expect(there.get('cam')).toBeUndefined();
    expect(there.ingestKeyHash('cam')).toBeNull();
    expect(changes.map(([kind]) => kind)).toEqual(['created', 'ended', 'removed']);
  });
});
