import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingInfo, RecordingState } from '@onair/protocol';
import type { FfmpegTools } from '../ffmpeg/binaries';
import { type ChildExit, describeExit, type SupervisedChild } from '../ffmpeg/supervised-child';
import type { LiveStreamLogger } from '../options/logger';
import type { LiveFeed } from '../source/live-feed';
import type { RecordingStats } from '../stats';
import { type JoinedRecording, joinRecording } from './recording-join';
import { RecordingPart } from './recording-part';

/** Once the stream ended, how long the ingest has to end the feed (and so the part's input) before we do. */
const FEED_END_GRACE_MS = 3_000;
/** A part that failed (ffmpeg died, or had nothing to record) is followed by the next one after this, doubled. */
const RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export interface BroadcastRecorderDeps {
  tools: FfmpegTools;
  logger: LiveStreamLogger;
  probeTimeoutMs: number;
  now?: () => number;
}

/**
 * One stream's recording (issue 13 item 5): its broadcast copied, as it arrives, into Matroska files in its own
 * folder, then joined into one file to replay once the stream ended.
 *
 * A part is one ffmpeg run (`RecordingPart`). When the broadcast starts over on a new container (a broadcaster
 * that reconnects, a new RTMP publish) the feed ends the part's input and the next part starts on the new
 * container: parts, rather than one file, because the new container's codec settings may differ and a copy
 * cannot change them mid-file. A part whose ffmpeg dies is kept (all its closed clusters are in it) and the next
 * one starts at the feed's latest keyframe. When the stream ends, the parts are joined into `recording.mkv`
 * (`joinRecording`), whose duration and cues are whole even when a part's run was killed.
 */
export class BroadcastRecorder {
  private readonly parts: RecordingPart[] = [];
  private part: RecordingPart | null = null;
  private stateValue: RecordingState = 'recording';
  private finishing = false;
  private stopped = false;
  private failures = 0;
  private nextPart: NodeJS.Timeout | null = null;
  private feedEndTimer: NodeJS.Timeout | null = null;
  private joiner: SupervisedChild | null = null;
  private joined: JoinedRecording | null = null;
  private finished: Promise<JoinedRecording | null> | null = null;
  private readonly now: () => number;

  constructor(
    readonly streamId: string,
    readonly folder: string,
    private feed: LiveFeed,
    private readonly deps: BroadcastRecorderDeps,
  ) {
    this.now = deps.now ?? Date.now;
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      this.stateValue = 'failed';
      deps.logger.error(`recording of stream "${streamId}": cannot create its folder`, { streamId, error });
      return;
    }
    this.startPart();
  }

  get state(): RecordingState {
    return this.stateValue;
  }

  info(): RecordingInfo {
    if (this.joined) {
      return { state: this.stateValue, bytes: this.joined.bytes, durationSec: this.joined.durationSec };
    }
    const bytes = this.parts.reduce((sum, part) => sum + part.bytes, 0);
    const ms = this.parts.reduce((sum, part) => sum + part.durationMs, 0);
    return { state: this.stateValue, bytes, durationSec: bytes > 0 ? ms / 1000 : null };
  }

  stats(): RecordingStats {
    return { streamId: this.streamId, ...this.info(), parts: this.parts.length, pid: this.part?.pid ?? null };
  }

  /** The stream is fed by another feed now: the part on the old one ends, the next records the new one. */
  switchFeed(feed: LiveFeed): void {
    if (feed === this.feed) return;
    this.feed = feed;
    void this.part?.finish();
  }

  /**
   * The stream ended: the last part ends with the feed (or `FEED_END_GRACE_MS` later), then the parts are joined.
   * Resolves with the recording's file, or null when none could be made (the parts then stay, and the state is
   * `failed`).
   */
  finish(): Promise<JoinedRecording | null> {
    if (this.finished) return this.finished;
    this.finishing = true;
    if (this.stateValue !== 'failed') this.stateValue = 'finishing';
    this.cancelNextPart();
    const part = this.part;
    if (part) {
      this.feedEndTimer = setTimeout(() => void part.finish(), FEED_END_GRACE_MS);
      this.feedEndTimer.unref();
    }
    this.finished = (async () => {
      if (part) await part.exited;
      if (this.feedEndTimer) clearTimeout(this.feedEndTimer);
      if (this.stopped || this.stateValue === 'failed') return null;
      return this.join();
    })();
    return this.finished;
  }

  /**
   * Stops without joining (the server closes, the stream was removed): the running part's file is ended cleanly,
   * a join under way is killed. What was written stays in the folder.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelNextPart();
    this.joiner?.kill('SIGKILL');
    await this.part?.finish();
  }

  private startPart(): void {
    if (this.finishing || this.stopped) return;
    const path = join(this.folder, `part-${this.parts.length + 1}.mkv`);
    const part = new RecordingPart(this.deps.tools, this.feed, path, this.now);
    this.parts.push(part);
    this.part = part;
    void part.exited.then((exit) => this.partEnded(part, exit));
  }

  private partEnded(part: RecordingPart, exit: ChildExit): void {
    if (this.part === part) this.part = null;
    const clean = exit.code === 0 && part.bytes > 0;
    if (this.finishing || this.stopped) return;
    if (!clean && part.bytes > 0) {
      this.deps.logger.warn(
        `recording of stream "${this.streamId}": ${describeExit(exit)}; a new part starts`,
        {
          streamId: this.streamId,
          stderr: part.stderrTail(),
        },
      );
    }
    // The feed started over (or ended): the next part waits on it for the new container's start.
    this.failures = clean ? 0 : this.failures + 1;
    const delay = clean ? 0 : Math.min(RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
    this.nextPart = setTimeout(() => {
      this.nextPart = null;
      this.startPart();
    }, delay);
  }

  private async join(): Promise<JoinedRecording | null> {
    const parts = this.parts.filter((part) => part.bytes > 0).map((part) => part.path);
    try {
      this.joined = await joinRecording(this.folder, parts, {
        tools: this.deps.tools,
        probeTimeoutMs: this.deps.probeTimeoutMs,
        running: (child) => {
          this.joiner = child;
        },
      });
      if (this.stopped) return null;
      this.stateValue = 'ready';
      this.deps.logger.info?.(`recording of stream "${this.streamId}" ready`, {
        streamId: this.streamId,
        path: this.joined.path,
      });
      return this.joined;
    } catch (error) {
      this.stateValue = 'failed';
      if (!this.stopped) {
        this.deps.logger.warn(
          `recording of stream "${this.streamId}" failed; its parts stay in ${this.folder}`,
          {
            streamId: this.streamId,
            error,
          },
        );
      }
      return null;
    }
  }

  private cancelNextPart(): void {
    if (this.nextPart) clearTimeout(this.nextPart);
    this.nextPart = null;
  }
}
