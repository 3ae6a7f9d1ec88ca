import type { RateLimit } from '../options/option-checks';
import { type Spend, TokenBucket } from '../room/token-bucket';

/** Senders remembered at once; the least recently seen is forgotten first (it then starts with a full bucket). */
const MAX_SENDERS = 10_000;

/**
 * Token buckets per REST sender, so a bot cannot post faster over HTTP than a viewer can over its socket. The
 * map is bounded: forgetting a sender only ever gives it a full bucket again, never refuses anyone else.
 */
export class SenderRateLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `sender`; when there is none, how many ms until there is. */
  take(sender: string, now = Date.now()): Spend {
    let bucket = this.buckets.get(sender);
    if (bucket) this.buckets.delete(sender);
    else bucket = new TokenBucket(this.limit, now);
    this.buckets.set(sender, bucket);
    if (this.buckets.size > MAX_SENDERS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return bucket.spend(now);
  }
}
