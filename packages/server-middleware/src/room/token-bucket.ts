import type { RateLimit } from '../options/option-checks';

/** One token spent, or how long until there is one (for the refusal's message and `Retry-After`). */
export type Spend = { ok: true } | { ok: false; waitMs: number };

/**
 * Per-sender rate limiting: the bucket holds `burst` tokens and refills continuously at `sustained / windowMs`,
 * so a sender gets a short burst (a person typing a few quick lines), then the sustained rate (a bot flooding
 * the room gets no further), e.g. 5 at once, then 20 messages per 30 s.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    now = Date.now(),
  ) {
    this.tokens = limit.burst;
    this.refilledAt = now;
    this.perMs = limit.sustained / limit.windowMs;
  }

  /** Takes one token if there is one. */
  take(now = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.perMs);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** `take`, answered with the wait when there is no token. */
  spend(now = Date.now()): Spend {
    return this.take(now) ? { ok: true } : { ok: false, waitMs: this.waitMs() };
  }

  /** Milliseconds until the next token, for the refusal's message. */
  waitMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }
}
