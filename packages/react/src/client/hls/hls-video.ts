// The `<video>` HLS plays into: its events, its sound under the autoplay policy, and the live edge of native HLS.

/** Native HLS (Safari without MSE) has no sync position: resume this far behind the end of the seekable range. */
const NATIVE_LIVE_EDGE_OFFSET_S = 3;

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
function playOrMute(video: HTMLVideoElement, onAudioBlocked: () => void): void {
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

/**
 * The `<video>`'s sound: the viewer's volume and mute, with the autoplay policy's mute on top when the browser
 * refuses to play sound without a gesture (the player then offers a button that calls `enable`).
 */
export class HlsSound {
  private volume = 1;
  private muted = false;
  private blocked = false;

  constructor(private readonly changed: () => void) {}

  get audioBlocked(): boolean {
    return this.blocked;
  }

  set(video: HTMLVideoElement | null, volume: number, muted: boolean): void {
    this.volume = volume;
    this.muted = muted;
    if (video) this.apply(video);
  }

  /** Plays with sound, or muted when the autoplay policy refuses sound. */
  play(video: HTMLVideoElement): void {
    this.apply(video);
    playOrMute(video, () => {
      this.blocked = true;
      this.changed();
    });
  }

  /** Unmutes what the autoplay policy muted; call from a user gesture. Rejects while the browser still refuses. */
  async enable(video: HTMLVideoElement | null): Promise<void> {
    if (!video || !this.blocked) return;
    video.muted = this.muted;
    try {
      await video.play();
      this.blocked = false;
    } catch (error) {
      video.muted = true;
      throw error;
    } finally {
      this.changed();
    }
  }

  /** A new playback starts: the policy's answer is asked again. */
  reset(): void {
    this.blocked = false;
  }

  private apply(video: HTMLVideoElement): void {
    video.volume = this.volume;
    video.muted = this.muted || this.blocked;
  }
}
