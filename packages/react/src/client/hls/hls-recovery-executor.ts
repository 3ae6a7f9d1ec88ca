import type { ReconnectOptions } from '../connection/reconnect-backoff';
import { type HlsFatalError, type HlsRecoveryContext, HlsRecoveryPolicy } from './hls-recovery';

/** What recovery does to the playback engine. */
export interface HlsRecoveryTarget {
  /** hls.js `startLoad()`: fetch the playlists and fragments again. */
  startLoad(): void;
  /** hls.js `recoverMediaError()`, after `swapAudioCodec()` when `swapCodec`. */
  recoverMedia(swapCodec: boolean): void;
  /** Destroys the engine now; `rebuild` makes a new one after the backoff. */
  destroy(): void;
  rebuild(): void;
  giveUp(details: string): void;
}

/** What the viewer is told while recovering: the network (reconnecting) or the decoder (buffering). */
export type HlsRecovering = 'network' | 'media' | null;

/**
 * Carries out what {@link HlsRecoveryPolicy} decides for each fatal error: the engine calls, the backoff delays
 * between them, and what the player shows meanwhile, until a fragment buffers again.
 */
export class HlsRecoveryExecutor {
  private readonly policy: HlsRecoveryPolicy;
  private state: HlsRecovering = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    backoff: ReconnectOptions,
    random: (() => number) | undefined,
    private readonly target: HlsRecoveryTarget,
  ) {
    this.policy = new HlsRecoveryPolicy(backoff, random);
  }

  get recovering(): HlsRecovering {
    return this.state;
  }

  /** A fatal error: returns false when out of attempts (the target was told to give up). */
  handle(error: HlsFatalError, context: HlsRecoveryContext): boolean {
    const action = this.policy.next(error, context);
    switch (action.kind) {
      case 'start-load':
        this.state = 'network';
        this.later(action.delayMs, () => this.target.startLoad());
        return true;
      case 'recover-media':
        this.state = 'media';
        this.target.recoverMedia(false);
        return true;
      case 'swap-codec-and-recover':
        this.state = 'media';
        this.target.recoverMedia(true);
        return true;
      case 'recreate':
        this.state = 'network';
        this.target.destroy();
        this.later(action.delayMs, () => this.target.rebuild());
        return true;
      case 'give-up':
        this.target.giveUp(error.details);
        return false;
    }
  }

  /** A fragment buffered: attempts start afresh; true when this ended a recovery (the status changes). */
  healthy(): boolean {
    this.policy.succeeded();
    if (this.state === null) return false;
    this.state = null;
    return true;
  }

  /** A new source: attempts start afresh. */
  restart(): void {
    this.policy.succeeded();
  }

  /** Playback was torn down: a pending retry must not touch what comes next. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.state = null;
  }

  private later(delayMs: number, action: () => void): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      action();
    }, delayMs);
  }
}
