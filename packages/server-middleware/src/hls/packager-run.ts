import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ChildExit,
  type ChildStatus,
  type HlsPackageProcess,
  type HlsPackageSpec,
  KILL_GRACE_MS,
  spawnHlsPackageProcess,
  stopWithGrace,
} from '../ffmpeg';
import { shiftSegmentTimestamps, trackTimescales } from './fmp4-timestamps';
import { type MediaPlaylist, parseMediaPlaylist } from './media-playlist';

export interface PackagerRunConfig {
  ffmpegPath: string;
  spec: HlsPackageSpec;
  /**
   * Seconds added to every timestamp of the run's segments before they are listed (`shiftSegmentTimestamps`):
   * where the run starts on the media timeline of the runs before it. 0 leaves the files as ffmpeg wrote them.
   */
  timestampOffsetSec: number;
  /** How often ffmpeg's playlists are checked for a new segment. */
  pollMs: number;
}

export interface PackagerRunHandlers {
  /** A rendition listed a new segment (highest number listed so far). */
  onSegment(rendition: string, number: number): void;
  onExit(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

interface WatchedPlaylist {
  /** Changes on every rewrite: ffmpeg writes a temporary file and renames it over the playlist. */
  version: string;
  parsed: MediaPlaylist;
}

/**
 * One packager process, from spawn to exit, and the playlists it writes: polled (a few stat calls a tick) and
 * read when they change. They are not served as they are: `LiveWindow` builds the served ones from their
 * segments, across runs.
 */
export class PackagerRun {
  private readonly child: HlsPackageProcess;
  private readonly playlists = new Map<string, WatchedPlaylist>();
  /** Track timescales of each rendition's init section, read once. */
  private readonly timescales = new Map<string, Map<number, number>>();
  private readonly poller: NodeJS.Timeout;
  private polling = false;
  private stopRequested = false;

  constructor(
    private readonly config: PackagerRunConfig,
    private readonly handlers: PackagerRunHandlers,
  ) {
    this.child = spawnHlsPackageProcess(config.ffmpegPath, config.spec);
    this.poller = setInterval(() => void this.poll(), config.pollMs);
    void this.child.exited.then((exit) => {
      clearInterval(this.poller);
      handlers.onExit(exit, this.stopRequested, this.child.stderrTail());
    });
  }

  /** The packager's ffmpeg process, for stats. */
  get process(): ChildStatus {
    return this.child;
  }

  /** The segments ffmpeg lists for `rendition` now; null before its first. */
  listing(rendition: string): MediaPlaylist | null {
    return this.playlists.get(rendition)?.parsed ?? null;
  }

  /** Ends the process (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    clearInterval(this.poller);
    await stopWithGrace(this.child, KILL_GRACE_MS);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopRequested) return;
    this.polling = true;
    try {
      await Promise.all(this.config.spec.rungs.map((rung) => this.check(rung.name)));
    } finally {
      this.polling = false;
    }
  }

  private async check(rendition: string): Promise<void> {
    const path = join(this.config.spec.directory, rendition, 'index.m3u8');
    let version: string;
    let text: string;
    try {
      const info = await stat(path);
      version = `${info.ino}:${info.mtimeMs}:${info.size}`;
      if (this.playlists.get(rendition)?.version === version) return;
      text = await readFile(path, 'utf8');
    } catch {
      return; // Not written yet, or being replaced: the next tick sees it.
    }
    const parsed = parseMediaPlaylist(text);
    if (parsed === null || this.stopRequested) return;
    const previous = this.playlists.get(rendition)?.parsed.segments.at(-1)?.number ?? null;
    const fresh = parsed.segments.filter((segment) => previous === null || segment.number > previous);
    await this.shift(rendition, parsed.initUri, fresh);
    if (this.stopRequested) return;
    this.playlists.set(rendition, { version, parsed });
    const newest = parsed.segments.at(-1)?.number;
    if (newest !== undefined && newest !== previous) this.handlers.onSegment(rendition, newest);
  }

  /**
   * Moves the timestamps of segments not yet listed onto the channel's media timeline. Nothing serves them before
   * they are listed, and ffmpeg never writes a segment again once its playlist lists it. A file that cannot be
   * shifted stays as it is: its timestamps jump back, which the discontinuity before the run's first segment
   * still announces.
   */
  private async shift(
    rendition: string,
    initUri: string | null,
    segments: MediaPlaylist['segments'],
  ): Promise<void> {
    const offsetSec = this.config.timestampOffsetSec;
    if (offsetSec === 0 || initUri === null || segments.length === 0) return;
    const folder = join(this.config.spec.directory, rendition);
    try {
      let timescales = this.timescales.get(rendition);
      if (!timescales) {
        timescales = trackTimescales(await readFile(join(folder, initUri)));
        this.timescales.set(rendition, timescales);
      }
      for (const segment of segments) {
        const path = join(folder, segment.uri);
        const bytes = await readFile(path);
        shiftSegmentTimestamps(bytes, timescales, offsetSec);
        await writeFile(path, bytes);
      }
    } catch {
      // Best effort, as above.
    }
  }
}
