import type { ReactionsMessage } from '@onair/protocol';
import type { FloatingReaction } from './room-snapshot';

export interface ReactionQueueOptions {
  /** Most emoji on screen at once; the oldest make way. */
  maxFloating: number;
  /** How long one emoji floats before it is removed. */
  lifetimeMs: number;
  onChange(floating: readonly FloatingReaction[]): void;
}

type Sample = ReactionsMessage['samples'][number];

// The server's batch holding our own reaction comes within a batch window or two; a sample older than this
// cannot be that echo any more.
const OWN_ECHO_MS = 1_500;
const GOLDEN_RATIO = 0.618_033_988_75;

/**
 * The emoji floating over the player: a bounded queue, each item removed after its lifetime by a timer. A
 * viewer's own reaction shows at once; the sample of it in the server's next batch is then skipped, so it does
 * not float twice.
 */
export class ReactionQueue {
  private items: readonly FloatingReaction[] = Object.freeze([]);
  private nextKey = 1;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private ownRecent: { emoji: string; at: number }[] = [];

  constructor(private readonly options: ReactionQueueOptions) {}

  get floating(): readonly FloatingReaction[] {
    return this.items;
  }

  addOwn(emoji: string, x: number | undefined, y: number | undefined): void {
    this.ownRecent.push({ emoji, at: Date.now() });
    this.add([{ emoji, x, y }], true);
  }

  /** A batch from the server: its samples, or one emoji per counted kind when it sent no sample. */
  addBatch(message: Pick<ReactionsMessage, 'counts' | 'samples'>): void {
    const now = Date.now();
    this.ownRecent = this.ownRecent.filter((own) => now - own.at <= OWN_ECHO_MS);
    const samples: Sample[] =
      message.samples.length > 0
        ? message.samples
        : Object.entries(message.counts)
            .filter(([, count]) => count > 0)
            .map(([emoji]) => ({ emoji }));
    const others = samples.filter((sample) => {
      const echo = this.ownRecent.findIndex((own) => own.emoji === sample.emoji);
      if (echo === -1) return true;
      this.ownRecent.splice(echo, 1);
      return false;
    });
    this.add(others, false);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ownRecent = [];
    if (this.items.length === 0) return;
    this.items = Object.freeze([]);
    this.options.onChange(this.items);
  }

  private add(samples: readonly Sample[], own: boolean): void {
    if (samples.length === 0) return;
    const added = samples.slice(-this.options.maxFloating).map((sample) => this.floatingOf(sample, own));
    this.items = Object.freeze([...this.items, ...added].slice(-this.options.maxFloating));
    this.options.onChange(this.items);
    const keys = new Set(added.map((item) => item.key));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const kept = this.items.filter((item) => !keys.has(item.key));
      if (kept.length === this.items.length) return;
      this.items = Object.freeze(kept);
      this.options.onChange(this.items);
    }, this.options.lifetimeMs);
    this.timers.add(timer);
  }

  private floatingOf(sample: Sample, own: boolean): FloatingReaction {
    const key = this.nextKey++;
    // Without a position, consecutive emoji spread across the width (golden-ratio steps) instead of stacking,
    // and the same key always lands in the same place: deterministic for tests and stories.
    const x = sample.x ?? 0.1 + ((key * GOLDEN_RATIO) % 1) * 0.8;
    return Object.freeze({ key, emoji: sample.emoji, x, y: sample.y ?? 0.9, own });
  }
}
