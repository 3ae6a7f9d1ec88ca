import { playOrMute } from './hls-video';

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
