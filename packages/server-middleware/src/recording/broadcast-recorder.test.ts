import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveFfmpegTools } from '../ffmpeg/binaries';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import { broadcastMedia } from '../ingest/broadcast-media.fixture';
import { BroadcastRecorder } from './broadcast-recorder';

const folders: string[] = [];
function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'onair-recorder-test-'));
  folders.push(made);
  return join(made, 'cam');
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const logger = () => ({ error: vi.fn(), warn: vi.fn(), info: vi.fn() });

afterEach(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

describe('BroadcastRecorder', () => {
  it('writes a part per container run and joins them into one file when finished', async () => {
    const media = broadcastMedia('webm', 3, 30);
    const feed = new BroadcastFeed({ container: 'webm' });
    const where = folder();
    const recorder = new BroadcastRecorder('cam', where, feed, {
      tools: resolveFfmpegTools(),
      logger: logger(),
      probeTimeoutMs: 10_000,
    });
    expect(recorder.info()).toEqual({ state: 'recording', bytes: 0, durationSec: null });
    feed.push(media);
    // The feed holds back what it cannot split yet (the last block), so a little less than all of it.
    const most = media.length * 0.9;
    await until(() => recorder.info().bytes >= most, 'the first run to take the media');
    const first = recorder.info().bytes;
    // The broadcaster reconnects with a new container: the first part ends, the second waits for it.
    feed.restart();
    await until(() => recorder.stats().parts === 2, 'the second part');
    feed.push(media);
    await until(() => recorder.info().bytes >= first + most, 'the second run to take the media');
    feed.end();
    const joined = await recorder.finish();
    expect(recorder.state).toBe('ready');
    expect(joined?.durationSec).toBeGreaterThan(5);
    expect(joined?.durationSec).toBeLessThan(7);
    expect(readdirSync(where)).toEqual(['recording.mkv']);
    expect(recorder.info()).toEqual({
      state: 'ready',
      bytes: joined?.bytes,
      durationSec: joined?.durationSec,
    });
  }, 60_000);

  it('records an RTMP broadcast (H.264 and AAC in FLV) as it is', async () => {
    const media = broadcastMedia('flv', 3, 30);
    const feed = new BroadcastFeed({ container: 'flv' });
    const recorder = new BroadcastRecorder('studio', folder(), feed, {
      tools: resolveFfmpegTools(),
      logger: logger(),
      probeTimeoutMs: 10_000,
    });
    feed.push(media);
    await until(() => recorder.info().bytes >= media.length * 0.9, 'the run to take the media');
    feed.end();
    const joined = await recorder.finish();
    expect(recorder.state).toBe('ready');
    expect(joined?.durationSec).toBeGreaterThan(2);
    expect(joined?.durationSec).toBeLessThan(4);
  }, 60_000);

  it('fails without throwing when ffmpeg cannot run, and keeps nothing it did not write', async () => {
    const feed = new BroadcastFeed({ container: 'webm' });
    const log = logger();
    const recorder = new BroadcastRecorder('cam', folder(), feed, {
      tools: { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' },
      logger: log,
      probeTimeoutMs: 1_000,
    });
    feed.push(broadcastMedia('webm', 1, 30));
    expect(await recorder.finish()).toBeNull();
    expect(recorder.state).toBe('failed');
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('failed'), expect.any(Object));
    await recorder.stop();
  }, 30_000);
});
