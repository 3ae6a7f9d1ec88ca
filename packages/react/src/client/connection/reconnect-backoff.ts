/** How the client retries a lost connection. Defaults: `DEFAULT_CLIENT_OPTIONS.reconnect` (in `options.ts`). */
export interface ReconnectOptions {
  /** Delay before the first retry, ≥ 0 ms. Default 500 ms. */
  initialDelayMs: number;
  /** Cap on the delay, ≥ 0 ms. Default 10 000 ms. */
  maxDelayMs: number;
  /** Growth per attempt, ≥ 1. Default 2. */
  factor: number;
  /** Fraction of the delay that is random, 0 to 1. Default 0.5. */
  jitter: number;
  /** Attempts before giving up with `ONAIR_CONNECTION_FAILED`: a whole number, or Infinity (the default: a live
   * player keeps trying). */
  maxAttempts: number;
}

/**
 * Delay before retry number `attempt` (0 for the first): exponential and capped, with part of it random so that
 * the viewers a server restart cut off together do not all come back in the same millisecond
 * ("Exponential Backoff And Jitter", AWS Architecture Blog). The result lies in (base × (1 − jitter), base].
 */
export function reconnectDelay(
  attempt: number,
  options: ReconnectOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return Math.round(base * (1 - options.jitter * random()));
}
