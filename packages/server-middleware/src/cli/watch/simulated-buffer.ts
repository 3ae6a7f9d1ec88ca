// The React player's default playout delay, so `watch` reports like it.
import { DEFAULT_VIDEO_BUFFER_MS, reducedRateExtraMs } from '@onair/protocol';

/** Sequence jumps larger than this are a restart or a new stream, not frames lost on the way. */
const MAX_SEQUENCE_GAP = 10_000;

/** What one arriving video frame meant for playout. */
export interface FrameVerdict {
  /** Frames the server skipped right before this one (a gap in the channel's sequence numbers). */
  skipped: number;
  /** It arrived after its playout time: a player would show it late or not at all. */
  late: boolean;
}

/**
 * A simulation of the jitter buffer a player would have (the React player's is `client/playout/jitter-buffer.ts`
 * in @onair/react), without decoding or holding anything: only arrival times and timestamps. Playout starts `delayMs` after the first
 * frame arrives and then follows that frame's clock, like the player's local clock, so the buffer is measured
 * the way the player measures it and needs no clock shared with the server. A buffer that ran dry starts over
 * from the next frame, as a player rebuffering does.
 */
export class SimulatedBuffer {
  /** Local ms minus channel ms of the playhead; null until the first frame. */
  private playoutOffset: number | null = null;
  private newestTimestamp = Number.NEGATIVE_INFINITY;
  private lastSequence: number | null = null;
  /** For a reduced rate: how much longer each frame stands than the channel's, and the sequence step it takes. */
  private reduced = { extraMs: 0, stride: 1 };

  constructor(readonly delayMs = DEFAULT_VIDEO_BUFFER_MS) {}

  /** A new stream (another video, or the channel restarted): nothing buffered, sequences start over. */
  reset(): void {
    this.playoutOffset = null;
    this.newestTimestamp = Number.NEGATIVE_INFINITY;
    this.lastSequence = null;
  }

  /**
   * The channel's rate and the one this viewer is sent (`stream.viewerFps`, `quality-changed.viewerFps`). At a
   * reduced rate the sequence numbers step over the frames left out (not lost), and each frame stands until the
   * next is due, as the React player counts it.
   */
  setRates(channelFps: number, viewerFps: number): void {
    const reduced = viewerFps > 0 && viewerFps < channelFps;
    this.reduced = reduced
      ? { extraMs: reducedRateExtraMs(channelFps, viewerFps), stride: Math.ceil(channelFps / viewerFps) }
      : { extraMs: 0, stride: 1 };
  }

  receive(frame: { timestamp: number; sequence: number }, now: number): FrameVerdict {
    const skipped = this.countSkipped(frame.sequence);
    this.playoutOffset ??= now - frame.timestamp + this.delayMs;
    const playhead = now - this.playoutOffset;
    const late = frame.timestamp < playhead;
    if (late && this.bufferedMs(now) === 0 && playhead - frame.timestamp > this.delayMs) {
      this.playoutOffset = now - frame.timestamp + this.delayMs;
    }
    this.newestTimestamp = Math.max(this.newestTimestamp, frame.timestamp);
    return { skipped, late };
  }

  /** Media received and not yet due, in ms of the channel clock. */
  bufferedMs(now: number): number {
    if (this.playoutOffset === null) return 0;
    return Math.max(0, this.newestTimestamp + this.reduced.extraMs - (now - this.playoutOffset));
  }

  /** Fill as a fraction of the target, the `bufferLevel` of the protocol's feedback. */
  level(now: number): number {
    return this.bufferedMs(now) / this.delayMs;
  }

  private countSkipped(sequence: number): number {
    const previous = this.lastSequence;
    this.lastSequence = sequence;
    if (previous === null) return 0;
    // Unsigned difference: the wire's sequence is 32 bits and wraps.
    const step = (sequence - previous) >>> 0;
    return step >= 1 && step <= MAX_SEQUENCE_GAP ? Math.max(0, step - this.reduced.stride) : 0;
  }
}
