import { DEFAULT_FEEDBACK_INTERVAL_MS, type FeedbackMessage } from '@onair/protocol';
import type { Playout } from '../playout/playout';
import type { LiveStreamSnapshot } from '../state/snapshot';
import { type SnapshotStore, shallowEqual } from '../state/snapshot-store';

export interface FeedbackReportsDeps {
  store: SnapshotStore<LiveStreamSnapshot>;
  playout: Playout;
  send(message: FeedbackMessage): void;
  /** Whether there is anything to report: a stream plays over the socket and the viewer has not paused. */
  shouldReport(): boolean;
  /** Whether the socket path owns the snapshot's stats (not while HLS plays). */
  publishing(): boolean;
}

/**
 * The steady cadence the server's `welcome` sets: the player's feedback report, which the server's rung
 * controller reads, and the stats readout refreshed with it (so both describe the same moment).
 */
export class FeedbackReports {
  private intervalMs = DEFAULT_FEEDBACK_INTERVAL_MS;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: FeedbackReportsDeps) {}

  start(intervalMs: number): void {
    this.stop();
    this.intervalMs = intervalMs;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  refreshStats(): void {
    const { store, playout } = this.deps;
    if (!this.deps.publishing()) return;
    const { rung, quality, stats } = store.get();
    const next = { ...playout.readStats(), rung, quality, level: null };
    if (!shallowEqual(next, stats)) store.update({ stats: next });
  }

  private tick(): void {
    if (this.deps.shouldReport()) this.deps.send(this.deps.playout.takeFeedback(performance.now()));
    this.refreshStats();
  }
}
