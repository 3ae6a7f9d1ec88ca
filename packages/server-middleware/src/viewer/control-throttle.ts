import type { RateLimit } from '../options/option-checks';
import { TokenBucket } from '../room/token-bucket';

/**
 * The requests whose newest copy is all that matters: a client that asks again before the answer came wants the
 * latest catalog, the latest video, the latest rung, its latest report and limits; the older copies are dropped.
 */
export const COALESCED_REQUESTS = ['catalog', 'select', 'quality', 'feedback', 'viewer-limits'] as const;
export type CoalescedRequest = (typeof COALESCED_REQUESTS)[number];

export function isCoalesced(type: string): type is CoalescedRequest {
  return (COALESCED_REQUESTS as readonly string[]).includes(type);
}

/** At most one "too many requests" answer per second: a flood of refusals would be a flood of its own. */
const REFUSAL_INTERVAL_MS = 1_000;

export interface ControlThrottleDeps {
  limit: RateLimit;
  /** A request refused for want of a token; `waitMs` until the next one. Called at most once a second. */
  refuse(waitMs: number): void;
  now?: () => number;
}

/**
 * The rate of one socket's control requests (`controlRateLimit`, a token bucket like chat's): a request runs at
 * once while the bucket has a token. Past it, a `catalog`, `select`, `quality`, `feedback` or `viewer-limits`
 * waits for the next token, and a newer one of the same type replaces it, so however many a client sends, each
 * costs at most one answer (or one encode) per token; any other request is refused. A player's zapping through
 * the list lands on its last choice, and a flood costs the server no more than the sustained rate.
 */
export class ControlThrottle {
  private readonly bucket: TokenBucket;
  private readonly waiting = new Map<CoalescedRequest, () => void>();
  private timer: NodeJS.Timeout | null = null;
  private refusedAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private readonly now: () => number;
  /** Requests replaced by a newer one of their type, and requests refused: for tests and stats. */
  readonly counts = { coalesced: 0, refused: 0 };

  constructor(private readonly deps: ControlThrottleDeps) {
    this.now = deps.now ?? Date.now;
    this.bucket = new TokenBucket(deps.limit, this.now());
  }

  /** A request of `type` (null: one that is never coalesced): `run` now, later, or never. */
  admit(type: CoalescedRequest | null, run: () => void): void {
    if (this.stopped) return;
    this.drain();
    if (type !== null) {
      if (this.waiting.size === 0 && this.bucket.take(this.now())) {
        run();
        return;
      }
      if (this.waiting.delete(type)) this.counts.coalesced++;
      this.waiting.set(type, run);
      this.schedule();
      return;
    }
    if (this.bucket.take(this.now())) {
      run();
      return;
    }
    this.counts.refused++;
    const now = this.now();
    if (now - this.refusedAt < REFUSAL_INTERVAL_MS) return;
    this.refusedAt = now;
    this.deps.refuse(this.bucket.waitMs());
  }

  /** The socket closed: nothing waiting runs. */
  stop(): void {
    this.stopped = true;
    this.waiting.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private drain(): void {
    for (const [type, run] of this.waiting) {
      if (!this.bucket.take(this.now())) break;
      this.waiting.delete(type);
      run();
      if (this.stopped) return;
    }
  }

  private schedule(): void {
    if (this.timer || this.waiting.size === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.stopped) return;
        this.drain();
        this.schedule();
      },
      Math.max(1, this.bucket.waitMs()),
    );
  }
}
