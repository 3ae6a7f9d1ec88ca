import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import { resolveOptions } from '../options/live-stream-options';
import { broadcastSource } from '../source/video-source';
import { StreamRegistry } from '../streams/stream-registry';
import { Recordings } from './recordings';

// ffmpeg that cannot run: these tests are about which streams record and when, not about the files.
const tools = { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' };
const folders: string[] = [];

function setUp(record: boolean) {
  const recordingsDir = mkdtempSync(join(tmpdir(), 'onair-recordings-test-'));
  folders.push(recordingsDir);
  const logger = { error: vi.fn(), warn: vi.fn() };
  const registry = new StreamRegistry(logger);
  const replay = vi.fn();
  const changed = vi.fn();
  const options = resolveOptions({ record, recordingsDir, logger });
  const recordings = new Recordings({ registry, tools, options, replay, changed });
  const feedStream = (id: string) =>
    registry.attachFeed(
      id,
      broadcastSource({ id, title: id, feed: new BroadcastFeed({ container: 'webm' }) }),
    );
  return { registry, recordings, replay, changed, feedStream };
}

afterEach(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

describe('Recordings', () => {
  it('records a fed broadcast when its stream asks, or when it does not say and the option is on', async () => {
    for (const option of [false, true]) {
      const { registry, recordings, feedStream } = setUp(option);
      registry.create({ id: 'yes', title: 'Yes', record: true });
      registry.create({ id: 'no', title: 'No', record: false });
      registry.create({ id: 'unsaid', title: 'Unsaid' });
      expect(recordings.info('yes')).toBeNull();
      for (const id of ['yes', 'no', 'unsaid']) feedStream(id);
      expect(recordings.info('yes')).toMatchObject({ state: 'recording' });
      expect(recordings.info('no')).toBeNull();
      expect(recordings.info('unsaid') !== null).toBe(option);
      await recordings.close();
    }
  });

  it('records a stream mirrored from another instance whose feed comes with its start or its creation', async () => {
    // Another instance's hub record can bring the relayed feed together with the status (`started`), or a whole
    // live stream at once to an instance that joins late (`created`): both record, as a local `feed` does.
    const { registry, recordings } = setUp(true);
    const feed = () => new BroadcastFeed({ container: 'webm' });
    registry.create({ id: 'started', title: 'Started', record: true });
    const scheduled = registry.get('started');
    if (!scheduled) throw new Error('created above');
    const source = broadcastSource({ id: 'started', title: 'Started', feed: feed() });
    registry.mirror({ kind: 'started', stream: { ...scheduled, status: 'live', source } });
    expect(recordings.info('started')).toMatchObject({ state: 'recording' });
    const joined = { ...scheduled, id: 'joined', status: 'live' as const, record: true };
    registry.mirror({
      kind: 'created',
      stream: { ...joined, source: broadcastSource({ id: 'joined', title: 'Joined', feed: feed() }) },
    });
    expect(recordings.info('joined')).toMatchObject({ state: 'recording' });
    // A change that keeps the same feed (a title edited) goes on in the same recording.
    registry.mirror({ kind: 'feed', stream: { ...scheduled, status: 'live', source, title: 'Renamed' } });
    expect(recordings.stats().filter((entry) => entry.streamId === 'started')).toHaveLength(1);
    await recordings.close();
  });

  it('records no stream that reads an ffmpeg input', async () => {
    const { registry, recordings } = setUp(true);
    registry.create({ id: 'bars', title: 'Bars', input: { input: 'testsrc2', format: 'lavfi' } });
    registry.start('bars');
    expect(recordings.stats()).toEqual([]);
    await recordings.close();
  });

  it('tells the catalog, replays nothing when no file could be made, and forgets a removed stream', async () => {
    const { registry, recordings, replay, changed, feedStream } = setUp(true);
    registry.create({ id: 'cam', title: 'Cam' });
    registry.start('cam');
    feedStream('cam');
    expect(changed).toHaveBeenCalledOnce();
    registry.end('cam');
    await vi.waitFor(() => expect(recordings.info('cam')?.state).toBe('failed'), { timeout: 10_000 });
    expect(changed).toHaveBeenCalledTimes(2);
    expect(replay).not.toHaveBeenCalled();
    registry.remove('cam');
    expect(recordings.info('cam')).toBeNull();
    await recordings.close();
  });
});
