import type { ChildExit, ChildStatus } from '../ffmpeg';
import {
  type PackagerControllerSettings,
  PackagerLevelController,
  packagerControllerSettings,
} from './packager-level-controller';
import type { PackagerLevel } from './packager-levels';
import type { PackagerRun, PackagerRunHandlers } from './packager-run';

/** What the adaptive packager uses of one packager run. */
export type Packager = Pick<PackagerRun, 'process' | 'isReady' | 'playlist' | 'playlistFromSibling' | 'stop'>;

/** Where a run sits on the channel's timeline: segment n ends at `originTime + (n − firstNumber + 1) × S`. */
export interface RunTimeline {
  originTime: number;
  firstNumber: number;
}

export interface AdaptivePackagerConfig {
  /** Full output first (`packagerLevels`). */
  levels: readonly PackagerLevel[];
  /** False: one run at level 0, never judged nor restarted (live inputs: a restart reconnects). */
  adaptive: boolean;
  segmentMs: number;
  /** The channel clock. */
  now: () => number;
  /** Starts one ffmpeg run at `level`, placed on the timeline after every segment listed so far. */
  startRun(level: PackagerLevel, handlers: PackagerRunHandlers): { run: Packager; timeline: RunTimeline };
  /** Removes the playlists a stopped run left in the folder, so the next run's are not mistaken for them. */
  clearPlaylists(): Promise<void>;
  controller?: PackagerControllerSettings;
  tickMs?: number;
  onLevel?: (level: number, output: PackagerLevel, reason: 'down' | 'up' | 'resync') => void;
}

export interface AdaptivePackagerHandlers {
  /** A run has a segment in every rendition it encodes (the first run, and each after a level change). */
  onReady(): void;
  onSegment(rendition: string, number: number): void;
  /** A run ended on its own (a crash): the packager as a whole is over. */
  onExit(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

export interface AdaptivePackagerStats {
  /** Channel clock now − end of the newest segment every encoded rendition has, ms; null before the first. */
  lagMs: number | null;
  /** More than two segment durations behind. */
  behind: boolean;
  level: number;
  preset: PackagerLevel['preset'];
  /** Renditions encoded now (the others are served from the highest of these). */
  encoding: string[];
  levelChanges: number;
}

interface Run {
  packager: Packager;
  level: number;
  timeline: RunTimeline;
  /** Newest segment number each rendition of this run has listed. */
  newest: Map<string, number>;
}

/**
 * A channel's HLS encoding across levels: one `PackagerRun` at a time, restarted with a faster preset or fewer
 * renditions when its newest segment falls more than two segment durations behind the clock
 * (`PackagerLevelController` decides), and back up after a hold.
 *
 * A restart stops the old run first (the CPU is short already), then starts the new one on the live edge. Until
 * the new run has a segment in every rendition, players get the old run's last playlists, so nobody waits on a
 * request; a rendition the level does not encode is answered with the highest one it does.
 */
export class AdaptivePackager {
  private current: Run;
  /** The run before a restart, whose playlists are served until the current one is ready. */
  private previous: Run | null = null;
  private readonly controller: PackagerLevelController;
  private readonly ticker: NodeJS.Timeout;
  private restarting = false;
  private stopped = false;
  private changes = 0;

  constructor(
    private readonly config: AdaptivePackagerConfig,
    private readonly handlers: AdaptivePackagerHandlers,
  ) {
    this.controller = new PackagerLevelController(
      config.levels.length,
      config.now(),
      config.controller ?? packagerControllerSettings(config.segmentMs),
    );
    this.current = this.start(0);
    this.ticker = setInterval(() => this.judge(), config.tickMs ?? 500);
    if (!config.adaptive) clearInterval(this.ticker);
  }

  get process(): ChildStatus {
    return this.current.packager.process;
  }

  /** True once any run has been ready: there is always a playlist to serve from then on. */
  get isReady(): boolean {
    return this.current.packager.isReady || this.previous !== null;
  }

  /** `rendition`'s playlist: from the current run once it is ready, else from the run before it. */
  playlist(rendition: string): string | null {
    const run = this.current.packager.isReady || this.previous === null ? this.current : this.previous;
    const encoded = this.levelOf(run).renditions;
    if (encoded.some((entry) => entry.name === rendition)) return run.packager.playlist(rendition);
    const full = this.config.levels[0]?.renditions ?? [];
    const top = encoded.at(-1);
    if (!top || !full.some((entry) => entry.name === rendition)) return null;
    return run.packager.playlistFromSibling(top.name);
  }

  stats(): AdaptivePackagerStats {
    const lagMs = this.lagMs();
    const level = this.levelOf(this.current);
    return {
      lagMs: lagMs === null ? null : Math.round(lagMs),
      behind: this.controller.isBehind(lagMs),
      level: this.current.level,
      preset: level.preset,
      encoding: level.renditions.map((rendition) => rendition.name),
      levelChanges: this.changes,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    await this.current.packager.stop();
  }

  private levelOf(run: Run): PackagerLevel {
    return this.config.levels[run.level] ?? (this.config.levels[0] as PackagerLevel);
  }

  private lagMs(): number | null {
    const run = this.current;
    const encoded = this.levelOf(run).renditions;
    if (encoded.length === 0 || encoded.some((rendition) => !run.newest.has(rendition.name))) return null;
    const newest = Math.min(...run.newest.values());
    const end = run.timeline.originTime + (newest - run.timeline.firstNumber + 1) * this.config.segmentMs;
    return this.config.now() - end;
  }

  private judge(): void {
    if (this.stopped || this.restarting) return;
    const level = this.controller.decide(this.config.now(), this.lagMs());
    if (level === null) return;
    this.changes++;
    const from = this.current.level;
    this.config.onLevel?.(
      level,
      this.config.levels[level] as PackagerLevel,
      level > from ? 'down' : level < from ? 'up' : 'resync',
    );
    void this.restart(level);
  }

  private async restart(level: number): Promise<void> {
    this.restarting = true;
    const old = this.current;
    await old.packager.stop();
    if (!this.stopped) await this.config.clearPlaylists();
    this.restarting = false;
    if (this.stopped) return;
    if (old.packager.isReady) this.previous = old;
    this.current = this.start(level);
  }

  private start(level: number): Run {
    const run: Run = {
      packager: null as unknown as Packager,
      level,
      timeline: { originTime: 0, firstNumber: 0 },
      newest: new Map(),
    };
    const started = this.config.startRun(this.levelOf(run), {
      onReady: () => {
        if (this.stopped || run !== this.current) return;
        this.previous = null;
        this.handlers.onReady();
      },
      onSegment: (rendition, number) => {
        if (this.stopped || run !== this.current) return;
        run.newest.set(rendition, number);
        this.handlers.onSegment(rendition, number);
      },
      onExit: (exit, requested, stderrTail) => {
        if (this.stopped || requested || run !== this.current) return;
        this.stopped = true;
        clearInterval(this.ticker);
        this.handlers.onExit(exit, false, stderrTail);
      },
    });
    run.packager = started.run;
    run.timeline = started.timeline;
    return run;
  }
}
