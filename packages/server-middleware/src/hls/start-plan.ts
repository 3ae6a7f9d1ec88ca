import { planFileStart } from '../timeline/epoch-timeline';

/** Where a packager run starts on the channel's live timeline. */
export interface PackagerStartPlan {
  /** `-start_number`: the number of the first segment. */
  firstNumber: number;
  /** Channel time (ms since the epoch) of the first frame; segment n starts at `origin + (n − first) × S`. */
  originTime: number;
  /** Second of the file to seek to; null to start at 0 (or for inputs that are not files). */
  seekSec: number | null;
  /** Seconds of the first segment that are already due at start, encoded at once rather than paced. */
  catchUpSec: number;
}

/**
 * Segment n of a file channel covers channel time [n × S, (n + 1) × S): numbers come from the epoch clock, so a
 * restarted packager, or another server with the same epoch, never reuses or disagrees on a number. A run
 * starts at the boundary of the segment now on air and encodes the part already due at once, so its first
 * segment is ready about when it ends on the live timeline. `minNumber` (one past the highest number already
 * listed) keeps numbers rising even for a live input that delivered faster than real time.
 */
export function planPackagerStart(
  channelTimeMs: number,
  segmentSeconds: number,
  durationSec: number | null,
  minNumber: number,
): PackagerStartPlan {
  const segmentMs = segmentSeconds * 1000;
  const firstNumber = Math.max(Math.floor(channelTimeMs / segmentMs), minNumber);
  if (durationSec === null) {
    return { firstNumber, originTime: channelTimeMs, seekSec: null, catchUpSec: 0 };
  }
  const plan = planFileStart(firstNumber * segmentMs, durationSec);
  return {
    firstNumber,
    originTime: plan.firstFrameTime,
    seekSec: plan.seekSec,
    catchUpSec: Math.max(0, (channelTimeMs - plan.firstFrameTime) / 1000),
  };
}
