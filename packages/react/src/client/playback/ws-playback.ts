import type { FeedbackMessage, MediaMessage, ViewerLimitsMessage } from '@onair/protocol';
import { Playout } from '../playout/playout';
import type { MediaSink, StreamLink } from '../session/media-sink';
import type { ProtocolSession } from '../session/protocol-session';
import { deriveStatus } from '../state/derive-status';
import {
  EMPTY_STATS,
  type LiveStreamSnapshot,
  type LiveStreamStats,
  type StreamInfo,
} from '../state/snapshot';
import { SnapshotStore, shallowEqual } from '../state/snapshot-store';
import type { Playback, PlaybackState } from './playback';

export interface WsPlaybackOptions {
  /** The socket's transport name ("ws", "mock"), shown as `data-transport`. */
  name: string;
  session: ProtocolSession;
  /** The client's snapshot, for the rung and quality the session keeps there (the stats show them). */
  snapshot(): LiveStreamSnapshot;
  videoBufferMs: number;
  audioBufferMs: number;
  /** Farther behind the live edge than this, the stats say `atLiveEdge: false`. */
  liveThresholdMs: number;
}

/**
 * Plays what the WebSocket carries. While it plays it is the session's media sink: the playout decodes, buffers
 * and shows the stream on the audio (or local) clock. Its status is the socket's state (connecting, reconnecting,
 * gave up) with the playout's on top (waiting, playing, starved). On each tick of the feedback cadence it gives
 * the report the server's rung controller reads and refreshes the stats readout, so both describe one moment.
 */
export class WsPlayback implements Playback<HTMLCanvasElement>, MediaSink {
  readonly name: string;
  private readonly playout: Playout;
  private readonly output: SnapshotStore<PlaybackState>;
  private stats: LiveStreamStats = EMPTY_STATS;

  constructor(private readonly options: WsPlaybackOptions) {
    this.name = options.name;
    this.playout = new Playout({
      videoBufferMs: options.videoBufferMs,
      audioBufferMs: options.audioBufferMs,
      liveThresholdMs: options.liveThresholdMs,
      viewerFps: () => options.snapshot().stream?.viewerFps ?? 0,
      onStateChange: (state) => {
        if (state === 'playing') this.refreshStats();
        this.publish();
      },
      onAudioState: () => this.publish(),
    });
    this.output = new SnapshotStore(this.currentState());
    options.session.listen({ linkChanged: () => this.publish() });
  }

  readonly subscribe = (listener: () => void): (() => void) => this.output.subscribe(listener);
  readonly getState = (): PlaybackState => this.output.get();

  start(): void {
    this.options.session.setMediaSink(this);
    this.publish();
  }

  stop(): void {
    this.options.session.setMediaSink(null);
    this.playout.dispose();
    this.publish();
  }

  /** The session selects on the socket itself; nothing to look up here. */
  sync(): void {}

  async canPlay(): Promise<boolean> {
    return true;
  }

  setPaused(paused: boolean): void {
    this.playout.setPaused(paused);
  }

  setVolume(volume: number, muted: boolean): void {
    this.playout.setVolume(volume, muted);
  }

  async enableAudio(): Promise<void> {
    try {
      await this.playout.enableAudio();
    } catch {
      // Still blocked (no gesture): `audioBlocked` keeps saying so and the player keeps offering the button.
    } finally {
      this.publish();
    }
  }

  jumpToLive(): void {
    this.playout.jumpToLive();
    this.refreshStats();
    this.publish();
  }

  setQuality(choice: number | 'auto'): void {
    this.options.session.setQuality(choice);
  }

  attach(canvas: HTMLCanvasElement | null): void {
    this.playout.attachCanvas(canvas);
  }

  /** New playout delays, without reconnecting. */
  setBufferTargets(videoBufferMs: number, audioBufferMs: number): void {
    this.playout.setBufferTargets(videoBufferMs, audioBufferMs);
  }

  startStream(stream: StreamInfo, link: StreamLink): void {
    this.playout.start(stream, link.roundTripMs);
  }

  stopStream(): void {
    this.playout.stop();
  }

  receiveBytes(byteLength: number): void {
    this.playout.recordBytes(byteLength);
  }

  receiveVideo(media: MediaMessage): void {
    this.playout.pushVideo(media);
  }

  receiveAudio(media: MediaMessage): void {
    this.playout.pushAudio(media);
  }

  feedbackTick(now: number): FeedbackMessage | null {
    const report = this.playout.reporting ? this.playout.takeFeedback(now) : null;
    this.refreshStats();
    this.publish();
    return report;
  }

  takeViewerLimits(): ViewerLimitsMessage | null {
    return this.playout.takeViewerLimits();
  }

  private refreshStats(): void {
    const { rung, quality } = this.options.snapshot();
    const next = { ...this.playout.readStats(), rung, quality, level: null };
    if (!shallowEqual(next, this.stats)) this.stats = next;
  }

  private publish(): void {
    this.output.update(this.currentState());
  }

  private currentState(): PlaybackState {
    const { error, ...link } = this.options.session.link;
    return {
      status: deriveStatus({ ...link, playout: this.playout.state }),
      stats: this.stats,
      error,
      audioBlocked: this.playout.audioBlocked,
    };
  }
}
