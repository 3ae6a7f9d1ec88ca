import type { ServerPressure } from '../ladder/rung-controller';
import { EventLoopLoad } from './event-loop-load';

export interface ServerLoadTuning {
  /** A viewer is an outlier when its delivered share is under this fraction of the median. */
  outlierFraction: number;
  /** Fewer viewers than this with a fresh share: no crowd to compare with, no viewer is an outlier. */
  minCrowd: number;
  /** A viewer's share older than this no longer counts (it left, or stopped reporting). */
  freshMs: number;
  /** The median is recomputed at most this often: hundreds of viewers report every 500 ms. */
  medianEveryMs: number;
}

export const DEFAULT_SERVER_LOAD_TUNING: ServerLoadTuning = {
  outlierFraction: 0.5,
  minCrowd: 3,
  freshMs: 5_000,
  medianEveryMs: 500,
};

/**
 * The server's load as the rung controllers see it: whether the event loop is saturated, and what share of its
 * step's bitrate each viewer gets acknowledged (its "delivered share"). A saturated loop lowers every viewer's
 * share alike; a viewer far under the median of all of them has a slow link of its own (`ServerPressure.outlier`).
 * One per process, like the event loop it measures (`processServerLoad`); shares are per step, so viewers of
 * every channel and rung compare.
 */
export class ServerLoad {
  private readonly tuning: ServerLoadTuning;
  private readonly shares = new Map<object, { share: number; at: number }>();
  private median: number | null = null;
  private medianAt = Number.NEGATIVE_INFINITY;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly loop: { readonly saturated: boolean } = new EventLoopLoad(),
    tuning: Partial<ServerLoadTuning> = {},
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tuning = { ...DEFAULT_SERVER_LOAD_TUNING, ...tuning };
  }

  /** `viewer` got `share` of its step's bitrate acknowledged lately. */
  report(viewer: object, share: number): void {
    const now = this.now();
    this.shares.set(viewer, { share, at: now });
    // Viewers that left never say so: their shares go once stale, saturated or not.
    if (now - this.prunedAt > this.tuning.freshMs) {
      this.prunedAt = now;
      for (const [other, { at }] of this.shares)
        if (now - at > this.tuning.freshMs) this.shares.delete(other);
    }
  }

  /**
   * The pressure on a viewer whose share is `share`, on a channel that encodes the rungs `encoded` says. Only a measured viewer, compared with a measured crowd, can
   * be an outlier: while the server is saturated, no evidence of a slow link of its own is no reason to add an
   * encoder (hundreds of viewers join a saturated server before any of them is measured).
   */
  pressure(share: number | null, encoded: (rung: number) => boolean): ServerPressure {
    const saturated = this.loop.saturated;
    if (!saturated || share === null) return { saturated, outlier: false, encoded };
    const median = this.crowdMedian();
    return { saturated, outlier: median !== null && share < this.tuning.outlierFraction * median, encoded };
  }

  /** The median delivered share of the viewers that reported lately; null with too few of them. */
  crowdMedian(): number | null {
    const now = this.now();
    if (now - this.medianAt < this.tuning.medianEveryMs) return this.median;
    this.medianAt = now;
    const fresh: number[] = [];
    for (const { share, at } of this.shares.values()) if (now - at <= this.tuning.freshMs) fresh.push(share);
    if (fresh.length < this.tuning.minCrowd) this.median = null;
    else {
      fresh.sort((a, b) => a - b);
      const middle = fresh.length >> 1;
      this.median = fresh.length % 2 ? fresh[middle]! : (fresh[middle - 1]! + fresh[middle]!) / 2;
    }
    return this.median;
  }
}

let shared: ServerLoad | null = null;

/** The process's one `ServerLoad`, made on first use. */
export function processServerLoad(): ServerLoad {
  shared ??= new ServerLoad();
  return shared;
}
