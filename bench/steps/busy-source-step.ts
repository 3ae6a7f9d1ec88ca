import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { ViewerFleet } from '../clients/viewer-fleet';
import { startServerChild } from '../infra/server-child';

export interface BusySourceWindow {
  /** Seconds since the measurement started, at the end of this window. */
  atS: number;
  fps: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** The channel's own figure at the window's end: channel clock − newest frame on air. */
  channelLagMs: number | null;
  outputLevel: number | null;
  outputFps: number | null;
  outputHeight: number | null;
  /** The decoder skips pictures on the last levels: `noref`, `nokey`. */
  outputSkipFrames: string | null;
}

export interface BusySourceResult {
  source: string;
  seconds: number;
  burners: number;
  viewers: number;
  windows: BusySourceWindow[];
  /** Over the whole measurement. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  fpsMedian: number;
  framesShed: number;
  encodesShed: number;
  outputChanges: number;
}

const SOURCE = { width: 1920, height: 1080, fps: 60, seconds: 20 };
const SOURCE_FILE = fileURLToPath(new URL('../results/sources/testsrc-1080p60.mp4', import.meta.url));
const WINDOW_MS = 10_000;

/** A 1080p60 test pattern with a tone, made once (ultrafast x264, ~20 s on two cores) and kept in bench/results. */
async function ensureHdSource(): Promise<string> {
  if (existsSync(SOURCE_FILE)) return SOURCE_FILE;
  await mkdir(new URL('../results/sources/', import.meta.url), { recursive: true });
  const partial = `${SOURCE_FILE}.partial-${process.pid}`;
  const size = `${SOURCE.width}x${SOURCE.height}`;
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${SOURCE.fps}`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(SOURCE.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', String(SOURCE.fps), '-c:a', 'aac', '-ac', '2', '-movflags', '+faststart', '-f', 'mp4', partial],
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(resolveFfmpegTools().ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`ffmpeg (1080p60 source) exited ${code}: ${stderr}`)),
      );
    });
    await rename(partial, SOURCE_FILE);
  } finally {
    await rm(partial, { force: true });
  }
  return SOURCE_FILE;
}

/** One busy loop per core, at the server's priority: the "busy 2-core server" of issue 9. */
function startBurners(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

/**
 * Issue 9's busy-server case: a 1920x1080 60 fps file served on a machine whose cores are already taken by
 * busy loops. The channel must stay at the live edge by shedding (frames, then output levels), not fall behind:
 * live latency (receive time − the frame's channel-clock timestamp, same machine) is read per frame by a few
 * headless viewers for `measureMs`, in 10 s windows, beside the channel's own lag and output level.
 */
export async function runBusySourceStep(measureMs: number, viewers = 5): Promise<BusySourceResult> {
  const source = await ensureHdSource();
  const server = await startServerChild(source, { heartbeatMs: 60_000 });
  const burners = startBurners(os.cpus().length);
  const fleet = new ViewerFleet(server.wsUrl, 'bench');
  try {
    await fleet.connect(viewers);
    await fleet.waitForFirstFrames(30_000);
    const windows: BusySourceWindow[] = [];
    const started = performance.now();
    while (performance.now() - started < measureMs) {
      fleet.startWindow();
      await sleep(WINDOW_MS);
      const window = fleet.endWindow();
      const { live } = await server.liveStats();
      const channel = live.channels[0];
      windows.push({
        atS: Math.round((performance.now() - started) / 1000),
        fps: window.fpsPerViewer[Math.floor(window.fpsPerViewer.length / 2)] ?? 0,
        latencyP50Ms: window.delays.percentile(50),
        latencyP95Ms: window.delays.percentile(95),
        latencyMaxMs: window.delays.percentile(100),
        channelLagMs: channel?.lagMs ?? null,
        outputLevel: channel?.output?.level ?? null,
        outputFps: channel?.output?.fps ?? null,
        outputHeight: channel?.output?.height ?? null,
        outputSkipFrames: channel?.output?.skipFrames ?? null,
      });
    }
    const { live } = await server.liveStats();
    const channel = live.channels[0];
    // Windows in which no frame arrived have no latency: they count in the fps, not in the latency figures.
    const finite = (pick: (w: BusySourceWindow) => number) =>
      windows
        .map(pick)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
    const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const worst = (pick: (w: BusySourceWindow) => number) => finite(pick).at(-1) ?? Number.NaN;
    const fpsSorted = windows.map((w) => w.fps).sort((a, b) => a - b);
    return {
      source: `${SOURCE.width}x${SOURCE.height} ${SOURCE.fps} fps testsrc2`,
      seconds: measureMs / 1000,
      burners: burners.length,
      viewers,
      windows,
      // Per-window percentiles: the whole run's p50 is the median window's, its p95 and max the worst window's.
      latencyP50Ms: median(finite((w) => w.latencyP50Ms)),
      latencyP95Ms: worst((w) => w.latencyP95Ms),
      latencyMaxMs: worst((w) => w.latencyMaxMs),
      fpsMedian: fpsSorted[Math.floor(fpsSorted.length / 2)] ?? 0,
      framesShed: channel?.framesShed ?? 0,
      encodesShed: channel?.encodesShed ?? 0,
      outputChanges: channel?.output?.changes ?? 0,
    };
  } finally {
    fleet.close();
    for (const burner of burners) burner.kill('SIGKILL');
    await server.stop();
  }
}
