import { describe, expect, it } from 'vitest';
import {
  type BroadcastFanOutResult,
  type BroadcastLatencyResult,
  broadcastFanOutTable,
  broadcastLatencyTable,
  fpsFigures,
  latencyFigures,
} from './broadcast-figures';
import { TIME_MODULO } from './time-code';

describe('latencyFigures', () => {
  it('times each frame read against the clock it carries', () => {
    const drawn = 1_764_614_400_000;
    // 100 frames drawn 33 ms apart, shown 200 ms later, but every tenth 900 ms later.
    const frames = Array.from({ length: 100 }, (_, index) => {
      const at = drawn + index * 33;
      return [at + (index % 10 === 9 ? 900 : 200), at % TIME_MODULO] as const;
    });
    expect(latencyFigures(frames, 4)).toEqual({
      frames: 100,
      fps: 25,
      p50Ms: 200,
      p95Ms: 900,
      maxMs: 900,
      minMs: 200,
    });
  });

  it('has no figures without frames', () => {
    expect(latencyFigures([], 10)).toMatchObject({ frames: 0, fps: 0, p50Ms: Number.NaN, maxMs: Number.NaN });
  });
});

describe('fpsFigures', () => {
  it('gives the worst viewer, the tenth percentile, the median and the count under 25 fps', () => {
    const fps = [30, 29.9, 24, 30, 12, 30, 29.5, 30, 30, 30];
    expect(fpsFigures(fps)).toEqual({ fpsMin: 12, fpsP10: 12, fpsMedian: 30, under25: 2 });
  });
});

describe('the broadcast tables', () => {
  it('has a row per path and a row per stream', () => {
    const latency: BroadcastLatencyResult = {
      instances: 2,
      size: '1280x720',
      seconds: 15,
      frames: 420,
      unread: 3,
      fps: 28,
      drawnFps: 30,
      p50Ms: 310,
      p95Ms: 480,
      maxMs: 700,
      minMs: 250,
      firstFrameMs: 2400,
      level: '720p',
    };
    expect(broadcastLatencyTable([latency]).split('\n')[2]).toBe(
      '| A → Redis → B | 1280x720 | 15 | 420 (3) | 28.0 | 30.0 | 310 | 480 | 700 | 250 | 2.4 s | 720p |',
    );
    const fanOut: BroadcastFanOutResult = {
      seconds: 15,
      size: '1280x720',
      recorded: null,
      streams: [
        {
          id: 'cast-1',
          viewers: 50,
          playing: 50,
          fpsMin: 24.5,
          fpsP10: 27,
          fpsMedian: 29.9,
          under25: 1,
          inputFps: 30,
          framesShed: 4,
          encodesShed: 0,
          framesSkipped: 10,
          outputChanges: 1,
          outputLevel: '0',
          rung: '720p',
          delayP50Ms: 120,
          delayP99Ms: 400,
        },
      ],
      serverCpuPercent: 80,
      ffmpegCpuPercent: 60,
      fleetCpuPercent: 10,
      chromiumCpuPercent: 40,
      machineCpuPercent: 190,
    };
    const lines = broadcastFanOutTable(fanOut).split('\n');
    expect(lines[2]).toBe(
      '| cast-1 | 50 (50) | 24.5 | 27.0 | 29.9 | 1 | 30.0 | 720p | 4 | 0 | 10 | 0 (1) | 120 / 400 ms |',
    );
    expect(lines.at(-1)).toContain(
      'server 80, its ffmpeg 60, viewers 10, Chromium (broadcasters) 40, machine 190',
    );
    expect(lines.at(-1)).toMatch(/^A Chromium page broadcast each stream on the same machine\./);
    const replayed = broadcastFanOutTable({
      ...fanOut,
      recorded: { seconds: 53, frames: 1570, fps: 29.7, canvasFps: 30 },
    }).split('\n');
    expect(replayed.at(-1)).toMatch(
      /^Each stream fed one browser broadcast recorded alone before \(53 s, 1570 frames: 29\.7 fps; its canvas drew 30\.0 fps\)/,
    );
  });
});
