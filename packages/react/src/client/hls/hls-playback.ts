import type { ReconnectOptions } from '../connection/reconnect-backoff';
import {
  ClientErrorCode,
  EMPTY_STATS,
  type LiveStreamError,
  type LiveStreamStats,
  type LiveStreamStatus,
} from '../state/snapshot';
import { HLS_LIVE_CONFIG, HLS_STATS_INTERVAL_MS } from './hls-config';
import { canPlayNativeHls, chooseHlsEngine, type HlsEngine } from './hls-engine-choice';
import { type HlsLevel, toHlsLevels } from './hls-levels';
import { type HlsFatalError, HlsRecoveryPolicy } from './hls-recovery';
import { type FrameCounter, readHlsStats } from './hls-stats';
import type { HlsConstructor, HlsErrorData, HlsInstance, HlsLoader } from './hls-types';
import { listenToVideo, nativeLiveEdge, playOrMute } from './hls-video';

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

type Recovering = 'network' | 'media' | null;

/**
 * Plays one HLS master playlist into a `<video>`: hls.js (or native HLS where only that exists), kept near the
 * live edge, with quality levels, stats and recovery from fatal errors. Nothing happens until both a video
 * element and a URL are given, so it is built during SSR without touching the DOM.
 */
export class HlsPlayback {
  private readonly policy: HlsRecoveryPolicy;
  private video: HTMLVideoElement | null = null;
  private url: string | null = null;
  private Hls: HlsConstructor | null = null;
  private hls: HlsInstance | null = null;
  private engine: HlsEngine | null = null;
  private generation = 0;
  private levels: readonly HlsLevel[] = [];
  private manualLevel = -1;
  private manifestLoaded = false;
  private recovering: Recovering = null;
  private error: LiveStreamError | null = null;
  private playedOnce = false;
  private waiting = false;
  private lastTime = -1;
  private paused = false;
  private muted = false;
  private volume = 1;
  private audioBlocked = false;
  private stats: LiveStreamStats = EMPTY_STATS;
  private counter: FrameCounter = { frames: 0, at: 0 };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private removeVideoListeners: (() => void) | null = null;

  constructor(private readonly options: HlsPlaybackOptions) {
    this.policy = new HlsRecoveryPolicy(options.reconnect, options.random);
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
    this.policy.succeeded();
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
    this.volume = volume;
    this.muted = muted;
    this.applyVolume();
  }

  /** Unmutes what the autoplay policy muted; call from a user gesture. Rejects while the browser still refuses. */
  async enableAudio(): Promise<void> {
    const video = this.video;
    if (!video || !this.audioBlocked) return;
    video.muted = this.muted;
    try {
      await video.play();
      this.audioBlocked = false;
    } catch (error) {
      video.muted = true;
      throw error;
    } finally {
      this.publish();
    }
  }

  /** Locks a level (index in `levels`), or -1 for automatic (hls.js ABR). */
  setLevel(level: number): void {
    this.manualLevel = level;
    if (this.hls && this.manifestLoaded) this.hls.currentLevel = level;
    this.refreshStats();
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
        this.startStats();
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
      if (current()) this.refreshStats();
    });
    hls.on(Hls.Events.FRAG_BUFFERED, () => {
      if (!current()) return;
      this.policy.succeeded();
      if (this.recovering === null) return;
      this.recovering = null;
      this.publish();
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
    const { Hls, hls, video, url } = this;
    if (!Hls || !video || !url) return;
    const action = this.policy.next(error, {
      networkErrorType: Hls.ErrorTypes.NETWORK_ERROR,
      mediaErrorType: Hls.ErrorTypes.MEDIA_ERROR,
      manifestLoaded: this.manifestLoaded,
    });
    switch (action.kind) {
      case 'start-load':
        this.recovering = 'network';
        this.later(action.delayMs, () => this.hls?.startLoad());
        break;
      case 'recover-media':
        this.recovering = 'media';
        hls?.recoverMediaError();
        break;
      case 'swap-codec-and-recover':
        this.recovering = 'media';
        hls?.swapAudioCodec();
        hls?.recoverMediaError();
        break;
      case 'recreate':
        this.recovering = 'network';
        this.destroyEngine();
        this.later(action.delayMs, () => {
          if (this.engine === 'hls.js') this.createHls(Hls, video, url);
          else this.startNative(video, url);
        });
        break;
      case 'give-up':
        this.fail(ClientErrorCode.HlsFailed, `HLS playback failed (${error.details})`);
        return;
    }
    this.publish();
  }

  private fail(code: LiveStreamError['code'], message: string): void {
    this.teardown();
    this.error = { code, message, fatal: true };
    this.publish();
  }

  private playVideo(): void {
    const video = this.video;
    if (!video || this.paused) return;
    this.applyVolume();
    playOrMute(video, () => {
      this.audioBlocked = true;
      this.publish();
    });
  }

  private applyVolume(): void {
    if (!this.video) return;
    this.video.volume = this.volume;
    this.video.muted = this.muted || this.audioBlocked;
  }

  private seekToLiveEdge(video: HTMLVideoElement): void {
    const position = this.hls ? this.hls.liveSyncPosition : nativeLiveEdge(video);
    if (position !== null && Number.isFinite(position)) video.currentTime = position;
  }

  private startStats(): void {
    this.stopStats();
    this.counter = { frames: 0, at: performance.now() };
    this.statsTimer = setInterval(() => this.tick(), HLS_STATS_INTERVAL_MS);
  }

  private stopStats(): void {
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  /** Stats, and a playhead that moves again clears a stall even when the browser sent no `playing`. */
  private tick(): void {
    const video = this.video;
    if (!video) return;
    if (video.currentTime !== this.lastTime && !video.paused) {
      this.playedOnce = true;
      this.waiting = false;
    }
    this.lastTime = video.currentTime;
    this.refreshStats();
  }

  private refreshStats(): void {
    const video = this.video;
    if (!video || !this.engine) return;
    const reading = readHlsStats(video, this.hls, this.levels, this.counter, {
      now: performance.now(),
      // Latency compares with EXT-X-PROGRAM-DATE-TIME, which is wall-clock time.
      wallClock: Date.now(),
    });
    this.counter = reading.counter;
    this.stats = reading.stats;
    this.publish();
  }

  private status(): LiveStreamStatus {
    if (this.error) return 'error';
    if (!this.url) return 'idle';
    if (this.recovering === 'network') return 'reconnecting';
    if (this.recovering === 'media') return 'buffering';
    if (!this.playedOnce) return 'connecting';
    if (this.paused) return 'live';
    return this.waiting ? 'buffering' : 'live';
  }

  private publish(): void {
    this.options.onChange({
      status: this.status(),
      levels: this.levels,
      stats: this.stats,
      error: this.error,
      audioBlocked: this.audioBlocked,
    });
  }

  private later(delayMs: number, action: () => void): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (generation === this.generation) action();
    }, delayMs);
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
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopStats();
    this.destroyEngine();
    this.engine = null;
    this.levels = [];
    this.recovering = null;
    this.error = null;
    this.playedOnce = false;
    this.waiting = false;
    this.lastTime = -1;
    this.audioBlocked = false;
    this.stats = EMPTY_STATS;
  }
}
