import { FEEDBACK_LIMITS, type FeedbackMessage } from '@onair/protocol';
import { estimateNetworkQuality, type QualitySample } from './network-quality';

export interface FeedbackInput {
  /** Local monotonic time of the report (performance.now()). */
  timestamp: number;
  /** Media buffered ahead of the playhead. */
  bufferMs: number;
  /** The playout delay the buffer should hold. */
  targetMs: number;
}

export interface FeedbackTotals {
  droppedFrames: number;
  lateFrames: number;
  /** Of `droppedFrames`, those dropped because this player's decode or render could not keep up. */
  renderDroppedFrames: number;
}

/** Reports kept for the trend in `networkQuality`. */
const HISTORY_LENGTH = 4;
const { maxMs: MAX_MS, maxCount: MAX_COUNT, maxLevel: MAX_LEVEL } = FEEDBACK_LIMITS;

/**
 * Collects what happened to frames between two reports (drops, late frames, decode times) and turns it into
 * the `feedback` message the server's rung controller reads. Each report resets the per-interval counters.
 *
 * The decode time is the time the player spent decoding, overlapping decodes counted once, per frame decoded:
 * whether decoding keeps up with the frame rate. Each decode's own wall time said less: frames that arrive
 * together (a link's burst) decode together, each waiting for the others, and their mean read as a CPU too slow
 * for the frame rate when it was not (issue 9: `cpu` moves off the top rung on every shaped link).
 */
export class FeedbackMeter {
  private dropped = 0;
  private late = 0;
  private renderDropped = 0;
  /** Decodes under way, and since when at least one has been. */
  private decoding = 0;
  private busySince = 0;
  /** While decodes are under way: when the last one ended, or the first one started. */
  private decodeProgressAt = 0;
  private decodeBusyMs = 0;
  private decodeCount = 0;
  private lastDecodeMs = 0;
  private longestStall = 0;
  private history: QualitySample[] = [];
  private totals: FeedbackTotals = { droppedFrames: 0, lateFrames: 0, renderDroppedFrames: 0 };

  /** A JPEG decode started at `at` (performance.now()). */
  decodeStarted(at: number): void {
    if (this.decoding === 0) {
      this.busySince = at;
      this.decodeProgressAt = at;
    }
    this.decoding++;
  }

  /** A decode that started ended at `at`, with a frame or not. */
  decodeEnded(at: number): void {
    if (this.decoding === 0) return;
    this.decoding--;
    this.decodeCount++;
    // Decodes under way and none ending for that long: the decoding thread did not run (a frame takes a few ms,
    // and frames that arrive together end one after another).
    this.recordStall(at - this.decodeProgressAt);
    this.decodeProgressAt = at;
    if (this.decoding === 0) this.decodeBusyMs += Math.max(0, at - this.busySince);
  }

  recordDropped(count: number): void {
    this.dropped += count;
    this.totals.droppedFrames += count;
  }

  /**
   * Of the drops recorded (or to be recorded), `count` were this player's own doing: decodes piling up, display
   * ticks too far apart. The server does not read those as a bad link.
   */
  recordRenderDropped(count: number): void {
    this.renderDropped += count;
    this.totals.renderDroppedFrames += count;
  }

  /**
   * The player could not go on for `ms`: two display ticks that far apart (the page did not run it), or decodes
   * under way with none ending for that long (the decode worker did not run).
   */
  recordStall(ms: number): void {
    this.longestStall = Math.max(this.longestStall, ms);
  }

  recordLate(count: number): void {
    this.late += count;
    this.totals.lateFrames += count;
  }

  /** Drops and late frames since the stream started (for the stats readout). */
  get total(): FeedbackTotals {
    return { ...this.totals };
  }

  /** Decode time per frame of the last interval that decoded anything. */
  get meanDecodeMs(): number {
    return this.lastDecodeMs;
  }

  report(input: FeedbackInput): FeedbackMessage {
    const bufferLevel = input.targetMs > 0 ? input.bufferMs / input.targetMs : 0;
    if (this.decoding > 0) {
      // Decodes still under way: their time so far belongs to this interval, and so does a wait for one to end
      // (the drops it causes may be in this report).
      this.decodeBusyMs += Math.max(0, input.timestamp - this.busySince);
      this.busySince = input.timestamp;
      this.recordStall(input.timestamp - this.decodeProgressAt);
    }
    const decodeMs = this.decodeCount > 0 ? this.decodeBusyMs / this.decodeCount : 0;
    if (this.decodeCount > 0) this.lastDecodeMs = decodeMs;
    const sample: QualitySample = { bufferLevel, droppedFrames: this.dropped, lateFrames: this.late };
    this.history = [...this.history, sample].slice(-HISTORY_LENGTH);
    const message: FeedbackMessage = {
      type: 'feedback',
      bufferLevel: clamp(bufferLevel, MAX_LEVEL),
      bufferMs: Math.round(clamp(input.bufferMs, MAX_MS)),
      networkQuality: estimateNetworkQuality(this.history),
      timestamp: Math.max(0, input.timestamp),
      droppedFrames: Math.min(this.dropped, MAX_COUNT),
      lateFrames: Math.min(this.late, MAX_COUNT),
      decodeMs: clamp(decodeMs, MAX_MS),
      renderDroppedFrames: Math.min(this.renderDropped, this.dropped, MAX_COUNT),
      pageStallMs: Math.round(clamp(this.longestStall, MAX_MS)),
    };
    this.longestStall = 0;
    this.dropped = 0;
    this.renderDropped = 0;
    this.late = 0;
    this.decodeBusyMs = 0;
    this.decodeCount = 0;
    return message;
  }

  reset(): void {
    this.dropped = 0;
    this.renderDropped = 0;
    this.late = 0;
    // Decodes under way stay under way: each still ends.
    this.decodeBusyMs = 0;
    this.decodeCount = 0;
    this.lastDecodeMs = 0;
    this.longestStall = 0;
    this.history = [];
    this.totals = { droppedFrames: 0, lateFrames: 0, renderDroppedFrames: 0 };
  }
}

function clamp(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
}
