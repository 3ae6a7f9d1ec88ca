import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelFormat } from '../channel/output-format';
import { describeExit, type FfmpegTools } from '../ffmpeg';
import { RestartBackoff } from '../lifecycle/restart-backoff';
import type { ResolvedOptions } from '../options';
import type { VideoSource } from '../source/video-source';
import type { HlsPackagerState, HlsPackagerStats } from '../stats';
import type { ResolvedHlsOptions } from './hls-options';
import { masterPlaylist } from './master-playlist';
import { PackagerRun } from './packager-run';
import { HLS_AUDIO_KBPS, type HlsRendition, planRenditions } from './renditions';
import { planPackagerStart } from './start-plan';

export interface HlsPackagerDeps {
  tools: FfmpegTools;
  source: VideoSource;
  options: ResolvedOptions;
  hls: ResolvedHlsOptions;
  /** The channel's output format (probed in the background for inputs that are not files). */
  format(): Promise<ChannelFormat>;
}

export type PlaylistResult =
  | { kind: 'playlist'; text: string }
  | { kind: 'unknown-rendition' }
  | { kind: 'timeout' }
  | { kind: 'closed' };

// A run that has delivered segments this long is healthy again: its next failure restarts at the first delay.
const HEALTHY_AFTER_MS = 10_000;
const POLL_MS = 50;
const SEGMENT_NAME = /^(?:seg-(\d{1,12})\.m4s|init-(\d{1,12})\.mp4)$/;

/**
 * A channel's HLS output: ONE ffmpeg (however many players) started by the first playlist request, stopped
 * `hls.idleTimeoutMs` after the last HLS request, restarted with backoff when it dies. Its files live in a
 * temporary folder that is removed when it stops.
 */
export class HlsPackager {
  private stateValue: HlsPackagerState = 'idle';
  private run: PackagerRun | null = null;
  private directory: string | null = null;
  private renditions: HlsRendition[] = [];
  private master: string | null = null;
  /** Highest number each rendition has listed in this folder: what may be served from it. */
  private readonly listed = new Map<string, number>();
  private readonly waiters = new Set<(ready: boolean) => void>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly backoff: RestartBackoff;
  private lastRequestAt = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private startAttempt = 0;
  private runStartedAt = 0;
  private runsStarted = 0;
  private restarts = 0;

  constructor(private readonly deps: HlsPackagerDeps) {
    this.backoff = new RestartBackoff(deps.options.restartDelayMs, deps.options.maxRestartDelayMs);
  }

  get id(): string {
    return this.deps.source.id;
  }

  get state(): HlsPackagerState {
    return this.stateValue;
  }

  /** A playlist request: starts the packager if it is idle and keeps it from idling out. */
  touch(): void {
    if (this.stateValue === 'closed') return;
    this.lastRequestAt = Date.now();
    if (this.stateValue === 'idle') this.start();
    this.armIdleTimer();
  }

  /** A segment request keeps a running packager alive but never starts one (its segments would be gone). */
  keepAlive(): void {
    if (this.stateValue !== 'idle' && this.stateValue !== 'closed') this.lastRequestAt = Date.now();
  }

  /**
   * The master playlist (`rendition` null) or a rendition's, waiting up to `timeoutMs` for the first segment
   * of every rendition (also across a restart).
   */
  async playlist(rendition: string | null, timeoutMs: number): Promise<PlaylistResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.isClosed()) return { kind: 'closed' };
      const run = this.run;
      if (run?.isReady) {
        if (rendition === null && this.master !== null) return { kind: 'playlist', text: this.master };
        if (rendition !== null && !this.renditions.some((known) => known.name === rendition)) {
          return { kind: 'unknown-rendition' };
        }
        const text = rendition === null ? null : run.playlist(rendition);
        if (text !== null) return { kind: 'playlist', text };
      }
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.whenReady(left))) {
        return this.isClosed() ? { kind: 'closed' } : { kind: 'timeout' };
      }
    }
  }

  /** Absolute path of a segment or init file that a playlist has listed; null for anything else. */
  segmentFile(rendition: string, fileName: string): string | null {
    const match = SEGMENT_NAME.exec(fileName);
    const highest = this.listed.get(rendition);
    if (!match || highest === undefined || this.directory === null) return null;
    const number = Number(match[1] ?? match[2]);
    // Unlisted numbers may be a segment ffmpeg is still writing: never serve a partial file.
    return number <= highest ? join(this.directory, rendition, fileName) : null;
  }

  stats(): HlsPackagerStats {
    const numbers = [...this.listed.values()];
    return {
      id: this.id,
      state: this.stateValue,
      running: this.run?.process.isRunning ?? false,
      pid: this.run?.process.pid ?? null,
      renditions: this.renditions.map((rendition) => rendition.name),
      lastSegment: numbers.length > 0 ? Math.max(...numbers) : null,
      restarts: this.restarts,
    };
  }

  /** Ends ffmpeg, removes the folder, clears every timer; the packager never starts again. */
  async close(): Promise<void> {
    this.stateValue = 'closed';
    await this.halt();
    await Promise.all(this.stopping);
  }

  private isClosed(): boolean {
    return this.stateValue === 'closed';
  }

  private whenReady(timeoutMs: number): Promise<boolean> {
    if (this.run?.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(settle);
        resolve(ready);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiters.add(settle);
    });
  }

  private wakeWaiters(ready: boolean): void {
    for (const settle of [...this.waiters]) settle(ready);
  }

  private armIdleTimer(): void {
    if (this.idleTimer !== null) return;
    const check = () => {
      this.idleTimer = null;
      // A request still waiting for the first segment is activity too, however long the start takes.
      if (this.waiters.size > 0) this.lastRequestAt = Date.now();
      const idleFor = Date.now() - this.lastRequestAt;
      if (idleFor >= this.deps.hls.idleTimeoutMs) {
        // Idle at once, not when ffmpeg has exited: a request arriving meanwhile starts a fresh packager.
        this.stateValue = 'idle';
        void this.halt();
      } else {
        this.idleTimer = setTimeout(check, this.deps.hls.idleTimeoutMs - idleFor);
      }
    };
    this.idleTimer = setTimeout(check, this.deps.hls.idleTimeoutMs);
  }

  private start(): void {
    this.stateValue = 'starting';
    const attempt = ++this.startAttempt;
    this.launch(attempt).catch((error: Error) => {
      if (attempt === this.startAttempt && this.stateValue === 'starting') this.fail(error.message, '');
    });
  }

  private async launch(attempt: number): Promise<void> {
    const current = () => attempt === this.startAttempt && this.stateValue === 'starting';
    const format = await this.deps.format();
    if (!current()) return;
    if (this.directory === null) {
      const created = await mkdtemp(join(tmpdir(), `onair-hls-${this.id}-`));
      if (!current()) {
        await rm(created, { recursive: true, force: true });
        return;
      }
      this.directory = created;
    }
    const directory = this.directory;
    this.renditions = planRenditions(format, this.deps.hls.ladder);
    this.master = masterPlaylist(this.renditions);
    // A restart: the dead run's playlists must not be read as the new run's.
    await Promise.all(
      this.renditions.map(async (rendition) => {
        await mkdir(join(directory, rendition.name), { recursive: true });
        await rm(join(directory, rendition.name, 'index.m3u8'), { force: true });
      }),
    );
    if (!current()) return;
    this.spawn(format, directory);
  }

  private spawn(format: ChannelFormat, directory: string): void {
    const { options, hls, source, tools } = this.deps;
    const numbers = [...this.listed.values()];
    const plan = planPackagerStart(
      Date.now() - options.epochMs,
      hls.segmentSeconds,
      source.kind === 'file' ? format.durationSec : null,
      numbers.length > 0 ? Math.max(...numbers) + 1 : 0,
    );
    const discontinuitySequence = this.runsStarted++;
    this.runStartedAt = Date.now();
    const run: PackagerRun = new PackagerRun(
      {
        ffmpegPath: tools.ffmpeg,
        originUnixMs: options.epochMs + plan.originTime,
        discontinuitySequence,
        pollMs: POLL_MS,
        spec: {
          source,
          seekSec: plan.seekSec,
          fps: format.fps,
          audio: format.hasAudio,
          paced: source.kind !== 'live',
          catchUpSec: plan.catchUpSec,
          segmentSeconds: hls.segmentSeconds,
          windowSegments: hls.windowSegments,
          startNumber: plan.firstNumber,
          directory,
          rungs: this.renditions,
          audioKbps: HLS_AUDIO_KBPS,
        },
      },
      {
        onReady: () => {
          if (this.run !== run) return;
          this.stateValue = 'running';
          this.wakeWaiters(true);
        },
        onSegment: (rendition, number) => {
          if (this.run !== run) return;
          this.listed.set(rendition, Math.max(number, this.listed.get(rendition) ?? number));
        },
        onExit: (exit, requested, stderr) => {
          if (this.run !== run) return;
          this.run = null;
          if (!requested && this.stateValue !== 'closed') this.fail(describeExit(exit), stderr);
        },
      },
    );
    this.run = run;
  }

  private fail(reason: string, stderr: string): void {
    this.restarts++;
    if (Date.now() - this.runStartedAt > HEALTHY_AFTER_MS) this.backoff.reset();
    const delay = this.backoff.next();
    this.deps.options.logger.warn(
      `HLS packager of "${this.id}" failed, restarting in ${delay} ms: ${reason}`,
      {
        videoId: this.id,
        stderr,
      },
    );
    this.stateValue = 'backoff';
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stateValue !== 'backoff') return;
      if (Date.now() - this.lastRequestAt < this.deps.hls.idleTimeoutMs) this.start();
      else {
        this.stateValue = 'idle';
        void this.halt();
      }
    }, delay);
  }

  /** Stops whatever runs, then removes the folder once ffmpeg can no longer write to it. */
  private async halt(): Promise<void> {
    for (const timer of [this.idleTimer, this.restartTimer]) if (timer) clearTimeout(timer);
    this.idleTimer = null;
    this.restartTimer = null;
    this.startAttempt++;
    this.wakeWaiters(false);
    const run = this.run;
    const directory = this.directory;
    this.run = null;
    this.directory = null;
    this.listed.clear();
    const stopped = (async () => {
      await run?.stop();
      if (directory !== null) await rm(directory, { recursive: true, force: true });
    })();
    this.stopping.add(stopped);
    await stopped;
    this.stopping.delete(stopped);
  }
}
