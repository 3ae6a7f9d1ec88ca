import { performance } from 'node:perf_hooks';

/** Cumulative busy and idle time of the event loop, ms (`performance.eventLoopUtilization()`). */
export interface LoopTimes {
  active: number;
  idle: number;
}

export interface EventLoopLoadTuning {
  /** The utilization is measured over at least this long (it is sampled when asked, never on a timer). */
  windowMs: number;
  /** Saturated from this share of the time busy… */
  saturatedAt: number;
  /** …until it falls under this one: a hysteresis, so a loop at the edge does not flip at every window. */
  clearAt: number;
}

export const DEFAULT_LOOP_TUNING: EventLoopLoadTuning = { windowMs: 1_000, saturatedAt: 0.9, clearAt: 0.75 };

const readLoop = (): LoopTimes => performance.eventLoopUtilization();

/**
 * Whether this process's event loop is saturated: the share of the last window it spent running callbacks rather
 * than waiting for I/O (event-loop utilization). A saturated loop reads acks and writes frames late for every
 * socket at once, which is why the rung controller asks (`ServerPressure`). Sampled lazily: a call after
 * `windowMs` or more closes a window.
 */
export class EventLoopLoad {
  private readonly tuning: EventLoopLoadTuning;
  private last: LoopTimes;
  private lastAt: number;
  private busy = false;
  private share: number | null = null;

  constructor(
    tuning: Partial<EventLoopLoadTuning> = {},
    private readonly read: () => LoopTimes = readLoop,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tuning = { ...DEFAULT_LOOP_TUNING, ...tuning };
    this.last = read();
    this.lastAt = now();
  }

  get saturated(): boolean {
    this.sample();
    return this.busy;
  }

  /** The busy share of the last full window; null before one closed. */
  get utilization(): number | null {
    this.sample();
    return this.share;
  }

  private sample(): void {
    const now = this.now();
    if (now - this.lastAt < this.tuning.windowMs) return;
    const times = this.read();
    const active = times.active - this.last.active;
    const total = active + times.idle - this.last.idle;
    this.last = times;
    this.lastAt = now;
    if (total <= 0) return;
    this.share = active / total;
    this.busy = this.share >= (this.busy ? this.tuning.clearAt : this.tuning.saturatedAt);
  }
}
