import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelFormat } from '../channel/output-format';
import type { FfmpegTools } from '../ffmpeg';
import { OnDemandRun, type RunReport } from '../lifecycle/on-demand-run';
import type { ResolvedHlsOptions } from '../options/hls-options';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isRealTime, type VideoSource } from '../source/video-source';
import type { HlsPackagerState, HlsPackagerStats } from '../stats';
import { AdaptivePackager, type Packager, type RunTimeline } from './adaptive-packager';
import { blockingReloadTimeoutMs, isTooFarAhead } from './delivery-directives';
import { LiveWindow } from './live-window';
import { masterPlaylist } from './master-playlist';
import { type PackagerLevel, packagerLevels } from './packager-levels';
import { PackagerRun, type PackagerRunConfig, type PackagerRunHandlers } from './packager-run';
import { HLS_AUDIO_KBPS, type HlsRendition, planRenditions } from './renditions';
import { planPackagerStart } from './start-plan';

/** What a packager uses of its adaptive run. */
type ChannelPackager = Pick<AdaptivePackager, 'process' | 'stop' | 'stats'>;

export interface HlsPackagerDeps {
  tools: FfmpegTools;
  source: VideoSource;
  options: ResolvedOptions;
  hls: ResolvedHlsOptions;
  /** The channel's output format (probed in the background for inputs that are not files). */
  format(): Promise<ChannelFormat>;
  /**
   * Starts one packager run (a packager restarts runs to change its level). Default: an ffmpeg `PackagerRun`;
   * tests hand in a fake.
   */
  startPackager?: (config: PackagerRunConfig, handlers: PackagerRunHandlers) => Packager;
}

export type PlaylistResult =
  | { kind: 'playlist'; text: string }
  | { kind: 'unknown-rendition' }
  | { kind: 'timeout' }
  /** A blocked reload asked for a media sequence number more than two past the newest (RFC 8216bis §6.2.5.2). */
  | { kind: 'too-far-ahead' }
  /** A blocked reload's segment was not listed within three target durations. */
  | { kind: 'not-yet' }
  | { kind: 'closed' };

/** What a run needs before it spawns. */
interface PackagerPlan {
  format: ChannelFormat;
  directory: string;
}

const POLL_MS = 50;
const SEGMENT_NAME = /^(?:seg-(\d{1,12})\.m4s|init-(\d{1,12})\.mp4)$/;

const startPackagerRun = (config: PackagerRunConfig, handlers: PackagerRunHandlers): Packager =>
  new PackagerRun(config, handlers);

/**
 * A channel's HLS output: ONE ffmpeg (however many players) started by the first playlist request, stopped
 * `hls.idleTimeoutMs` after the last HLS request, restarted with backoff when it dies (`OnDemandRun` does all of
 * that). The packager adds what is its own: the playlists, kept in one `LiveWindow` across runs and crashes so a
 * restart follows RFC 8216's rules for live playlists, and the temporary folder its files live in, which is
 * removed when it stops.
 */
export class HlsPackager {
  private readonly packager: OnDemandRun<PackagerPlan, ChannelPackager>;
  private directory: string | null = null;
  private renditions: HlsRendition[] = [];
  private levels: PackagerLevel[] = [];
  private master: string | null = null;
  /** Highest number each rendition has listed in this folder: what may be served from it. */
  private readonly listed = new Map<string, number>();
  /** Playlist requests waiting for the first segment: they hold the packager, however long the start takes. */
  private readonly waiters = new Set<(ready: boolean) => void>();
  /** Blocking playlist reloads waiting for a segment: they hold the packager too. */
  private blockedReloads = 0;
  private readonly window: LiveWindow;
  /** Channel time at media timestamp 0: the origin of the first run since the window was last empty. */
  private mediaOrigin: number | null = null;

  constructor(private readonly deps: HlsPackagerDeps) {
    const { options, hls, source } = deps;
    this.window = new LiveWindow({ windowSegments: hls.windowSegments, segmentSeconds: hls.segmentSeconds });
    this.packager = new OnDemandRun(
      {
        ...options,
        label: `HLS packager of "${source.id}"`,
        videoId: source.id,
        idleTimeoutMs: hls.idleTimeoutMs,
      },
      {
        held: () => this.waiters.size > 0 || this.blockedReloads > 0,
        prepare: (signal) => this.prepare(signal),
        spawn: (plan, report) => this.spawn(plan, report),
        halt: (run) => this.halt(run),
      },
    );
  }

  get id(): string {
    return this.deps.source.id;
  }

  get state(): HlsPackagerState {
    return this.packager.state;
  }

  /** A playlist request: starts the packager if it is idle and keeps it from idling out. */
  touch(): void {
    this.packager.want('a playlist request');
  }

  /** A segment request keeps a running packager alive but never starts one (its segments would be gone). */
  keepAlive(): void {
    this.packager.keepAlive();
  }

  /**
   * The master playlist (`rendition` null) or a rendition's, waiting up to `timeoutMs` for the first segment
   * of every rendition. A crashed run's segments stay listed while the next one starts: no wait then.
   * `msn` (a blocking reload's `_HLS_msn`) holds a rendition's playlist until it lists that media sequence number.
   */
  async playlist(
    rendition: string | null,
    timeoutMs: number,
    msn: number | null = null,
  ): Promise<PlaylistResult> {
    const listed = await this.listedSegments(Date.now() + timeoutMs);
    if (!listed) return this.packager.state === 'closed' ? { kind: 'closed' } : { kind: 'timeout' };
    if (rendition !== null && msn !== null) {
      this.blockedReloads++;
      try {
        const blocked = await this.blockUntilListed(msn);
        if (blocked !== null) return blocked;
      } finally {
        this.blockedReloads--;
        // Waiting was use: the idle timeout counts from the answer.
        this.packager.keepAlive();
      }
    }
    // The window has a playlist for every rendition of the ladder, and for none other.
    const text = rendition === null ? this.master : this.window.playlist(rendition);
    return text === null ? { kind: 'unknown-rendition' } : { kind: 'playlist', text };
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
    const run = this.packager.run;
    const encoding = run?.stats() ?? null;
    return {
      id: this.id,
      state: this.packager.state,
      running: run?.process.isRunning ?? false,
      pid: run?.process.pid ?? null,
      renditions: this.renditions.map((rendition) => rendition.name),
      lastSegment: this.lastSegment(),
      restarts: this.packager.restarts,
      lagMs: encoding?.lagMs ?? null,
      behind: encoding?.behind ?? false,
      output: encoding
        ? {
            level: encoding.level,
            preset: encoding.preset,
            renditions: encoding.encoding,
            changes: encoding.levelChanges,
          }
        : null,
    };
  }

  /** Ends ffmpeg, removes the folder, clears every timer; the packager never starts again. */
  close(): Promise<void> {
    return this.packager.close();
  }

  private lastSegment(): number | null {
    const numbers = [...this.listed.values()];
    return numbers.length > 0 ? Math.max(...numbers) : null;
  }

  /**
   * True once the window lists a segment; false when `deadline` passes first or the packager stops. A wake-up
   * can race a stop, so the window is checked again after each one.
   */
  private async listedSegments(deadline: number): Promise<boolean> {
    for (;;) {
      if (this.packager.state === 'closed') return false;
      if (!this.window.isEmpty) return true;
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.nextReady(left))) return false;
    }
  }

  /**
   * Null once the window lists media sequence number `msn`; else why not: too far ahead (at once), not within
   * three target durations, or the packager closed. A window cleared meanwhile (a stop) waits for the next run.
   */
  private async blockUntilListed(msn: number): Promise<PlaylistResult | null> {
    const deadline = Date.now() + blockingReloadTimeoutMs(this.window.targetDurationSec);
    let first = true;
    for (;;) {
      if (this.packager.state === 'closed') return { kind: 'closed' };
      const newest = this.window.newestSequence;
      if (newest !== null && newest >= msn) return null;
      if (first && newest !== null && isTooFarAhead(msn, newest)) return { kind: 'too-far-ahead' };
      first = false;
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'not-yet' };
      await this.window.whenAppended(left);
    }
  }

  /** Resolves true when a run becomes ready, false when `timeoutMs` passes first or the packager stops. */
  private nextReady(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = (ready: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(settle);
        // Waiting was use: the idle timeout counts from the answer.
        this.packager.keepAlive();
        resolve(ready);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiters.add(settle);
    });
  }

  private wakeWaiters(ready: boolean): void {
    for (const settle of [...this.waiters]) settle(ready);
  }

  /** The format, a folder (a restart keeps the one it has) and the renditions, planned afresh each run. */
  private async prepare(signal: AbortSignal): Promise<PackagerPlan> {
    const format = await this.deps.format();
    signal.throwIfAborted();
    if (this.directory === null) {
      const created = await mkdtemp(join(tmpdir(), `onair-hls-${this.id}-`));
      if (signal.aborted) await rm(created, { recursive: true, force: true });
      signal.throwIfAborted();
      this.directory = created;
    }
    const directory = this.directory;
    this.renditions = planRenditions(format, this.deps.hls.ladder);
    this.levels = packagerLevels(this.renditions);
    this.master = masterPlaylist(this.renditions);
    // A restart: the dead run's playlists must not be read as the new run's.
    await Promise.all(
      this.renditions.map(async (rendition) => {
        await mkdir(join(directory, rendition.name), { recursive: true });
        await rm(join(directory, rendition.name, 'index.m3u8'), { force: true });
      }),
    );
    return { format, directory };
  }

  private spawn({ format, directory }: PackagerPlan, report: RunReport): ChannelPackager {
    const { options, hls, source } = this.deps;
    return new AdaptivePackager(
      {
        levels: this.levels,
        // A live input cannot be restarted at will (a restart reconnects): it keeps its first level. Nor a
        // broadcast: each run re-reads it from its latest keyframe (a GOP decoded again, a discontinuity), and
        // the channel's decoder does not shed by restarting it either.
        adaptive: !isRealTime(source.kind),
        segmentMs: hls.segmentSeconds * 1000,
        now: () => Date.now() - options.epochMs,
        epochMs: options.epochMs,
        window: this.window,
        discard: (files) => this.discard(directory, files),
        startRun: (level, handlers) => this.startRun(format, directory, level, handlers),
        clearPlaylists: () => this.clearPlaylists(directory),
        onLevel: (level, output, reason) =>
          options.logger.info?.(
            `HLS packager of "${this.id}" ${reason} to level ${level}: ` +
              `${output.renditions.map((rendition) => rendition.name).join(', ')} at ${output.preset}`,
            { videoId: this.id },
          ),
      },
      {
        onReady: () => {
          if (!report.isCurrent()) return;
          report.running();
          this.wakeWaiters(true);
        },
        onSegment: (rendition, number) => {
          if (report.isCurrent())
            this.listed.set(rendition, Math.max(number, this.listed.get(rendition) ?? number));
        },
        onExit: report.exited,
      },
    );
  }

  /** One ffmpeg run at `level`, from the segment now on air and after every number listed so far. */
  private startRun(
    format: ChannelFormat,
    directory: string,
    level: PackagerLevel,
    handlers: PackagerRunHandlers,
  ): { run: Packager; timeline: RunTimeline } {
    const { options, hls, source, tools } = this.deps;
    const last = this.lastSegment();
    const plan = planPackagerStart(
      Date.now() - options.epochMs,
      hls.segmentSeconds,
      source.kind === 'file' ? format.durationSec : null,
      last === null ? 0 : last + 1,
    );
    const start = this.deps.startPackager ?? startPackagerRun;
    if (this.mediaOrigin === null || this.window.isEmpty) this.mediaOrigin = plan.originTime;
    const run = start(
      {
        ffmpegPath: tools.ffmpeg,
        timestampOffsetSec: (plan.originTime - this.mediaOrigin) / 1000,
        pollMs: POLL_MS,
        spec: {
          source,
          seekSec: plan.seekSec,
          fps: format.fps,
          audio: format.hasAudio,
          // Real-time inputs arrive at the clock's pace already.
          paced: !isRealTime(source.kind),
          catchUpSec: plan.catchUpSec,
          segmentSeconds: hls.segmentSeconds,
          windowSegments: hls.windowSegments,
          startNumber: plan.firstNumber,
          directory,
          rungs: level.renditions,
          audioKbps: HLS_AUDIO_KBPS,
          preset: level.preset,
        },
      },
      handlers,
    );
    return { run, timeline: { originTime: plan.originTime, firstNumber: plan.firstNumber } };
  }

  /** A stopped run's playlists go before the next run starts: its PackagerRun would read them as its own. */
  private async clearPlaylists(directory: string): Promise<void> {
    await Promise.all(
      this.renditions.map((rendition) => rm(join(directory, rendition.name, 'index.m3u8'), { force: true })),
    );
  }

  /**
   * Deletes a dead run's files once no playlist a player may hold lists them (a live run's ffmpeg deletes its
   * own). Best effort: a file left over goes with the folder.
   */
  private discard(directory: string, files: string[]): void {
    if (directory !== this.directory) return;
    for (const file of files) void rm(join(directory, file), { force: true }).catch(() => {});
  }

  /** Stops the run, then removes the folder once ffmpeg can no longer write to it. */
  private async halt(run: ChannelPackager | null): Promise<void> {
    this.wakeWaiters(false);
    const directory = this.directory;
    this.directory = null;
    this.listed.clear();
    this.window.clear();
    await run?.stop();
    if (directory !== null) await rm(directory, { recursive: true, force: true });
  }
}
