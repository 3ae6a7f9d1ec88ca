export interface PacerOptions<T> {
  /** The channel clock, ms. */
  now: () => number;
  emit: (item: T) => void;
  /** Hold items until their timestamp; false emits at once (live inputs already run at real time). */
  paced: boolean;
  /** Items held at which `onPressure(true)` asks the producer to pause. */
  highWater: number;
  /** Items held at which `onPressure(false)` lets it go again. */
  lowWater: number;
  onPressure: (full: boolean) => void;
  /**
   * Items later than this when they could leave are shed (`onShed`) instead of emitted: media that reaches air
   * late would put the channel behind its timeline. Default: none is shed (audio is never shed).
   */
  lateLimitMs?: number;
  onShed?: (item: T, lateMs: number) => void;
}

/**
 * Releases decoded media when it is on air: an item leaves when the channel clock reaches its timestamp, or is
 * shed when it arrives later than `lateLimitMs` (a decoder slower than real time): never emitted late, so the
 * channel stays on its timeline and the caller can see how much it sheds.
 *
 * Pacing happens here rather than with ffmpeg's `-re`: `-re` follows the input's timestamps, which the
 * seek-then-loop input arrangement does not keep continuous, while holding frames against our own clock is exact
 * for any input. Backpressure reaches ffmpeg for free: when the pacer is full the caller pauses the pipe, the
 * pipe fills, and ffmpeg blocks in write() until there is room.
 */
export class MediaPacer<T extends { timestamp: number }> {
  private readonly queue: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private full = false;

  constructor(private readonly options: PacerOptions<T>) {}

  push(item: T): void {
    if (!this.options.paced) {
      this.options.emit(item);
      return;
    }
    this.queue.push(item);
    this.release();
  }

  /** Drops what is held and stops the timer. */
  clear(): void {
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.full = false;
  }

  private shedIfLate(item: T, now: number): boolean {
    const late = now - item.timestamp;
    if (late <= (this.options.lateLimitMs ?? Number.POSITIVE_INFINITY)) return false;
    this.options.onShed?.(item, late);
    return true;
  }

  private release(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = this.options.now();
    while (this.queue.length > 0 && this.queue[0]!.timestamp <= now) {
      const item = this.queue.shift()!;
      if (!this.shedIfLate(item, now)) this.options.emit(item);
    }
    if (!this.full && this.queue.length >= this.options.highWater) {
      this.full = true;
      this.options.onPressure(true);
    } else if (this.full && this.queue.length <= this.options.lowWater) {
      this.full = false;
      this.options.onPressure(false);
    }
    const head = this.queue[0];
    if (head) this.timer = setTimeout(() => this.release(), Math.max(0, head.timestamp - now));
  }
}
