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
 */
export class FeedbackMeter {
  private dropped = 0;
  private late = 0;
  private renderDropped = 0;
  private decodeTotalMs = 0;
  private decodeCount = 0;
  private lastDecodeMs = 0;
  private history: QualitySample[] = [];
  private totals: FeedbackTotals = { droppedFrames: 0, lateFrames: 0, renderDroppedFrames: 0 };

  recordDecode(ms: number): void {
    this.decodeTotalMs += ms;
    this.decodeCount++;
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

  recordLate(count: number): void {
    this.late += count;
    this.totals.lateFrames += count;
  }

  /** Drops and late frames since the stream started (for the stats readout). */
  get total(): FeedbackTotals {
    return { ...this.totals };
  }

  /** Mean decode time of the last interval that decoded anything. */
  get meanDecodeMs(): number {
    return this.lastDecodeMs;
  }

  report(input: FeedbackInput): FeedbackMessage {
    const bufferLevel = input.targetMs > 0 ? input.bufferMs / input.targetMs : 0;
    if (this.decodeCount > 0) this.lastDecodeMs = this.decodeTotalMs / this.decodeCount;
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
      decodeMs: clamp(this.decodeCount > 0 ? this.decodeTotalMs / this.decodeCount : 0, MAX_MS),
      renderDroppedFrames: Math.min(this.renderDropped, this.dropped, MAX_COUNT),
    };
    this.dropped = 0;
    this.renderDropped = 0;
    this.late = 0;
    this.decodeTotalMs = 0;
    this.decodeCount = 0;
    return message;
  }

  reset(): void {
    this.dropped = 0;
    this.renderDropped = 0;
    this.late = 0;
    this.decodeTotalMs = 0;
    this.decodeCount = 0;
    this.lastDecodeMs = 0;
    this.history = [];
    this.totals = { droppedFrames: 0, lateFrames: 0, renderDroppedFrames: 0 };
  }
}

function clamp(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), max) : 0;
}
