/** How the client retries a lost connection. */
export interface ReconnectOptions {
  /** Delay before the first retry. Default 500 ms. */
  initialDelayMs: number;
  /** Cap on the delay. Default 10 000 ms. */
  maxDelayMs: number;
  /** Growth per attempt. Default 2. */
  factor: number;
  /** Fraction of the delay that is random, 0 to 1. Default 0.5. */
  jitter: number;
  /** Attempts before giving up with `ONAIR_CONNECTION_FAILED`. Default Infinity: a live player keeps trying. */
  maxAttempts: number;
}

export const DEFAULT_RECONNECT_OPTIONS: ReconnectOptions = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
};

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
