import { NATIVE_LIVE_EDGE_OFFSET_S } from './hls-config';

export interface VideoEventHandlers {
  playing(): void;
  waiting(): void;
  error(): void;
}

/** Subscribes to the element's playback events; returns the unsubscribe. */
export function listenToVideo(video: HTMLVideoElement, handlers: VideoEventHandlers): () => void {
  const events = Object.keys(handlers) as (keyof VideoEventHandlers)[];
  for (const event of events) video.addEventListener(event, handlers[event]);
  return () => {
    for (const event of events) video.removeEventListener(event, handlers[event]);
  };
}

/**
 * Plays; when the autoplay policy refuses sound (NotAllowedError), plays muted instead and says so, so the
 * player can offer "click to enable sound" as it does for the WebSocket's Web Audio.
 */
export function playOrMute(video: HTMLVideoElement, onAudioBlocked: () => void): void {
  void Promise.resolve(video.play()).catch((error: unknown) => {
    if ((error as { name?: string } | null)?.name !== 'NotAllowedError' || video.muted) return;
    video.muted = true;
    onAudioBlocked();
    void Promise.resolve(video.play()).catch(() => {});
  });
}

/** Native HLS (Safari without MSE) has no sync position: a few seconds behind the end of the seekable range. */
export function nativeLiveEdge(video: HTMLVideoElement): number | null {
  const { seekable } = video;
  if (seekable.length === 0) return null;
  return Math.max(seekable.start(0), seekable.end(seekable.length - 1) - NATIVE_LIVE_EDGE_OFFSET_S);
}
