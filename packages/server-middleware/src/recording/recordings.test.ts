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
