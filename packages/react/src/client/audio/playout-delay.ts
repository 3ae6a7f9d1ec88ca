/**
 * How the playout delay follows the link, beside the underrun steps of ./audio-schedule.ts. The delay starts at
 * the player's `audioBufferMs`; each chunk that comes leaves some sound still buffered (the slack). When the least
 * slack over the last `SLACK_WINDOWS` windows of two seconds stayed above `MIN_SLACK_MS`, the chunks come more
 * steadily than the delay allows for: it comes down by half the spare slack (between the two step bounds), never
 * below the largest chunk plus `MIN_SLACK_MS`. A clean link so plays about 60 ms nearer live than the default
 * delay (issue 9, profile A: 265–361 ms from live against a 250 ms target); a jittery or lossy one keeps its delay,
 * and an underrun still adds a step.
 */

/** Sound left in the buffer when a chunk comes, below which the delay does not come down. */
export const MIN_SLACK_MS = 40;
/** Windows (two seconds each) of slack judged together: a lower delay must have been safe for all of them. */
export const SLACK_WINDOWS = 3;
/** A step down smaller than this is not worth the skip it costs. */
export const LEAD_DOWN_STEP_MIN_MS = 10;
export const LEAD_DOWN_STEP_MAX_MS = 40;
