import { FEEDBACK_LIMITS, type FeedbackMessage } from '@onair/protocol';

const { maxMs: MAX_MS, maxCount: MAX_COUNT, maxLevel: MAX_LEVEL } = FEEDBACK_LIMITS;

/**
 * Counts what happened between two `feedback` messages and builds them. `decodeMs` is 0 because `watch`
 * decodes no JPEG: the server's controller then judges this viewer by its buffer and its losses only.
 */
export class WatchFeedback {
  private skipped = 0;
  private late = 0;

  count(verdict: { skipped: number; late: boolean }): void {
    this.skipped += verdict.skipped;
    if (verdict.late) this.late += 1;
  }

  /** The message for the interval that ends now; the counters start over. */
  take(buffer: { bufferMs: number; level: number }, timestamp: number): FeedbackMessage {
    const message: FeedbackMessage = {
      type: 'feedback',
      bufferLevel: Math.min(buffer.level, MAX_LEVEL),
      bufferMs: Math.round(Math.min(buffer.bufferMs, MAX_MS)),
      networkQuality: networkQuality(buffer.level, this.skipped + this.late),
      timestamp: Math.max(0, timestamp),
      droppedFrames: Math.min(this.skipped, MAX_COUNT),
      lateFrames: Math.min(this.late, MAX_COUNT),
      decodeMs: 0,
    };
    this.skipped = 0;
    this.late = 0;
    return message;
  }
}

/**
 * The React player's thresholds for the newest report (`estimateNetworkQuality` in @onair/react): nearly empty
 * or heavy loss is poor, under half full or any loss is fair. Its third rule, a buffer falling over the last
 * three reports, is left out: `watch` keeps no history of reports, and the server reads only the raw numbers.
 */
function networkQuality(level: number, lost: number): FeedbackMessage['networkQuality'] {
  if (level < 0.1 || lost >= 5) return 'poor';
  if (level < 0.5 || lost > 0) return 'fair';
  return 'good';
}
