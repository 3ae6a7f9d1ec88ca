import { type ReconnectOptions, reconnectDelay } from '../connection/reconnect-backoff';

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
