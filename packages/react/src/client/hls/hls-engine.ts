import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { ClientErrorCode, type HlsLevel } from '../state/snapshot';
import { describeHlsFailure, type HlsFailure } from './hls-failure';
import {
  canPlayNativeHls,
  chooseHlsEngine,
  HLS_LIVE_CONFIG,
  type HlsConstructor,
  type HlsEngineKind,
  type HlsErrorData,
  type HlsInstance,
  type HlsLoader,
  toHlsLevels,
} from './hls-js';
import { type HlsFatalError, type HlsRecovering, HlsRecoveryExecutor } from './hls-recovery';
import { nativeLiveEdge } from './hls-video';

export interface HlsEngineOptions {
  loadHls: HlsLoader;
  /** Backoff between recovery attempts, and how many before giving up (the client's reconnect options). */
  reconnect: ReconnectOptions;
  random?: () => number;
}

/** What the engine tells the HLS playback. */
/**
 * Fatal network errors before a playlist's first manifest ever loads after which the engine stops and says why: a
 * page blocked by CORS, or a server that is not there, would otherwise show "Reconnecting…" forever. Later
 * network errors (a stream that played) retry with the backoff as before.
 */
export const FIRST_LOAD_ATTEMPTS = 3;

export interface HlsEngineEvents {
  /** An engine was chosen and is loading: from now on there are stats to read. */
  loading(): void;
  /** The video may start: hls.js parsed the master playlist (and `levels` are known), or native HLS has its source. */
  ready(): void;
  /** The level playing changed. */
  levelSwitched(): void;
  /** A recovery began, or a fragment buffered and ended one: the status changes. */
  recoveryChanged(): void;
  /** Nothing more will play: hls.js did not load, the browser cannot play HLS, or recovery ran out of attempts. */
  failed(code: HlsFailure['code'], message: string): void;
}

/**
 * The engine under HLS playback: hls.js (loaded on first use), or the browser's own HLS where only that exists,
 * playing one master playlist into one `<video>` near the live edge, with the quality level the viewer locked and
 * recovery from fatal errors (hls.js API.md, "Fatal Error Recovery").
 */
export class HlsEngine {
  private readonly recovery: HlsRecoveryExecutor;
  private Hls: HlsConstructor | null = null;
  private hls: HlsInstance | null = null;
  private engineKind: HlsEngineKind | null = null;
  private target: { video: HTMLVideoElement; url: string } | null = null;
  // Bumped at every stop: an hls.js import finishing later belongs to a playback that is gone.
  private generation = 0;
  private levelList: readonly HlsLevel[] = [];
  private manualLevel = -1;
  private manifestLoaded = false;
  /** Since `start`: whether any manifest of this URL parsed, and the fatal network errors before one did. */
  private everLoaded = false;
  private firstLoadFailures = 0;
  /** The last fatal error, in words: what the viewer is told when recovery gives up. */
  private lastFailure: HlsFailure | null = null;

  constructor(
    private readonly options: HlsEngineOptions,
    private readonly events: HlsEngineEvents,
  ) {
    this.recovery = new HlsRecoveryExecutor(options.reconnect, options.random, {
      startLoad: () => this.hls?.startLoad(),
      recoverMedia: (swapCodec) => {
        if (swapCodec) this.hls?.swapAudioCodec();
        this.hls?.recoverMediaError();
      },
      destroy: () => this.destroy(),
      rebuild: () => {
        if (this.Hls && this.target) this.build(this.Hls, this.target.video, this.target.url);
      },
      giveUp: (details) =>
        this.events.failed(
          this.lastFailure?.code ?? ClientErrorCode.HlsFailed,
          this.lastFailure?.message ?? `HLS playback failed (${details})`,
        ),
    });
  }

  /** hls.js or native HLS while playing; null while stopped. */
  get kind(): HlsEngineKind | null {
    return this.engineKind;
  }

  /** The hls.js instance, for stats; null for native HLS and while stopped. */
  get instance(): HlsInstance | null {
    return this.hls;
  }

  /** The renditions of the master playlist; empty before it is parsed, and for native HLS. */
  get levels(): readonly HlsLevel[] {
    return this.levelList;
  }

  /** The level the viewer chose: -1 for automatic. */
  get chosenLevel(): number {
    return this.manualLevel;
  }

  get recovering(): HlsRecovering {
    return this.recovery.recovering;
  }

  /** Plays `url` into `video`, once hls.js is loaded; the caller stops the engine first. */
  start(video: HTMLVideoElement, url: string): void {
    this.target = { video, url };
    this.everLoaded = false;
    this.firstLoadFailures = 0;
    this.lastFailure = null;
    const generation = this.generation;
    this.options.loadHls().then(
      (Hls) => {
        if (generation !== this.generation) return;
        this.Hls = Hls;
        this.engineKind = chooseHlsEngine({
          hlsJsSupported: Hls.isSupported(),
          canPlayNativeHls: canPlayNativeHls(video),
        });
        if (this.engineKind === 'unsupported') {
          this.events.failed(ClientErrorCode.HlsUnavailable, 'this browser cannot play HLS');
          return;
        }
        this.events.loading();
        this.build(Hls, video, url);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.events.failed(ClientErrorCode.HlsFailed, `could not load hls.js: ${reason}`);
      },
    );
  }

  /** Back to nothing playing; the chosen level stays. */
  stop(): void {
    this.generation++;
    this.recovery.cancel();
    this.destroy();
    this.engineKind = null;
    this.levelList = [];
    this.target = null;
  }

  /** A new playlist: recovery attempts start afresh. */
  restartRecovery(): void {
    this.recovery.restart();
  }

  /** Locks a level (index in `levels`), or -1 for automatic (hls.js ABR). */
  setLevel(level: number): void {
    this.manualLevel = level;
    if (this.hls && this.manifestLoaded) this.hls.currentLevel = level;
  }

  /** A fatal error, from hls.js or (native HLS) the `<video>`: recover as the policy says, or give up. */
  recover(error: HlsFatalError): void {
    const { Hls } = this;
    if (!Hls || !this.target) return;
    const handled = this.recovery.handle(error, {
      networkErrorType: Hls.ErrorTypes.NETWORK_ERROR,
      mediaErrorType: Hls.ErrorTypes.MEDIA_ERROR,
      manifestLoaded: this.manifestLoaded,
    });
    if (handled) this.events.recoveryChanged();
  }

  /** Where "live" is now: hls.js's sync position, or a few seconds before the end of native HLS's range. */
  liveEdge(video: HTMLVideoElement): number | null {
    return this.hls ? this.hls.liveSyncPosition : nativeLiveEdge(video);
  }

  private build(Hls: HlsConstructor, video: HTMLVideoElement, url: string): void {
    if (this.engineKind === 'hls.js') this.createHls(Hls, video, url);
    else this.startNative(video, url);
  }

  private createHls(Hls: HlsConstructor, video: HTMLVideoElement, url: string): void {
    const hls = new Hls({ ...HLS_LIVE_CONFIG });
    this.hls = hls;
    this.manifestLoaded = false;
    const current = () => this.hls === hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (!current()) return;
      this.manifestLoaded = true;
      this.everLoaded = true;
      this.levelList = toHlsLevels(hls.levels);
      if (this.manualLevel >= this.levelList.length) this.manualLevel = -1;
      if (this.manualLevel >= 0) hls.currentLevel = this.manualLevel;
      this.events.ready();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, () => {
      if (current()) this.events.levelSwitched();
    });
    hls.on(Hls.Events.FRAG_BUFFERED, () => {
      if (current() && this.recovery.healthy()) this.events.recoveryChanged();
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      const error = data as HlsErrorData;
      if (current() && error.fatal) this.fatalHlsError(Hls, error);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  /** A refusal (401, 403) stops at once; a first load that keeps failing stops after a few tries; the rest recover. */
  private fatalHlsError(Hls: HlsConstructor, error: HlsErrorData): void {
    const failure = describeHlsFailure(error);
    this.lastFailure = failure;
    const beforeFirstLoad = !this.everLoaded && error.type === Hls.ErrorTypes.NETWORK_ERROR;
    if (beforeFirstLoad) this.firstLoadFailures++;
    if (failure.refused || (beforeFirstLoad && this.firstLoadFailures >= FIRST_LOAD_ATTEMPTS)) {
      this.recovery.cancel();
      this.events.failed(failure.code, failure.message);
      return;
    }
    this.recover(error);
  }

  private startNative(video: HTMLVideoElement, url: string): void {
    video.src = url;
    this.events.ready();
  }

  private destroy(): void {
    this.hls?.destroy();
    this.hls = null;
    this.manifestLoaded = false;
    if (this.engineKind === 'native' && this.target) {
      this.target.video.removeAttribute('src');
      this.target.video.load();
    }
  }
}
