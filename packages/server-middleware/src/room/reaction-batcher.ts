import type { ReactionBatch, ReactionSample } from '../hub/hub';

/** Positions sent per batch to animate; counts carry the rest (the protocol says "bounded, e.g. ≤ 20"). */
export const MAX_REACTION_SAMPLES = 20;

interface Pending {
  counts: Record<string, number>;
  samples: ReactionSample[];
  /** Reactions seen this window, for reservoir sampling: every reaction has the same chance to be shown. */
  seen: number;
  timer: NodeJS.Timeout;
}

/**
 * Gathers reactions per stream and hands them on as one batch per stream per window: the first reaction after a
 * flush starts a timer of `intervalMs`, so batches of a stream are at least `intervalMs` apart, and no batch is
 * made when there were none: a burst of reactions becomes one message, not one per reaction (PROTOCOL.md,
 * "`reactions` come in batches").
 */
export class ReactionBatcher {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (streamId: string, batch: ReactionBatch) => void,
    private readonly maxSamples = MAX_REACTION_SAMPLES,
  ) {}

  add(streamId: string, reaction: ReactionSample): void {
    const pending = this.window(streamId);
    pending.counts[reaction.emoji] = (pending.counts[reaction.emoji] ?? 0) + 1;
    this.sample(pending, reaction);
  }

  /** Merges a batch from elsewhere (another instance) into this window. */
  addBatch(streamId: string, batch: ReactionBatch): void {
    const entries = Object.entries(batch.counts).filter(([, count]) => count > 0);
    if (entries.length === 0) return;
    const pending = this.window(streamId);
    for (const [emoji, count] of entries) pending.counts[emoji] = (pending.counts[emoji] ?? 0) + count;
    for (const sample of batch.samples) this.sample(pending, sample);
  }

  /** Drops what is pending and stops every timer. */
  close(): void {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
  }

  private window(streamId: string): Pending {
    let pending = this.pending.get(streamId);
    if (!pending) {
      const timer = setTimeout(() => this.flushStream(streamId), this.intervalMs);
      pending = { counts: {}, samples: [], seen: 0, timer };
      this.pending.set(streamId, pending);
    }
    return pending;
  }

  private sample(pending: Pending, reaction: ReactionSample): void {
    pending.seen++;
    if (pending.samples.length < this.maxSamples) {
      pending.samples.push(reaction);
      return;
    }
    const slot = Math.floor(Math.random() * pending.seen);
    if (slot < this.maxSamples) pending.samples[slot] = reaction;
  }

  private flushStream(streamId: string): void {
    const pending = this.pending.get(streamId);
    if (!pending) return;
    this.pending.delete(streamId);
    this.flush(streamId, { counts: pending.counts, samples: pending.samples });
  }
}
