import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { HlsEngine } from '../hls/hls-engine';
import type { HlsLoader } from '../hls/hls-js';
import { HlsStatsSampler } from '../hls/hls-stats';
import { HlsSound, listenToVideo } from '../hls/hls-video';
import { deriveHlsStatus } from '../state/derive-status';
import { ClientErrorCode, type LiveStreamError, type LiveStreamSnapshot } from '../state/snapshot';
import { SnapshotStore } from '../state/snapshot-store';
import type { Playback, PlaybackState } from './playback';

export interface HlsPlaybackOptions {
  loadHls: HlsLoader;
  /** Backoff between recovery attempts, and how many before giving up (the client's reconnect options). */
  reconnect: ReconnectOptions;
  /** The client's snapshot: the catalog, and the selected video whose `hlsUrl` plays. */
  snapshot(): LiveStreamSnapshot;
  /** The catalog over HTTP unless it is known: HLS needs no socket to find its playlist. */
  loadCatalog(): Promise<void>;
  /** Puts the renditions, and the level the viewer locked, in the snapshot for the quality menu. */
  showLevels(levels: Partial<Pick<LiveStreamSnapshot, 'hlsLevels' | 'hlsLevel'>>): void;
  random?: () => number;
  /** The `liveThresholdMs` option; left out, twice hls.js's target latency. */
  liveThresholdMs?: number;
}

/**
 * Plays the selected video's HLS master playlist (its `hlsUrl` in the catalog) into a `<video>`, kept near the
 * live edge by the engine (hls.js, or native HLS), with the viewer's sound, pause, quality level and stats. It says
 * why nothing plays when the catalog failed or the video has no HLS. Nothing happens until both a video element
 * and a playlist are there, so it is built during SSR without touching the DOM.
 */
export class HlsPlayback implements Playback<HTMLVideoElement> {
  readonly name = 'hls';
  private readonly engine: HlsEngine;
  private readonly sampler: HlsStatsSampler;
  private readonly sound = new HlsSound(() => this.publish());
  private readonly output: SnapshotStore<PlaybackState>;
  private video: HTMLVideoElement | null = null;
  private url: string | null = null;
  /** Why nothing can play, found before playback starts (no catalog, a video without HLS). */
  private problem: LiveStreamError | null = null;
  private error: LiveStreamError | null = null;
  private started = false;
  private playedOnce = false;
  private waiting = false;
  private paused = false;
  private removeVideoListeners: (() => void) | null = null;

  constructor(private readonly options: HlsPlaybackOptions) {
    this.engine = new HlsEngine(options, {
      loading: () => this.sampler.start(),
      ready: () => {
        this.publish();
        this.playVideo();
      },
      levelSwitched: () => this.sampler.refresh(),
      recoveryChanged: () => this.publish(),
      failed: (code, message) => this.fail(code, message),
    });
    this.sampler = new HlsStatsSampler({
      source: () =>
        this.video && this.engine.kind
          ? {
              video: this.video,
              hls: this.engine.instance,
              levels: this.engine.levels,
              liveThresholdMs: this.options.liveThresholdMs,
            }
          : null,
      playheadMoved: () => {
        this.playedOnce = true;
        this.waiting = false;
      },
      changed: () => this.publish(),
    });
    this.output = new SnapshotStore(this.currentState());
  }

  readonly subscribe = (listener: () => void): (() => void) => this.output.subscribe(listener);
  readonly getState = (): PlaybackState => this.output.get();

  start(): void {
    this.started = true;
    this.options.showLevels({ hlsLevel: this.engine.chosenLevel });
    this.sync();
    void this.options.loadCatalog().then(() => {
      if (this.started) this.sync();
    });
  }

  stop(): void {
    this.started = false;
    this.problem = null;
    this.url = null;
    this.teardown();
    this.publish();
  }

  /** Plays the selected video's playlist, or says why none can play. */
  sync(): void {
    const { catalog, catalogError, videoId } = this.options.snapshot();
    const video = catalog?.find((entry) => entry.id === videoId);
    this.problem = null;
    if (!catalog && catalogError) {
      this.problem = {
        code: ClientErrorCode.ConnectionFailed,
        message: `could not load the catalog: ${catalogError}`,
        fatal: true,
      };
    } else if (video && !video.hlsUrl) {
      this.problem = {
        code: ClientErrorCode.HlsUnavailable,
        message: `"${video.title}" is not offered over HLS`,
        fatal: true,
      };
    }
    this.load(this.problem ? null : (video?.hlsUrl ?? null));
    this.publish();
  }

  async canPlay(): Promise<boolean> {
    await this.options.loadCatalog();
    const { catalog, videoId } = this.options.snapshot();
    return Boolean(catalog?.find((video) => video.id === videoId)?.hlsUrl);
  }

  /** Plays this master playlist (null stops). The same URL again is a no-op unless playback failed. */
  load(url: string | null): void {
    if (url === this.url && this.error === null) return;
    this.url = url;
    this.engine.restartRecovery();
    this.begin();
  }

  attach(video: HTMLVideoElement | null): void {
    if (video === this.video) return;
    this.teardown();
    this.removeVideoListeners?.();
    this.removeVideoListeners = null;
    this.video = video;
    if (video) {
      this.removeVideoListeners = listenToVideo(video, {
        playing: () => {
          this.playedOnce = true;
          this.waiting = false;
          this.publish();
        },
        waiting: () => {
          this.waiting = true;
          this.publish();
        },
        // hls.js reports media errors itself; only native HLS needs the element's error event.
        error: () => {
          if (this.engine.kind !== 'native') return;
          this.engine.recover({ type: 'nativeError', details: video.error?.message || 'media error' });
        },
      });
    }
    this.begin();
  }

  /** Pausing holds the picture; playing again resumes at the live edge, not where it paused. */
  setPaused(paused: boolean): void {
    const resuming = this.paused && !paused;
    this.paused = paused;
    const video = this.video;
    if (video && this.engine.kind) {
      if (paused) video.pause();
      else {
        if (resuming) this.seekToLiveEdge(video);
        this.playVideo();
      }
    }
    this.publish();
  }

  setVolume(volume: number, muted: boolean): void {
    this.sound.set(this.video, volume, muted);
  }

  async enableAudio(): Promise<void> {
    // A refusal leaves `audioBlocked` set, and the player keeps offering the button.
    await this.sound.enable(this.video).catch(() => {});
  }

  /** Seeks to hls.js's live sync position (or near the end of native HLS's range) and plays. */
  jumpToLive(): void {
    const video = this.video;
    if (!video || !this.engine.kind) return;
    this.seekToLiveEdge(video);
    this.playVideo();
    this.sampler.refresh();
  }

  /** A level (index in `hlsLevels`), or 'auto' for hls.js's bandwidth estimate. */
  setQuality(choice: number | 'auto'): void {
    const level = choice === 'auto' ? -1 : choice;
    this.options.showLevels({ hlsLevel: level });
    this.engine.setLevel(level);
    this.sampler.refresh();
  }

  private begin(): void {
    this.teardown();
    const { video, url } = this;
    this.publish();
    if (video && url) this.engine.start(video, url);
  }

  private fail(code: LiveStreamError['code'], message: string): void {
    this.teardown();
    this.error = { code, message, fatal: true };
    this.publish();
  }

  private playVideo(): void {
    if (this.video && !this.paused) this.sound.play(this.video);
  }

  private seekToLiveEdge(video: HTMLVideoElement): void {
    const position = this.engine.liveEdge(video);
    if (position !== null && Number.isFinite(position)) video.currentTime = position;
  }

  private publish(): void {
    this.options.showLevels({ hlsLevels: this.engine.levels });
    this.output.update(this.currentState());
  }

  private currentState(): PlaybackState {
    const failure = this.problem ?? this.error;
    return {
      status: deriveHlsStatus({
        failed: failure !== null,
        hasSource: this.url !== null,
        waitingForCatalog: this.options.snapshot().catalog === null,
        recovering: this.engine.recovering,
        playedOnce: this.playedOnce,
        paused: this.paused,
        waiting: this.waiting,
      }),
      stats: this.sampler.stats,
      error: failure,
      audioBlocked: this.sound.audioBlocked,
    };
  }

  /** Back to nothing playing; the URL, chosen level and volume stay. */
  private teardown(): void {
    this.engine.stop();
    this.sampler.reset();
    this.error = null;
    this.playedOnce = false;
    this.waiting = false;
    this.sound.reset();
  }
}
