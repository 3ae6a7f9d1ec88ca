import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptivePackager, type AdaptivePackagerHandlers } from './adaptive-packager';
import { LiveWindow } from './live-window';
import type { MediaPlaylist } from './media-playlist';
import { type PackagerLevel, packagerLevels } from './packager-levels';
import type { PackagerRunHandlers } from './packager-run';
import { planRenditions } from './renditions';

const SEGMENT_MS = 1_000;
const LEVELS = packagerLevels(
  planRenditions({ width: 640, height: 360, fps: 25, hasAudio: true }, [240, 360]),
);

interface FakeRun {
  level: PackagerLevel;
  handlers: PackagerRunHandlers;
  stopped: boolean;
  /** `renditions` (default every one of the run) list segment `number`. */
  list(number: number, renditions?: string[]): void;
}

function setup() {
  const runs: FakeRun[] = [];
  const handlers = {
    onReady: vi.fn<AdaptivePackagerHandlers['onReady']>(),
    onSegment: vi.fn<AdaptivePackagerHandlers['onSegment']>(),
    onExit: vi.fn<AdaptivePackagerHandlers['onExit']>(),
  };
  const clearPlaylists = vi.fn(async () => {});
  const window = new LiveWindow({ windowSegments: 4, segmentSeconds: SEGMENT_MS / 1000 });
  const packager = new AdaptivePackager(
    {
      levels: LEVELS,
      adaptive: true,
      segmentMs: SEGMENT_MS,
      now: () => Date.now(),
      clearPlaylists,
      epochMs: 0,
      window,
      discard: () => {},
      startRun: (level, runHandlers) => {
        const index = runs.length;
        // Segment n covers [n s, n + 1 s): a run started now begins with the segment on air.
        const firstNumber = Math.floor(Date.now() / SEGMENT_MS);
        const listings = new Map<string, MediaPlaylist>();
        const run: FakeRun = {
          level,
          handlers: runHandlers,
          stopped: false,
          list: (number, renditions = level.renditions.map((rendition) => rendition.name)) => {
            for (const name of renditions) {
              const listing = listings.get(name) ?? {
                targetDuration: 1,
                mediaSequence: number,
                initUri: `init-${firstNumber}.mp4`,
                segments: [],
              };
              listing.segments.push({ number, duration: 1, uri: `seg-${number}.m4s` });
              listings.set(name, listing);
              runHandlers.onSegment(name, number);
            }
          },
        };
        runs.push(run);
        return {
          run: {
            process: { pid: index, isRunning: true },
            listing: (name) => listings.get(name) ?? null,
            stop: async () => {
              run.stopped = true;
            },
          },
          timeline: { originTime: firstNumber * SEGMENT_MS, firstNumber },
        };
      },
    },
    handlers,
  );
  return { packager, runs, handlers, clearPlaylists };
}

describe('AdaptivePackager', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(100_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures the lag of the newest segment every rendition has, and stays while on time', async () => {
    const { packager, runs, handlers } = setup();
    const [run] = runs as [FakeRun];
    expect(packager.stats()).toMatchObject({ lagMs: null, level: 0, preset: 'veryfast' });
    for (let second = 101; second <= 130; second++) {
      await vi.advanceTimersByTimeAsync(1_000);
      run.list(second - 1); // segment n is complete when its second has passed
    }
    expect(handlers.onReady).toHaveBeenCalledOnce();
    expect(packager.stats()).toMatchObject({ lagMs: 0, behind: false, level: 0, levelChanges: 0 });
    expect(runs).toHaveLength(1);
  });

  it('restarts faster when behind, keeping the old run listed before the new run after a discontinuity', async () => {
    const { packager, runs, clearPlaylists } = setup();
    const [first] = runs as [FakeRun];
    first.list(100);
    // No new segment while the clock runs on: over two segments behind from 103 s.
    await vi.advanceTimersByTimeAsync(2_500);
    expect(packager.stats()).toMatchObject({ lagMs: 1_500, behind: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(packager.stats()).toMatchObject({ lagMs: 2_500, behind: true, level: 0 });
    // Judged once the first run's settle time (3 segments + 2 s) has passed.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(first.stopped).toBe(true);
    expect(clearPlaylists).toHaveBeenCalled();
    expect(runs).toHaveLength(2);
    const second = runs[1] as FakeRun;
    expect(second.level.preset).toBe('ultrafast');
    expect(packager.isReady).toBe(true);
    expect(packager.playlist('360p')).toMatch(/\nseg-100\.m4s\n$/);
    second.list(110);
    expect(packager.playlist('360p')).toMatch(
      /\nseg-100\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-105\.mp4"\n.*\n.*\nseg-110\.m4s\n$/,
    );
    expect(packager.stats()).toMatchObject({ level: 1, preset: 'ultrafast', levelChanges: 1 });
  });

  it('commits a segment once every rendition of the run has listed it, in every rendition at once', () => {
    const { packager, runs, handlers } = setup();
    const [run] = runs as [FakeRun];
    run.list(100, ['360p']);
    expect(packager.isReady).toBe(false);
    expect(handlers.onReady).not.toHaveBeenCalled();
    run.list(100, ['240p']);
    run.list(101, ['240p']);
    expect(handlers.onReady).toHaveBeenCalledOnce();
    for (const rendition of ['240p', '360p']) {
      expect(packager.playlist(rendition)).toMatch(/#EXT-X-MEDIA-SEQUENCE:100\n[\s\S]*\nseg-100\.m4s\n$/);
    }
  });

  it('serves a shed rendition from the highest one still encoded', async () => {
    const { packager, runs } = setup();
    for (let level = 0; level < 2; level++) {
      // Never a segment: down a level each settle time.
      await vi.advanceTimersByTimeAsync(6_000);
    }
    const third = runs[2] as FakeRun;
    expect(third.level.renditions.map((rendition) => rendition.name)).toEqual(['240p']);
    third.list(112);
    expect(packager.playlist('240p')).toMatch(/\n#EXT-X-MAP:URI="init-\d+\.mp4"\n[\s\S]*\nseg-112\.m4s\n$/);
    expect(packager.playlist('360p')).toMatch(
      /\n#EXT-X-MAP:URI="\.\.\/240p\/init-\d+\.mp4"\n[\s\S]*\n\.\.\/240p\/seg-112\.m4s\n$/,
    );
    expect(packager.playlist('1080p')).toBeNull();
  });

  it('ends as a whole when its run crashes, and ignores exits it asked for', async () => {
    const { packager, runs, handlers } = setup();
    const crash = { code: 1, signal: null, error: null };
    runs[0]?.handlers.onExit(crash, true, '');
    expect(handlers.onExit).not.toHaveBeenCalled();
    runs[0]?.handlers.onExit(crash, false, 'x264 died');
    expect(handlers.onExit).toHaveBeenCalledWith(crash, false, 'x264 died');
    expect(vi.getTimerCount()).toBe(0);
    await packager.stop();
  });
});
