import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { ChannelFormat } from '../channel/output-format';
import type { ResolvedHlsOptions } from '../options/hls-options';
import { resolveOptions } from '../options/live-stream-options';
import { normalizeVideoInputs, type VideoSource } from '../source/video-source';
import { HlsPackager } from './hls-packager';
import type { MediaPlaylist } from './media-playlist';
import type { PackagerRunConfig, PackagerRunHandlers } from './packager-run';

const [SOURCE] = normalizeVideoInputs(['/videos/clip.mp4']) as [VideoSource];
const FORMAT: ChannelFormat = { width: 640, height: 360, fps: 25, hasAudio: true, durationSec: 10 };
const HLS: ResolvedHlsOptions = {
  ladder: [240, 360],
  segmentSeconds: 1,
  windowSegments: 4,
  idleTimeoutMs: 1_000,
  firstSegmentTimeoutMs: 5_000,
};
const CRASH = { code: 1, signal: null, error: null };

interface FakeRun {
  config: PackagerRunConfig;
  handlers: PackagerRunHandlers;
  process: { pid: number; isRunning: boolean };
  listing(rendition: string): MediaPlaylist | null;
  stop: Mock<() => Promise<void>>;
  /** Every rendition lists segment `number`. */
  list(number: number): void;
}

/** Real file-system work runs between the test's steps (only the timers are fake): wait for it, in real time. */
async function until(condition: () => boolean): Promise<void> {
  const giveUpAt = performance.now() + 5_000;
  while (!condition() && performance.now() < giveUpAt) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

function setup(format: () => Promise<ChannelFormat> = async () => FORMAT) {
  const runs: FakeRun[] = [];
  const packager = new HlsPackager({
    tools: { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' },
    source: SOURCE,
    options: resolveOptions({ logger: false, restartDelayMs: 100 }),
    hls: HLS,
    format,
    startPackager: (config, handlers) => {
      const listings = new Map<string, MediaPlaylist>();
      const run: FakeRun = {
        config,
        handlers,
        process: { pid: 2_000 + runs.length, isRunning: true },
        listing: (rendition) => listings.get(rendition) ?? null,
        stop: vi.fn(async () => {
          run.process.isRunning = false;
        }),
        list: (number) => {
          for (const rung of config.spec.rungs) {
            const listing = listings.get(rung.name) ?? {
              targetDuration: 1,
              mediaSequence: number,
              initUri: `init-${config.spec.startNumber}.mp4`,
              segments: [],
            };
            listing.segments.push({ number, duration: 1, uri: `seg-${number}.m4s` });
            listings.set(rung.name, listing);
            handlers.onSegment(rung.name, number);
          }
        },
      };
      runs.push(run);
      return run;
    },
  });
  const started = async (count = 1) => {
    await until(() => runs.length === count);
    return runs[count - 1] as FakeRun;
  };
  return { packager, runs, started };
}

describe('HlsPackager', () => {
  const closing: HlsPackager[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(3_500);
  });
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((packager) => packager.close()));
    vi.useRealTimers();
  });

  function track(made: ReturnType<typeof setup>) {
    closing.push(made.packager);
    return made;
  }

  it('stays idle until a playlist request, then starts one run in a fresh folder, numbered from the epoch clock', async () => {
    const { packager, runs, started } = track(setup());
    packager.keepAlive();
    expect(packager.state).toBe('idle');

    packager.touch();
    packager.touch();
    expect(packager.state).toBe('starting');
    const run = await started();
    expect(runs).toHaveLength(1);
    const { spec } = run.config;
    expect(spec.rungs.map((rung) => rung.name)).toEqual(['240p', '360p']);
    expect(spec).toMatchObject({ startNumber: 3, seekSec: 3, fps: 25, audio: true, paced: true });
    expect(existsSync(join(spec.directory, '240p'))).toBe(true);
    expect(packager.stats()).toEqual({
      id: 'clip',
      state: 'starting',
      running: true,
      pid: 2_000,
      renditions: ['240p', '360p'],
      lastSegment: null,
      restarts: 0,
      lagMs: null,
      behind: false,
      output: { level: 0, preset: 'veryfast', renditions: ['240p', '360p'], changes: 0 },
    });
  });

  it('makes playlist requests wait for a segment of every rendition, then answers them', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const master = packager.playlist(null, 5_000);
    const rendition = packager.playlist('240p', 5_000);
    const run = await started();
    run.list(3);
    expect(await master).toEqual({ kind: 'playlist', text: expect.stringContaining('240p/index.m3u8') });
    expect(await rendition).toEqual({
      kind: 'playlist',
      text: expect.stringMatching(/^#EXTM3U\n[\s\S]*\nseg-3\.m4s\n$/),
    });
    expect(await packager.playlist('720p', 5_000)).toEqual({ kind: 'unknown-rendition' });
    expect(packager.stats()).toMatchObject({ state: 'running', lastSegment: 3 });
  });

  it('holds a blocking reload until its media sequence number is listed (RFC 8216bis §6.2.5.2)', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const first = packager.playlist('240p', 5_000);
    const run = await started();
    run.list(3);
    expect(await first).toMatchObject({ kind: 'playlist' });
    expect(await packager.playlist('240p', 5_000, 3)).toMatchObject({ kind: 'playlist' });

    let answer: unknown = null;
    void packager.playlist('240p', 5_000, 4).then((result) => {
      answer = result;
    });
    await vi.advanceTimersByTimeAsync(900);
    expect(answer).toBeNull();
    run.list(4);
    await until(() => answer !== null);
    expect(answer).toEqual({ kind: 'playlist', text: expect.stringMatching(/\nseg-4\.m4s\n$/) });
  });

  it('refuses a blocking reload more than two segments ahead, and lets one go after three target durations', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const first = packager.playlist('240p', 5_000);
    (await started()).list(3);
    await first;
    expect(await packager.playlist('240p', 5_000, 6)).toEqual({ kind: 'too-far-ahead' });
    const blocked = packager.playlist('240p', 5_000, 5);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await blocked).toEqual({ kind: 'not-yet' });
    // The master playlist has no media sequence: a directive on it is not a wait.
    expect(await packager.playlist(null, 5_000, 9)).toMatchObject({ kind: 'playlist' });
  });

  it('tells a request that waited firstSegmentTimeoutMs in vain to retry', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const answer = packager.playlist(null, 2_000);
    await started();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await answer).toEqual({ kind: 'timeout' });
  });

  it('is held by a waiting request past its idle timeout, however long the start takes', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const answer = packager.playlist(null, 5_000);
    const run = await started();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(packager.state).toBe('starting');
    expect(run.stop).not.toHaveBeenCalled();
    run.list(3);
    expect(await answer).toMatchObject({ kind: 'playlist' });
  });

  it('serves only segment and init files that a playlist has listed', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const run = await started();
    const { directory } = run.config.spec;
    expect(packager.segmentFile('240p', 'seg-3.m4s')).toBeNull();
    run.list(3);
    expect(packager.segmentFile('240p', 'seg-3.m4s')).toBe(join(directory, '240p', 'seg-3.m4s'));
    expect(packager.segmentFile('240p', 'init-3.mp4')).toBe(join(directory, '240p', 'init-3.mp4'));
    expect(packager.segmentFile('240p', 'seg-4.m4s')).toBeNull();
    expect(packager.segmentFile('720p', 'seg-3.m4s')).toBeNull();
    expect(packager.segmentFile('240p', 'index.m3u8')).toBeNull();
  });

  it('stops its run and removes its folder idleTimeoutMs after the last request; segment requests keep it alive', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const run = await started();
    run.list(3);
    await vi.advanceTimersByTimeAsync(600);
    packager.keepAlive();
    await vi.advanceTimersByTimeAsync(600);
    expect(packager.state).toBe('running');
    await vi.advanceTimersByTimeAsync(400);
    expect(packager.state).toBe('idle');
    expect(run.stop).toHaveBeenCalledOnce();
    await until(() => !existsSync(run.config.spec.directory));
    expect(packager.segmentFile('240p', 'seg-3.m4s')).toBeNull();
    expect(packager.stats()).toMatchObject({ running: false, pid: null, lastSegment: null });

    packager.touch();
    const next = await started(2);
    expect(next.config.spec.directory).not.toBe(run.config.spec.directory);
    expect(next.config.timestampOffsetSec).toBe(0);
    next.list(9);
    const answer = await packager.playlist('240p', 5_000);
    // The old window went with its folder; a player that held it sees unrelated timestamps.
    expect(answer).toEqual({
      kind: 'playlist',
      text: expect.stringContaining('#EXT-X-DISCONTINUITY-SEQUENCE:1\n'),
    });
    expect(answer).toEqual({ kind: 'playlist', text: expect.not.stringContaining('seg-3.m4s') });
  });

  it('restarts a failed run after the backoff, in the same folder, listed after the old one with a discontinuity', async () => {
    const { packager, started } = track(setup());
    packager.touch();
    const run = await started();
    run.list(5);
    run.handlers.onExit(CRASH, false, 'Conversion failed!');
    expect(packager.state).toBe('backoff');
    expect(packager.stats()).toMatchObject({ restarts: 1, running: false, pid: null });
    run.list(6);
    expect(packager.stats().lastSegment).toBe(5);
    // Meanwhile the crashed run's segments are served at once: no request waits on the restart.
    const during = await packager.playlist('360p', 0);
    expect(during).toEqual({ kind: 'playlist', text: expect.stringMatching(/\nseg-5\.m4s\n$/) });

    await vi.advanceTimersByTimeAsync(100);
    const next = await started(2);
    expect(next.config.spec.directory).toBe(run.config.spec.directory);
    expect(next.config.spec.startNumber).toBe(6);
    // Its timestamps go on from the crashed run's, on the channel clock (3 s started it, 6 s starts this one).
    expect(run.config.timestampOffsetSec).toBe(0);
    expect(next.config.timestampOffsetSec).toBe(3);
    expect(packager.segmentFile('240p', 'seg-5.m4s')).not.toBeNull();
    next.list(6);
    expect(await packager.playlist('360p', 0)).toEqual({
      kind: 'playlist',
      text: expect.stringMatching(
        /#EXT-X-MEDIA-SEQUENCE:5\n[\s\S]*\nseg-5\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-6\.mp4"\n[\s\S]*\nseg-6\.m4s\n$/,
      ),
    });
  });

  it('treats a format that cannot be probed as a failure, retried after the backoff', async () => {
    let calls = 0;
    const { packager, started } = track(
      setup(async () => {
        calls++;
        if (calls === 1) throw new Error('probe failed: Connection refused');
        return FORMAT;
      }),
    );
    packager.touch();
    await until(() => packager.state === 'backoff');
    expect(packager.stats().restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await started();
  });

  it('close() answers waiting requests, stops the run, removes its folder and never starts again', async () => {
    const { packager, runs, started } = track(setup());
    packager.touch();
    const answer = packager.playlist(null, 5_000);
    const run = await started();
    await packager.close();
    expect(await answer).toEqual({ kind: 'closed' });
    expect(run.stop).toHaveBeenCalledOnce();
    expect(existsSync(run.config.spec.directory)).toBe(false);
    expect(packager.state).toBe('closed');
    packager.touch();
    expect(await packager.playlist(null, 5_000)).toEqual({ kind: 'closed' });
    expect(runs).toHaveLength(1);
  });
});
