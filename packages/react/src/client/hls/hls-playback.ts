import type { ReconnectOptions } from '../connection/reconnect-backoff';
import {
  ClientErrorCode,
  type HlsLevel,
  type LiveStreamError,
  type LiveStreamStats,
  type LiveStreamStatus,
} from '../state/snapshot';
import {
  canPlayNativeHls,
  chooseHlsEngine,
  HLS_LIVE_CONFIG,
  type HlsConstructor,
  type HlsEngine,
  type HlsErrorData,
  type HlsInstance,
  type HlsLoader,
  toHlsLevels,
} from './hls-js';
import { type HlsFatalError, HlsRecoveryExecutor } from './hls-recovery';
import { HlsStatsSampler } from './hls-stats';
import { HlsSound, listenToVideo, nativeLiveEdge } from './hls-video';

/** What HLS playback contributes to the client's snapshot. */
export interface HlsPlaybackState {
  status: LiveStreamStatus;
  levels: readonly HlsLevel[];
  stats: LiveStreamStats;
  error: LiveStreamError | null;
  audioBlocked: boolean;
}

export interface HlsPlaybackOptions {
  loadHls: HlsLoader;
  /** Backoff between recovery attempts, and how many before giving up (the client's reconnect options). */
  reconnect: ReconnectOptions;
  onChange(state: HlsPlaybackState): void;
  random?: () => number;
}

/**
 * Plays one HLS master playlist into a `<video>`: hls.js (or native HLS where only that exists), kept near the
 * live edge, with quality levels, stats and recovery from fatal errors. Nothing happens until both a video
 * element and a URL are given, so it is built during SSR without touching the DOM.
 */
export class HlsPlayback {
  private readonly recovery: HlsRecoveryExecutor;
  private readonly sampler: HlsStatsSampler;
  private readonly sound = new HlsSound(() => this.publish());
  private video: HTMLVideoElement | null = null;
  private url: string | null = null;
  private Hls: HlsConstructor | null = null;
  private hls: HlsInstance | null = null;
  private engine: HlsEngine | null = null;
  private generation = 0;
  private levels: readonly HlsLevel[] = [];
  private manualLevel = -1;
  private manifestLoaded = false;
  private error: LiveStreamError | null = null;
  private playedOnce = false;
  private waiting = false;
  private paused = false;
  private removeVideoListeners: (() => void) | null = null;

  constructor(private readonly options: HlsPlaybackOptions) {
    this.recovery = new HlsRecoveryExecutor(options.reconnect, options.random, {
      startLoad: () => this.hls?.startLoad(),
      recoverMedia: (swapCodec) => {
        if (swapCodec) this.hls?.swapAudioCodec();
        this.hls?.recoverMediaError();
      },
      destroy: () => this.destroyEngine(),
      rebuild: () => {
        const { Hls, video, url } = this;
        if (!Hls || !video || !url) return;
        if (this.engine === 'hls.js') this.createHls(Hls, video, url);
        else this.startNative(video, url);
      },
      giveUp: (details) => this.fail(ClientErrorCode.HlsFailed, `HLS playback failed (${details})`),
    });
    this.sampler = new HlsStatsSampler({
      source: () =>
        this.video && this.engine ? { video: this.video, hls: this.hls, levels: this.levels } : null,
      playheadMoved: () => {
        this.playedOnce = true;
        this.waiting = false;
      },
      changed: () => this.publish(),
    });
  }

  /** The level the viewer chose: -1 for automatic. */
  get chosenLevel(): number {
    return this.manualLevel;
  }

  attachVideo(video: HTMLVideoElement | null): void {
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
          if (this.engine !== 'native') return;
          this.recover({ type: 'nativeError', details: video.error?.message || 'media error' });
        },
      });
    }
    this.begin();
  }

  /** Plays this master playlist (null stops). The same URL again is a no-op unless playback failed. */
  load(url: string | null): void {
    if (url === this.url && this.error === null) return;
    this.url = url;
    this.recovery.restart();
    this.begin();
  }

  stop(): void {
    this.url = null;
    this.teardown();
    this.publish();
  }

  /** Pausing holds the picture; playing again resumes at the live edge, not where it paused. */
  setPaused(paused: boolean): void {
    const resuming = this.paused && !paused;
    this.paused = paused;
    const video = this.video;
    if (video && this.engine) {
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

  /** Unmutes what the autoplay policy muted; call from a user gesture. Rejects while the browser still refuses. */
  enableAudio(): Promise<void> {
    return this.sound.enable(this.video);
  }

  /** Locks a level (index in `levels`), or -1 for automatic (hls.js ABR). */
  setLevel(level: number): void {
    this.manualLevel = level;
    if (this.hls && this.manifestLoaded) this.hls.currentLevel = level;
    this.sampler.refresh();
  }

  private begin(): void {
    this.teardown();
    const { video, url } = this;
    if (!video || !url) {
      this.publish();
      return;
    }
    const generation = this.generation;
    this.publish();
    this.options.loadHls().then(
      (Hls) => {
        if (generation !== this.generation) return;
        this.Hls = Hls;
        this.engine = chooseHlsEngine({
          hlsJsSupported: Hls.isSupported(),
          canPlayNativeHls: canPlayNativeHls(video),
        });
        if (this.engine === 'unsupported') {
          this.fail(ClientErrorCode.HlsUnavailable, 'this browser cannot play HLS');
          return;
        }
        this.sampler.start();
        if (this.engine === 'hls.js') this.createHls(Hls, video, url);
        else this.startNative(video, url);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.fail(ClientErrorCode.HlsFailed, `could not load hls.js: ${reason}`);
      },
    );
  }

  private createHls(Hls: HlsConstructor, video: HTMLVideoElement, url: string): void {
    const hls = new Hls({ ...HLS_LIVE_CONFIG });
    this.hls = hls;
    this.manifestLoaded = false;
    const current = () => this.hls === hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (!current()) return;
      this.manifestLoaded = true;
      this.levels = toHlsLevels(hls.levels);
      if (this.manualLevel >= this.levels.length) this.manualLevel = -1;
      if (this.manualLevel >= 0) hls.currentLevel = this.manualLevel;
      this.publish();
      this.playVideo();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, () => {
      if (current()) this.sampler.refresh();
    });
    hls.on(Hls.Events.FRAG_BUFFERED, () => {
      if (current() && this.recovery.healthy()) this.publish();
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      const error = data as HlsErrorData;
      if (current() && error.fatal) this.recover(error);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  private startNative(video: HTMLVideoElement, url: string): void {
    video.src = url;
    this.playVideo();
  }

  private recover(error: HlsFatalError): void {
    const { Hls, video, url } = this;
    if (!Hls || !video || !url) return;
    const handled = this.recovery.handle(error, {
      networkErrorType: Hls.ErrorTypes.NETWORK_ERROR,
      mediaErrorType: Hls.ErrorTypes.MEDIA_ERROR,
      manifestLoaded: this.manifestLoaded,
    });
    if (handled) this.publish();
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
    const position = this.hls ? this.hls.liveSyncPosition : nativeLiveEdge(video);
    if (position !== null && Number.isFinite(position)) video.currentTime = position;
  }

  private status(): LiveStreamStatus {
    if (this.error) return 'error';
    if (!this.url) return 'idle';
    if (this.recovery.recovering === 'network') return 'reconnecting';
    if (this.recovery.recovering === 'media') return 'buffering';
    if (!this.playedOnce) return 'connecting';
    if (this.paused) return 'live';
    return this.waiting ? 'buffering' : 'live';
  }

  private publish(): void {
    this.options.onChange({
      status: this.status(),
      levels: this.levels,
      stats: this.sampler.stats,
      error: this.error,
      audioBlocked: this.sound.audioBlocked,
    });
  }

  private destroyEngine(): void {
    this.hls?.destroy();
    this.hls = null;
    this.manifestLoaded = false;
    if (this.engine === 'native' && this.video) {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }

  /** Back to nothing playing; the URL, chosen level and volume stay. */
  private teardown(): void {
    this.generation++;
    this.recovery.cancel();
    this.sampler.reset();
    this.destroyEngine();
    this.engine = null;
    this.levels = [];
    this.error = null;
    this.playedOnce = false;
    this.waiting = false;
    this.sound.reset();
  }
}
