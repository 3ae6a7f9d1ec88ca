import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RecordingInfo } from '@onair/protocol';
import type { FfmpegTools } from '../ffmpeg/binaries';
import type { ResolvedOptions } from '../options/live-stream-options';
import type { LiveFeed } from '../source/live-feed';
import type { RecordingStats } from '../stats';
import type { StreamRecord } from '../streams/stream-record';
import type { StreamChange, StreamRegistry } from '../streams/stream-registry';
import { BroadcastRecorder } from './broadcast-recorder';

export interface RecordingsDeps {
  registry: StreamRegistry;
  tools: FfmpegTools;
  options: ResolvedOptions;
  /** The recording of ended stream `id` is ready in `path`: put it on air as the stream's replay. */
  replay(id: string, path: string): void;
  /** A recording started, finished or failed: the catalog shows it. */
  changed(): void;
}

/** A recording's folder: the stream's id (a safe file name: `VIDEO_ID_PATTERN`), when, and a random tag. */
function folderName(streamId: string, at: number): string {
  const when = new Date(at).toISOString().replace(/[:.]/g, '-');
  return `${streamId}-${when}-${randomBytes(3).toString('hex')}`;
}

/**
 * The recordings of one `liveStream()` (issue 13 item 5), kept in step with the streams: a broadcast fed to a
 * stream that records (`record` on the stream, or the option) is recorded from its first feed on, and joined into
 * one file when the stream ends, which then goes on air under the stream's id as its replay. Only broadcasts are
 * recorded: a stream reading an ffmpeg input has its input already. A removed stream's recording stops and is
 * forgotten (its files stay in `recordingsDir`). Paths never leave the server: a replay is found by stream id.
 */
export class Recordings {
  private readonly recorders = new Map<string, BroadcastRecorder>();
  private readonly onChange = (change: StreamChange) => this.follow(change);

  constructor(private readonly deps: RecordingsDeps) {
    deps.registry.on('change', this.onChange);
  }

  /** The stream's recording, null when it does not record (or was never fed). */
  info(streamId: string): RecordingInfo | null {
    return this.recorders.get(streamId)?.info() ?? null;
  }

  stats(): RecordingStats[] {
    return [...this.recorders.values()].map((recorder) => recorder.stats());
  }

  /** Stops following the streams and every recording (the files written stay; no join). */
  async close(): Promise<void> {
    this.deps.registry.off('change', this.onChange);
    const recorders = [...this.recorders.values()];
    this.recorders.clear();
    await Promise.all(recorders.map((recorder) => recorder.stop()));
  }

  private wantsRecording(stream: StreamRecord): boolean {
    return stream.record ?? this.deps.options.record;
  }

  private follow({ kind, stream }: StreamChange): void {
    const recorder = this.recorders.get(stream.id);
    if (kind === 'ended') {
      if (recorder) this.finish(stream.id, recorder);
      return;
    }
    if (kind === 'removed') {
      if (recorder) {
        this.recorders.delete(stream.id);
        void recorder.stop();
      }
      return;
    }
    // Any other change may bring a feed: an ingest here sets it alone ('feed'), while a stream mirrored from
    // another instance's hub record can get it together with its start, or with its creation on an instance that
    // joins while it is live.
    const feed = stream.source?.kind === 'broadcast' ? stream.source.feed : undefined;
    if (!feed || !this.wantsRecording(stream)) return;
    if (recorder) recorder.switchFeed(feed);
    else this.start(stream.id, feed);
  }

  private start(streamId: string, feed: LiveFeed): void {
    const { options, tools } = this.deps;
    const folder = join(options.recordingsDir, folderName(streamId, Date.now()));
    const started = new BroadcastRecorder(streamId, folder, feed, {
      tools,
      logger: options.logger,
      probeTimeoutMs: options.probeTimeoutMs,
    });
    this.recorders.set(streamId, started);
    options.logger.info?.(`recording stream "${streamId}"`, { streamId, folder });
    this.deps.changed();
  }

  private finish(streamId: string, recorder: BroadcastRecorder): void {
    void recorder.finish().then((joined) => {
      // Removed (or replaced) while joining: nothing to replay.
      if (this.recorders.get(streamId) !== recorder) return;
      if (joined && this.deps.registry.get(streamId)?.status === 'ended')
        this.deps.replay(streamId, joined.path);
      this.deps.changed();
    });
  }
}
