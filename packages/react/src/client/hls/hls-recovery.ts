import { type ReconnectOptions, reconnectDelay } from '../connection/reconnect-backoff';
import type { HlsStatusInputs } from '../state/derive-status';

/** What to do about one fatal hls.js error. */
export type HlsRecoveryAction =
  /** The network failed after the playlists were known: load again, after a backoff delay. */
  | { kind: 'start-load'; delayMs: number }
  /** A decode or buffer error: hls.js rebuilds its MediaSource (`recoverMediaError`). */
  | { kind: 'recover-media' }
  /** A second media error soon after the first: often an AAC/HE-AAC mismatch, so swap the codec, then recover. */
  | { kind: 'swap-codec-and-recover' }
  /** Anything else (or a third media error): destroy the instance and build a new one, after a backoff delay. */
  | { kind: 'recreate'; delayMs: number }
  /** Out of attempts: show the error. */
  | { kind: 'give-up' };

export interface HlsFatalError {
  type: string;
  details: string;
}

export interface HlsRecoveryContext {
  networkErrorType: string;
  mediaErrorType: string;
  /** The master playlist was parsed: `startLoad` can resume; before it, only a fresh `loadSource` helps. */
  manifestLoaded: boolean;
}

/**
 * The recovery sequence hls.js documents for fatal errors ("Fatal Error Recovery", hls.js API.md), with the
 * client's reconnect backoff between network retries. Attempts count from the last fragment that buffered, so a
 * stream that recovers and plays on starts afresh; `maxAttempts` bounds a stream that never comes back.
 */
export class HlsRecoveryPolicy {
  private attempts = 0;
  private mediaErrors = 0;

  constructor(
    private readonly backoff: ReconnectOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Attempts since playback was last healthy. */
  get attemptCount(): number {
    return this.attempts;
  }

  next(error: HlsFatalError, context: HlsRecoveryContext): HlsRecoveryAction {
    if (this.attempts >= this.backoff.maxAttempts) return { kind: 'give-up' };
    const delayMs = reconnectDelay(this.attempts, this.backoff, this.random);
    this.attempts++;
    if (error.type === context.networkErrorType) {
      return context.manifestLoaded ? { kind: 'start-load', delayMs } : { kind: 'recreate', delayMs };
    }
    if (error.type === context.mediaErrorType) {
      this.mediaErrors++;
      if (this.mediaErrors === 1) return { kind: 'recover-media' };
      if (this.mediaErrors === 2) return { kind: 'swap-codec-and-recover' };
      this.mediaErrors = 0;
    }
    return { kind: 'recreate', delayMs };
  }

  /** A fragment buffered: playback is healthy again. */
  succeeded(): void {
    this.attempts = 0;
    this.mediaErrors = 0;
  }
}

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
export type HlsRecovering = HlsStatusInputs['recovering'];

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
