import type { ChildExit, ChildStatus } from '../ffmpeg';
import type { LiveWindow, SegmentFile } from './live-window';
import type { MediaPlaylist } from './media-playlist';
import {
  type PackagerControllerSettings,
  PackagerLevelController,
  packagerControllerSettings,
} from './packager-level-controller';
import type { PackagerLevel } from './packager-levels';
import type { PackagerRun, PackagerRunHandlers } from './packager-run';

/** What the adaptive packager uses of one packager run. */
export type Packager = Pick<PackagerRun, 'process' | 'listing' | 'stop'>;

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
  /** Unix ms of channel time 0. */
  epochMs: number;
  /** The channel's playlists, which outlive this packager (a crash restarts it): segments are committed here. */
  window: LiveWindow;
  /** Deletes files (`rendition/name`) of dead runs that no playlist lists any more. */
  discard(files: string[]): void;
  /** Starts one ffmpeg run at `level`, placed on the timeline after every segment listed so far. */
  startRun(level: PackagerLevel, handlers: PackagerRunHandlers): { run: Packager; timeline: RunTimeline };
  /** Removes the playlists a stopped run left in the folder, so the next run's are not mistaken for them. */
  clearPlaylists(): Promise<void>;
  controller?: PackagerControllerSettings;
  tickMs?: number;
  onLevel?: (level: number, output: PackagerLevel, reason: 'down' | 'up' | 'resync') => void;
}

export interface AdaptivePackagerHandlers {
  /** A run has committed its first segment (the first run, and each after a level change). */
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
  /** Newest segment number of this run in the window; null before the first. */
  committed: number | null;
  /** Has committed a segment. */
  ready: boolean;
}

/**
 * A channel's HLS encoding across levels: one `PackagerRun` at a time, restarted with a faster preset or fewer
 * renditions when its newest segment falls more than two segment durations behind the clock
 * (`PackagerLevelController` decides), and back up after a hold.
 *
 * A restart stops the old run first (the CPU is short already), then starts the new one on the live edge. Each
 * segment every encoded rendition has listed is committed to the channel's `LiveWindow`, which keeps the old
 * run's segments listed until the new run's replace them, so nobody waits on a request; a rendition the level
 * does not encode gets the highest encoded one's files.
 */
export class AdaptivePackager {
  private current: Run;
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

  /** True once any run has committed a segment: there is always a playlist to serve from then on. */
  get isReady(): boolean {
    return !this.config.window.isEmpty;
  }

  /** `rendition`'s playlist, across runs; null for a rendition outside the ladder. */
  playlist(rendition: string): string | null {
    return this.config.window.playlist(rendition);
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
    this.current = this.start(level);
  }

  private start(level: number): Run {
    const run: Run = {
      packager: null as unknown as Packager,
      level,
      timeline: { originTime: 0, firstNumber: 0 },
      newest: new Map(),
      committed: null,
      ready: false,
    };
    const started = this.config.startRun(this.levelOf(run), {
      onSegment: (rendition, number) => {
        if (this.stopped || run !== this.current) return;
        run.newest.set(rendition, number);
        this.handlers.onSegment(rendition, number);
        this.commit(run);
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

  /**
   * Commits to the window every segment that all renditions of `run` have listed, in order. A rendition listing
   * a segment before its siblings waits for them (ffmpeg writes them within a poll of each other), so every
   * rendition's playlist gets the same segments with the same media sequence numbers.
   */
  private commit(run: Run): void {
    const encoded = this.levelOf(run).renditions;
    const listings = new Map(
      encoded.map((rendition) => [rendition.name, run.packager.listing(rendition.name)]),
    );
    const newest = Math.min(...encoded.map((rendition) => run.newest.get(rendition.name) ?? -1));
    const top = encoded.at(-1);
    const lead = top === undefined ? null : listings.get(top.name);
    if (!lead) return;
    const full = this.config.levels[0]?.renditions ?? encoded;
    const { originTime, firstNumber } = run.timeline;
    for (const { number } of lead.segments) {
      if (number > newest || (run.committed !== null && number <= run.committed)) continue;
      const files = this.filesOf(number, full, listings, top?.name ?? '');
      run.committed = number;
      // Only a segment that slid out of a rendition's listing between two polls is missing: it is skipped.
      if (files === null) continue;
      const expired = this.config.window.append({
        run: firstNumber,
        number,
        programDateTime: this.config.epochMs + originTime + (number - firstNumber) * this.config.segmentMs,
        files,
      });
      if (expired.length > 0) this.config.discard(expired);
      if (!run.ready) {
        run.ready = true;
        this.handlers.onReady();
      }
    }
  }

  /** Segment `number`'s file for every rendition of the ladder; null when a listing no longer has it. */
  private filesOf(
    number: number,
    ladder: readonly { name: string }[],
    listings: ReadonlyMap<string, MediaPlaylist | null>,
    top: string,
  ): Map<string, SegmentFile> | null {
    const files = new Map<string, SegmentFile>();
    for (const rendition of ladder) {
      // A rendition this level sheds gets the highest encoded one's files.
      const folder = listings.has(rendition.name) ? rendition.name : top;
      const listing = listings.get(folder);
      const segment = listing?.segments.find((entry) => entry.number === number);
      if (!listing?.initUri || !segment) return null;
      files.set(rendition.name, {
        folder,
        name: segment.uri,
        initName: listing.initUri,
        duration: segment.duration,
      });
    }
    return files;
  }
}
