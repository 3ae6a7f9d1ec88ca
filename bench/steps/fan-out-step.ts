import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ViewerFleet } from '../clients/viewer-fleet';
import { cpuPercent, machineCpuPercent, sampleMachine } from '../infra/proc-stats';
import { ffmpegCpuPercent, ffmpegCpuSeconds, type ServerChild } from '../infra/server-child';
import { percentile } from '../infra/statistics';

/** The audio the fan-out's viewers ask for: PCM as old clients (and earlier tables), Opus as today's player. */
export type FanOutAudio = 'pcm' | 'opus';

export interface StepTiming {
  warmUpMs: number;
  measureMs: number;
  /** How long to wait for every viewer's first frame before warming up anyway. */
  firstFrameTimeoutMs: number;
}

export interface FanOutResult {
  viewers: number;
  /** With repeats: the p99 delay of every run of this size (the row is the median one). */
  delayP99MsRuns?: number[];
  /** Viewers that got at least one frame. */
  playing: number;
  fpsMedian: number;
  fpsP5: number;
  /** Server process (Node: WebSocket fan-out and the sharp JPEG encodes), % of one core. */
  serverCpuPercent: number;
  serverRssMb: number;
  serverLoopDelayP99Ms: number;
  ffmpegCpuPercent: number;
  /** Most ffmpeg processes the server ran at once during the window (counted in /proc). */
  ffmpegProcesses: number;
  /** From the server's stats at the end of the window: running decoders, and rungs being JPEG-encoded. */
  decoders: number;
  activeRungs: number[];
  /** Video frames the server skipped for these viewers since they connected (window or buffer full), %. */
  skippedPercent: number;
  fleetCpuPercent: number;
  fleetKernelCpuPercent: number;
  fleetLoopDelayP99Ms: number;
  /** Every process on the machine, % of one core (the ceiling is 100 × cores). */
  machineCpuPercent: number;
  delayP50Ms: number;
  delayP99Ms: number;
  timeToFirstFrameMedianMs: number;
  timeToFirstFrameP95Ms: number;
  meanFrameKb: number;
  /** Audio chunks received per viewer per second (the server sends 10 at the default 100 ms chunks). */
  audioChunksPerSecond: number;
  closedByServer: number;
  errors: Record<string, number>;
}

/** `count` viewers on the one channel: connect, warm up, then measure for a fixed window. */
export async function runFanOutStep(
  server: ServerChild,
  count: number,
  timing: StepTiming,
  audio: FanOutAudio = 'pcm',
): Promise<FanOutResult> {
  const fleet = new ViewerFleet(server.wsUrl, 'bench');
  const fleetLoopDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    await fleet.connect(count, audio === 'opus' ? { audioCodecs: ['opus', 'pcm'] } : {});
    await fleet.waitForFirstFrames(timing.firstFrameTimeoutMs);
    await sleep(timing.warmUpMs);

    await server.liveStats(); // resets the server's loop-delay histogram
    const serverBefore = server.sample();
    const machineBefore = sampleMachine();
    const ffmpegBefore = ffmpegCpuSeconds(server);
    fleetLoopDelay.enable();
    fleet.startWindow();
    let ffmpegProcesses = ffmpegBefore.size;
    for (let elapsed = 0; elapsed < timing.measureMs; elapsed += 1000) {
      await sleep(Math.min(1000, timing.measureMs - elapsed));
      ffmpegProcesses = Math.max(ffmpegProcesses, server.ffmpegProcesses().length);
    }
    const window = fleet.endWindow();
    fleetLoopDelay.disable();
    const serverAfter = server.sample();
    const machineAfter = sampleMachine();
    const ffmpegAfter = ffmpegCpuSeconds(server);
    const { live, loopDelay } = await server.liveStats();

    let sent = 0;
    let skipped = 0;
    for (const session of live.sessions) {
      sent += session.framesSent;
      skipped += session.framesSkipped;
    }
    const timesToFirstFrame = fleet.timesToFirstFrame();
    return {
      viewers: count,
      playing: timesToFirstFrame.length,
      fpsMedian: percentile(window.fpsPerViewer, 50),
      fpsP5: percentile(window.fpsPerViewer, 5),
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      serverRssMb: serverAfter.rssBytes / 2 ** 20,
      serverLoopDelayP99Ms: loopDelay.p99Ms,
      ffmpegCpuPercent: ffmpegCpuPercent(ffmpegBefore, ffmpegAfter, serverAfter.at - serverBefore.at),
      ffmpegProcesses,
      decoders: live.channels.filter((channel) => channel.decoder.running).length,
      activeRungs: live.channels.flatMap((channel) => channel.activeRungs),
      skippedPercent: sent + skipped ? (skipped / (sent + skipped)) * 100 : 0,
      fleetCpuPercent: window.fleetCpuPercent,
      fleetKernelCpuPercent: window.fleetKernelCpuPercent,
      fleetLoopDelayP99Ms: fleetLoopDelay.percentile(99) / 1e6,
      machineCpuPercent: machineCpuPercent(machineBefore, machineAfter, os.cpus().length),
      delayP50Ms: window.delays.percentile(50),
      delayP99Ms: window.delays.percentile(99),
      timeToFirstFrameMedianMs: percentile(timesToFirstFrame, 50),
      timeToFirstFrameP95Ms: percentile(timesToFirstFrame, 95),
      meanFrameKb: window.meanFrameBytes / 1024,
      audioChunksPerSecond: window.audioChunksPerSecond,
      closedByServer: fleet.closedByServer(),
      errors: Object.fromEntries(fleet.errorSummary()),
    };
  } finally {
    fleetLoopDelay.disable();
    fleet.close();
  }
}
