import { cpuPercent } from './proc-stats';
import type { ServerChild } from './server-child';
import { percentile } from './statistics';
import { ViewerFleet } from './viewer-fleet';

export interface StepTiming {
  warmUpMs: number;
  measureMs: number;
  /** How long to wait for every viewer's first frame before warming up anyway. */
  firstFrameTimeoutMs: number;
}

export interface FanOutResult {
  viewers: number;
  /** Viewers that got at least one frame. */
  playing: number;
  fpsMedian: number;
  fpsP5: number;
  serverCpuPercent: number;
  serverRssMb: number;
  ffmpegCpuPercent: number;
  /** Most ffmpeg processes the server ran at once during the window. */
  ffmpegProcesses: number;
  fleetCpuPercent: number;
  delayP50Ms: number;
  delayP99Ms: number;
  timeToFirstFrameMedianMs: number;
  timeToFirstFrameP95Ms: number;
  meanFrameKb: number;
  audioChunksPerSecond: number;
  closedByServer: number;
  errors: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ffmpegCpuSeconds(server: ServerChild): Map<number, number> {
  return new Map(server.ffmpegProcesses().map((process) => [process.pid, process.cpuSeconds]));
}

/** `count` viewers on the one channel: connect, warm up, then measure for a fixed window. */
export async function runFanOutStep(
  server: ServerChild,
  count: number,
  timing: StepTiming,
): Promise<FanOutResult> {
  const fleet = new ViewerFleet(server.wsUrl, 'bench');
  try {
    await fleet.connect(count);
    await fleet.waitForFirstFrames(timing.firstFrameTimeoutMs);
    await sleep(timing.warmUpMs);

    const serverBefore = server.sample();
    const ffmpegBefore = ffmpegCpuSeconds(server);
    fleet.startWindow();
    let ffmpegProcesses = ffmpegBefore.size;
    for (let elapsed = 0; elapsed < timing.measureMs; elapsed += 1000) {
      await sleep(Math.min(1000, timing.measureMs - elapsed));
      ffmpegProcesses = Math.max(ffmpegProcesses, server.ffmpegProcesses().length);
    }
    const window = fleet.endWindow();
    const serverAfter = server.sample();
    const ffmpegAfter = ffmpegCpuSeconds(server);

    let ffmpegSeconds = 0;
    for (const [pid, seconds] of ffmpegAfter) ffmpegSeconds += seconds - (ffmpegBefore.get(pid) ?? 0);
    const timesToFirstFrame = fleet.timesToFirstFrame();
    return {
      viewers: count,
      playing: timesToFirstFrame.length,
      fpsMedian: percentile(window.fpsPerViewer, 50),
      fpsP5: percentile(window.fpsPerViewer, 5),
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      serverRssMb: serverAfter.rssBytes / 2 ** 20,
      ffmpegCpuPercent: (ffmpegSeconds / (serverAfter.at - serverBefore.at)) * 100,
      ffmpegProcesses,
      fleetCpuPercent: window.fleetCpuPercent,
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
    fleet.close();
  }
}
