import type { AudioCodec } from '@onair/protocol';
import { DelayHistogram, sortedCopy } from '../infra/statistics';
import { BenchViewer, type MeasureWindow } from './bench-viewer';

export interface FleetWindowResult {
  seconds: number;
  viewers: number;
  /** Video frames per second each viewer received in the window, sorted. */
  fpsPerViewer: number[];
  delays: DelayHistogram;
  audioChunksPerSecond: number;
  /** Mean JPEG payload size over the window, in bytes. */
  meanFrameBytes: number;
  fleetCpuPercent: number;
  /** The part of it spent in the kernel (system time): receiving the bytes, mostly. */
  fleetKernelCpuPercent: number;
}

/**
 * Many headless viewers in this one process, all watching the same channel. Sockets are opened in small
 * batches: a thousand SYNs at once would measure the listen backlog, not the server.
 */
export class ViewerFleet {
  readonly viewers: BenchViewer[] = [];
  private readonly window: MeasureWindow = { active: false, delays: new DelayHistogram() };
  private windowStartedAt = 0;
  private cpuAtWindowStart = process.cpuUsage();

  constructor(
    private readonly url: string,
    private readonly videoId: string,
  ) {}

  async connect(
    count: number,
    options: { stalled?: boolean; batchSize?: number; audioCodecs?: readonly AudioCodec[] } = {},
  ): Promise<void> {
    const batchSize = options.batchSize ?? 50;
    for (let opened = 0; opened < count; opened += batchSize) {
      for (let i = opened; i < Math.min(count, opened + batchSize); i++) {
        const viewer = new BenchViewer({
          url: this.url,
          videoId: this.videoId,
          stalled: options.stalled ?? false,
          window: this.window,
          ...(options.audioCodecs ? { audioCodecs: options.audioCodecs } : {}),
        });
        this.viewers.push(viewer);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Resolves when every viewer has its first frame (or has closed), or after `timeoutMs`. */
  async waitForFirstFrames(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.viewers.map((viewer) => viewer.firstFrame)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Seconds from socket open to the first video frame, per viewer that got one, sorted. */
  timesToFirstFrame(): number[] {
    return sortedCopy(
      this.viewers.filter((viewer) => viewer.hasFrame).map((viewer) => viewer.firstFrameAt - viewer.openedAt),
    );
  }

  startWindow(): void {
    for (const viewer of this.viewers) viewer.resetWindow();
    this.window.delays = new DelayHistogram();
    this.window.active = true;
    this.windowStartedAt = performance.now();
    this.cpuAtWindowStart = process.cpuUsage();
  }

  endWindow(): FleetWindowResult {
    this.window.active = false;
    const seconds = (performance.now() - this.windowStartedAt) / 1000;
    const cpu = process.cpuUsage(this.cpuAtWindowStart);
    let frames = 0;
    let bytes = 0;
    let audioChunks = 0;
    for (const viewer of this.viewers) {
      frames += viewer.framesInWindow;
      bytes += viewer.videoBytesInWindow;
      audioChunks += viewer.audioChunksInWindow;
    }
    return {
      seconds,
      viewers: this.viewers.length,
      fpsPerViewer: sortedCopy(this.viewers.map((viewer) => viewer.framesInWindow / seconds)),
      delays: this.window.delays,
      audioChunksPerSecond: audioChunks / this.viewers.length / seconds,
      meanFrameBytes: frames ? bytes / frames : 0,
      fleetCpuPercent: ((cpu.user + cpu.system) / 1e3 / (seconds * 1000)) * 100,
      fleetKernelCpuPercent: (cpu.system / 1e3 / (seconds * 1000)) * 100,
    };
  }

  /** Distinct error messages the viewers saw, with how many viewers saw each. */
  errorSummary(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const viewer of this.viewers) {
      for (const error of new Set(viewer.errors)) counts.set(error, (counts.get(error) ?? 0) + 1);
    }
    return counts;
  }

  closedByServer(): number {
    return this.viewers.filter((viewer) => viewer.closedByServer).length;
  }

  close(): void {
    for (const viewer of this.viewers) viewer.close();
    this.viewers.length = 0;
  }
}
