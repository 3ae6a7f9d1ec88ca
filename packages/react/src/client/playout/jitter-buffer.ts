export interface TimedFrame {
  /** Milliseconds on the channel clock. */
  readonly timestamp: number;
}

export interface JitterBufferOptions<T> {
  /** Most frames held; past it the oldest go (counted as dropped). Default 120 (4 s at 30 fps). */
  maxFrames?: number;
  /** A frame shown more than this after its timestamp counts as late. Default 50 ms (3 rAF ticks at 60 Hz). */
  lateThresholdMs?: number;
  /** Called for every frame the buffer lets go without returning it, so its bitmap can be closed. */
  onDiscard?: (frame: T) => void;
}

export interface JitterCounters {
  /** Frames never shown: skipped because a newer one was due, evicted by the bound, or arrived too late. */
  dropped: number;
  /** Frames shown more than `lateThresholdMs` after their time. */
  late: number;
}

/**
 * Video frames waiting for their moment, ordered by timestamp. The playout asks `takeDue(clock)` each display
 * tick and gets the newest frame whose time has come; older due frames are skipped, because on live video
 * showing a stale frame is worse than not showing it.
 */
export class JitterBuffer<T extends TimedFrame> {
  private frames: T[] = [];
  private lastTaken = Number.NEGATIVE_INFINITY;
  private dropped = 0;
  private late = 0;
  private readonly maxFrames: number;
  private readonly lateThresholdMs: number;
  private readonly onDiscard: (frame: T) => void;

  constructor(options: JitterBufferOptions<T> = {}) {
    this.maxFrames = Math.max(1, options.maxFrames ?? 120);
    this.lateThresholdMs = options.lateThresholdMs ?? 50;
    this.onDiscard = options.onDiscard ?? (() => {});
  }

  get size(): number {
    return this.frames.length;
  }

  /**
   * Adds a frame; returns false (and counts a drop) when it is older than the frame already shown. A frame with
   * the same time as one held or shown is the same picture again (the server resends the current frame at a new
   * rung): it replaces the held one, or goes if that one was shown, and is never counted as a drop.
   */
  push(frame: T): boolean {
    if (frame.timestamp === this.lastTaken) {
      this.onDiscard(frame);
      return false;
    }
    if (frame.timestamp < this.lastTaken) {
      this.drop(frame);
      return false;
    }
    // Frames nearly always arrive in order, so the insertion point is found from the end.
    let index = this.frames.length;
    while (index > 0 && this.frames[index - 1]!.timestamp > frame.timestamp) index--;
    const same = this.frames[index - 1];
    if (same && same.timestamp === frame.timestamp) {
      this.onDiscard(same);
      this.frames[index - 1] = frame;
      return true;
    }
    this.frames.splice(index, 0, frame);
    while (this.frames.length > this.maxFrames) this.drop(this.frames.shift()!);
    return true;
  }

  /** The newest frame with timestamp ≤ `clockMs`, or undefined; the older due frames are dropped. */
  takeDue(clockMs: number): T | undefined {
    let dueCount = 0;
    while (dueCount < this.frames.length && this.frames[dueCount]!.timestamp <= clockMs) dueCount++;
    if (dueCount === 0) return undefined;
    const due = this.frames.splice(0, dueCount);
    const shown = due.pop()!;
    for (const skipped of due) this.drop(skipped);
    if (clockMs - shown.timestamp > this.lateThresholdMs) this.late++;
    this.lastTaken = shown.timestamp;
    return shown;
  }

  /** Keeps only the newest frame (jumping to live); what goes was not lost to the network, so is not counted. */
  keepNewest(): void {
    const newest = this.frames.pop();
    for (const frame of this.frames) this.onDiscard(frame);
    this.frames = newest ? [newest] : [];
  }

  /** The newest frame held, or undefined. */
  get newestTimestamp(): number | undefined {
    return this.frames[this.frames.length - 1]?.timestamp;
  }

  /** Drop and late counts since the previous call. */
  takeCounters(): JitterCounters {
    const counters = { dropped: this.dropped, late: this.late };
    this.dropped = 0;
    this.late = 0;
    return counters;
  }

  /** Empties the buffer for a new stream; what it held was not lost to the network, so nothing is counted. */
  clear(): void {
    for (const frame of this.frames) this.onDiscard(frame);
    this.frames = [];
    this.lastTaken = Number.NEGATIVE_INFINITY;
  }

  private drop(frame: T): void {
    this.dropped++;
    this.onDiscard(frame);
  }
}
