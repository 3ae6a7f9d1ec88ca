import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptivePackager, type AdaptivePackagerHandlers } from './adaptive-packager';
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
  isReady: boolean;
  stopped: boolean;
  /** Every rendition of the run lists segment `number`; the first listing makes it ready. */
  list(number: number): void;
}

function setup() {
  const runs: FakeRun[] = [];
  const handlers = {
    onReady: vi.fn<AdaptivePackagerHandlers['onReady']>(),
    onSegment: vi.fn<AdaptivePackagerHandlers['onSegment']>(),
    onExit: vi.fn<AdaptivePackagerHandlers['onExit']>(),
  };
  const clearPlaylists = vi.fn(async () => {});
  const packager = new AdaptivePackager(
    {
      levels: LEVELS,
      adaptive: true,
      segmentMs: SEGMENT_MS,
      now: () => Date.now(),
      clearPlaylists,
      startRun: (level, runHandlers) => {
        const playlists = new Map<string, string>();
        const index = runs.length;
        const run: FakeRun = {
          level,
          handlers: runHandlers,
          isReady: false,
          stopped: false,
          list: (number) => {
            for (const rendition of level.renditions) {
              playlists.set(rendition.name, `run ${index} ${rendition.name} ${number}`);
              runHandlers.onSegment(rendition.name, number);
            }
            if (!run.isReady) {
              run.isReady = true;
              runHandlers.onReady();
            }
          },
        };
        runs.push(run);
        // Segment n covers [n s, n + 1 s): a run started now begins with the segment on air.
        const firstNumber = Math.floor(Date.now() / SEGMENT_MS);
        return {
          run: {
            process: { pid: index, isRunning: true },
            get isReady() {
              return run.isReady;
            },
            playlist: (name) => playlists.get(name) ?? null,
            playlistFromSibling: (name) => (playlists.has(name) ? `sibling ${playlists.get(name)}` : null),
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

  it('restarts faster when behind, serving the old playlists until the new run is ready', async () => {
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
    expect(packager.playlist('360p')).toBe('run 0 360p 100');
    second.list(110);
    expect(packager.playlist('360p')).toBe('run 1 360p 110');
    expect(packager.stats()).toMatchObject({ level: 1, preset: 'ultrafast', levelChanges: 1 });
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
    expect(packager.playlist('240p')).toBe('run 2 240p 112');
    expect(packager.playlist('360p')).toBe('sibling run 2 240p 112');
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
