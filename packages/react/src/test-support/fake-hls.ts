import { vi } from 'vitest';
import type {
  HlsConstructor,
  HlsEventListener,
  HlsInstance,
  HlsLevelInfo,
  HlsLoader,
} from '../client/hls/hls-js';

/** Records what the player does to hls.js, and lets a test fire hls.js events. */
export class FakeHls implements HlsInstance {
  static readonly instances: FakeHls[] = [];
  static supported = true;
  static readonly Events = {
    MANIFEST_PARSED: 'hlsManifestParsed',
    LEVEL_SWITCHED: 'hlsLevelSwitched',
    FRAG_BUFFERED: 'hlsFragBuffered',
    ERROR: 'hlsError',
  };
  static readonly ErrorTypes = { NETWORK_ERROR: 'networkError', MEDIA_ERROR: 'mediaError' };
  static isSupported(): boolean {
    return FakeHls.supported;
  }

  levels: HlsLevelInfo[] = [];
  currentLevel = -1;
  liveSyncPosition: number | null = null;
  latency = 0;
  playingDate: Date | null = null;
  source: string | null = null;
  media: HTMLMediaElement | null = null;
  destroyed = false;
  readonly calls: string[] = [];
  private readonly listeners = new Map<string, HlsEventListener[]>();

  constructor(readonly config: Record<string, unknown>) {
    FakeHls.instances.push(this);
  }

  on(event: string, listener: HlsEventListener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, data: unknown = {}): void {
    for (const listener of this.listeners.get(event) ?? []) listener(event, data);
  }
  /** The master playlist arrived with these renditions. */
  manifest(levels: HlsLevelInfo[]): void {
    this.levels = levels;
    this.emit(FakeHls.Events.MANIFEST_PARSED, { levels });
  }
  fatal(type: string, details = 'fakeDetails', extra: Record<string, unknown> = {}): void {
    this.emit(FakeHls.Events.ERROR, { type, details, fatal: true, ...extra });
  }
  loadSource(url: string): void {
    this.source = url;
    this.calls.push('loadSource');
  }
  attachMedia(media: HTMLMediaElement): void {
    this.media = media;
    this.calls.push('attachMedia');
  }
  startLoad(): void {
    this.calls.push('startLoad');
  }
  recoverMediaError(): void {
    this.calls.push('recoverMediaError');
  }
  swapAudioCodec(): void {
    this.calls.push('swapAudioCodec');
  }
  destroy(): void {
    this.destroyed = true;
    this.calls.push('destroy');
  }

  static reset(): void {
    FakeHls.instances.length = 0;
    FakeHls.supported = true;
  }
  static latest(): FakeHls {
    const instance = FakeHls.instances.at(-1);
    if (!instance) throw new Error('no Hls instance was created');
    return instance;
  }
}

export const loadFakeHls: HlsLoader = async () => FakeHls satisfies HlsConstructor;

export const TWO_LEVELS: HlsLevelInfo[] = [
  { width: 426, height: 240, bitrate: 400_400 },
  { width: 640, height: 360, bitrate: 950_400 },
];

/** A jsdom `<video>` whose play() resolves (jsdom does not implement media playback). */
export function fakeVideo(): HTMLVideoElement & { playCalls: number } {
  const video = document.createElement('video') as HTMLVideoElement & { playCalls: number };
  video.playCalls = 0;
  video.play = async () => {
    video.playCalls++;
  };
  video.pause = () => {};
  return video;
}

/** jsdom implements no media playback: `play()` resolves and `pause()` does nothing on every media element. */
export function stubMediaPlayback(): void {
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {});
}
