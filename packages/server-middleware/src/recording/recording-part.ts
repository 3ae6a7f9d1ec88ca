import { Transform } from 'node:stream';
import type { FfmpegTools } from '../ffmpeg/binaries';
import {
  type ChildExit,
  KILL_GRACE_MS,
  type SupervisedChild,
  spawnSupervised,
  stopWithGrace,
} from '../ffmpeg/supervised-child';
import type { LiveFeed } from '../source/live-feed';
import { recordPartArgs } from './recording-args';

/** How long ffmpeg has to write a part's end (cues, duration) once its input ended, before it is stopped. */
const FINISH_GRACE_MS = 10_000;

/**
 * One part of a recording: one ffmpeg run copying a feed's container from its stdin into `path`. It starts at
 * the feed's latest keyframe (the feed's reader gives init, then the GOP cache) and runs until the feed ends its
 * reader (the broadcast ended, or started over on a new container), `finish()` ends its input, or ffmpeg dies.
 * Counts the bytes it was given and when the first and last came, for the recording's size and length so far.
 */
export class RecordingPart {
  bytes = 0;
  firstByteAt: number | null = null;
  lastByteAt: number | null = null;
  readonly exited: Promise<ChildExit>;
  private readonly child: SupervisedChild;
  private readonly input: Transform;
  private readonly closeReader: () => void;
  private finishTimer: NodeJS.Timeout | null = null;

  constructor(
    tools: FfmpegTools,
    feed: LiveFeed,
    readonly path: string,
    now: () => number = Date.now,
  ) {
    this.input = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.bytes += chunk.length;
        this.lastByteAt = now();
        this.firstByteAt ??= this.lastByteAt;
        done(null, chunk);
      },
    });
    this.input.on('error', () => {});
    // Attached before the spawn, as the decoder's feed input is: the reader queues init and cache synchronously.
    const reader = feed.attach(this.input);
    this.closeReader = () => reader.close();
    const spawned = spawnSupervised(tools.ffmpeg, recordPartArgs(feed.container, path), [
      'pipe',
      'ignore',
      'pipe',
    ]);
    this.child = spawned.child;
    if (spawned.input) this.input.pipe(spawned.input);
    else this.input.resume();
    this.exited = this.child.exited.then((exit) => {
      if (this.finishTimer) clearTimeout(this.finishTimer);
      this.closeReader();
      this.input.unpipe();
      this.input.destroy();
      return exit;
    });
  }

  get pid(): number | null {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.child.isRunning;
  }

  stderrTail(): string {
    return this.child.stderrTail();
  }

  /** Media time the part holds, about: from its first byte to its last. */
  get durationMs(): number {
    return this.firstByteAt === null || this.lastByteAt === null ? 0 : this.lastByteAt - this.firstByteAt;
  }

  /**
   * Ends ffmpeg's input so it writes the file's end and exits (what waits in the reader is dropped); stopped if
   * it has not exited `FINISH_GRACE_MS` later. Resolves once it exited.
   */
  finish(): Promise<ChildExit> {
    if (this.child.isRunning && this.finishTimer === null) {
      this.closeReader();
      if (!this.input.writableEnded) this.input.end();
      this.finishTimer = setTimeout(() => void stopWithGrace(this.child, KILL_GRACE_MS), FINISH_GRACE_MS);
      this.finishTimer.unref();
    }
    return this.exited;
  }
}
