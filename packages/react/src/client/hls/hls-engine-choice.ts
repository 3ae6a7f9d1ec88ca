/** hls.js over Media Source Extensions, the browser's own HLS, or nothing that can play it. */
export type HlsEngine = 'hls.js' | 'native' | 'unsupported';

export interface HlsEngineSupport {
  /** `Hls.isSupported()`: MSE or ManagedMediaSource with H.264/AAC. */
  hlsJsSupported: boolean;
  /** `video.canPlayType('application/vnd.apple.mpegurl')` is not empty. */
  canPlayNativeHls: boolean;
}

/**
 * hls.js whenever it can run, native HLS only where it cannot (iOS Safari before ManagedMediaSource). Desktop
 * Chromium answers `canPlayType` "maybe" for HLS on some builds without really playing it, so that answer is
 * never trusted on its own; and hls.js on Safari 17+ uses ManagedMediaSource, which keeps ABR and stats ours.
 */
export function chooseHlsEngine(support: HlsEngineSupport): HlsEngine {
  if (support.hlsJsSupported) return 'hls.js';
  return support.canPlayNativeHls ? 'native' : 'unsupported';
}

export function canPlayNativeHls(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}
