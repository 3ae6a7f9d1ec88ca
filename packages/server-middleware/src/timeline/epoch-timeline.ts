/*
 * The live timeline of a file channel: position = ((now − epoch) / 1000) mod duration. Two servers with the same
 * epoch show the same moment without talking to each other, and a restarted decoder picks up where it should be.
 * Every time here is on the channel clock: ms since the configured epoch.
 */

/** Seconds into a looping file at channel time `channelTimeMs`, in [0, duration). */
export function positionAt(channelTimeMs: number, durationSec: number): number {
  const position = (channelTimeMs / 1000) % durationSec;
  return position < 0 ? position + durationSec : position;
}

/** How a decoder of a looping file starts: where it seeks, and when its first frame is on air. */
export interface StartPlan {
  /** Second of the file to seek to; null to start at 0 (no seek pass at all). */
  seekSec: number | null;
  /** Channel time of the first decoded frame; frame n is on air at `firstFrameTime + n × 1000 / fps`. */
  firstFrameTime: number;
}

/**
 * Seeking to within `EDGE_SEC` of either end is not worth a seek pass: the pass would be (nearly) empty, so the
 * decoder starts at 0 and the first frame is placed where the timeline has 0 (a little in the past near the start,
 * a little in the future near the end, where the pacer holds it).
 */
const EDGE_SEC = 0.25;

export function planFileStart(channelTimeMs: number, durationSec: number | null): StartPlan {
  if (durationSec === null || durationSec <= 2 * EDGE_SEC)
    return { seekSec: null, firstFrameTime: channelTimeMs };
  const position = positionAt(channelTimeMs, durationSec);
  if (position < EDGE_SEC) return { seekSec: null, firstFrameTime: channelTimeMs - position * 1000 };
  if (durationSec - position < EDGE_SEC) {
    return { seekSec: null, firstFrameTime: channelTimeMs + (durationSec - position) * 1000 };
  }
  return { seekSec: position, firstFrameTime: channelTimeMs };
}
