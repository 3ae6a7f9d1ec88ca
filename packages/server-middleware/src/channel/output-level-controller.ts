/** How eagerly a channel sheds output levels and how cautiously it takes them back. */
export interface LevelControllerSettings {
  /** Frames judged when deciding to step down. */
  windowMs: number;
  /** After a change, the new decoder gets this long to start and settle before it is judged. */
  settleMs: number;
  /** Share of the window's frames shed (late) at which the level steps down. */
  shedFraction: number;
  /** No frame at all for this long counts as behind too (a decoder that stalls sheds nothing). */
  stallMs: number;
  /** Time without a shed frame, with the decoder mostly paused, before trying the level above. */
  upHoldMs: number;
  /** Cap of the doubling hold after step-ups that failed. */
  maxUpHoldMs: number;
  /** Share of the hold the decoder must have spent paused (ahead of the clock) before stepping up. */
  upPausedFraction: number;
  /** A step down this soon after a step up means the level above did not fit: the hold doubles. */
  failedProbeMs: number;
}

/** Share of frames shed at which the level drops by two at once. */
const DEEP_SHED_FRACTION = 0.9;
/** Samples of the decoder's write wait a window needs before its speed is trusted. */
const MIN_WAIT_SAMPLES = 5;
/**
 * A restart of the same level, for a reader hopelessly behind, needed again this soon after the last one: the
 * server cannot read this level in real time even on average, and a level down (half the bytes to read, half the
 * frames to send) is better than a channel that goes dark between restarts.
 */
const LOOP_RESYNC_REPEAT_MS = 10_000;
/** Reported speeds are capped here: a decoder that only ever waits for us is "fast", not infinitely so. */
const MAX_SPEED = 100;

/**
 * Why a channel is behind: `decoder`, ffmpeg produces frames slower than real time (output levels are shed);
 * `event-loop`, ffmpeg keeps up but the server reads its frames late, its event loop busy (with sending, most
 * often): late frames are shed, the output level is kept; `encoder`, frames reach the pacer on time but their
 * JPEG encodes take so long that they finish too late to send (a CPU starved by other work): levels are shed, as
 * fewer and smaller frames are fewer and cheaper encodes.
 */
export type BehindCause = 'decoder' | 'event-loop' | 'encoder';

export const DEFAULT_LEVEL_CONTROLLER: LevelControllerSettings = {
  windowMs: 1_000,
  settleMs: 2_000,
  shedFraction: 0.25,
  stallMs: 1_000,
  upHoldMs: 10_000,
  maxUpHoldMs: 160_000,
  // Halving the frame rate halves the work of the rate-dependent stages, so a decoder idle half of the time at
  // the lower level has about the room the level above needs.
  upPausedFraction: 0.5,
  failedProbeMs: 20_000,
};

/**
 * Picks a channel's output level (0 = full, higher = fewer frames, then smaller) from what its decoder does,
 * with every time passed in so it runs on a fake clock:
 * - down one level when, a settle time after the last change, a quarter of the last second's frames were shed
 *   (they reached the pacer already late), or no frame came for a second after the first; at the lowest
 *   level the same level again (a restart puts the decoder back on the timeline); two levels at once when
 *   nearly every frame (90 %) was shed;
 * - up one level after a hold without any shed frame during which ffmpeg was paused by the pacer (ahead of the
 *   clock) at least half of the time; a step down soon after a step up doubles the hold (probe backoff), a
 *   step up that lasts resets it.
 *
 * Frames also reach the pacer late when ffmpeg keeps up but the server reads them late: with hundreds of viewers
 * the event loop is busy sending, and the decoder's output waits in its pipe. Lowering the output then only costs
 * every viewer frames (issue 9: 27 → 15 fps at 500 viewers), while each viewer's own sending already yields. So
 * the decoder is only blamed when it is slow by itself: from samples of whether ffmpeg was blocked writing to us
 * (`writeWaits`), its speed is the media it delivered in the window over the time it spent not waiting for us;
 * below real time it is the cause, and the level steps down as above. Otherwise the late frames are shed and the
 * level is kept; when nearly nothing reaches air (the reading fell too far behind to catch up) the same level is
 * restarted on the timeline, and one level lower if that is needed again within 10 s (the server cannot read
 * this level in real time even on average). Without samples (not Linux), lateness is the decoder's, as before.
 */
export class OutputLevelController {
  private current = 0;
  private changedAt: number;
  /** Null until the first frame: a decoder still starting up has not stalled. */
  private lastFrameAt: number | null = null;
  private frames: { at: number; shed: boolean; durationMs: number }[] = [];
  /** Samples of whether the decoder was blocked writing to us, as counted at each report. */
  private waits: { at: number; samples: number; waiting: number }[] = [];
  private lastShedAt = Number.NEGATIVE_INFINITY;
  /** Encodes of the current level that finished too late because they were slow themselves, in frames each. */
  private encodeSheds: { at: number; frames: number }[] = [];
  /** Intervals the decoder spent paused; `end` null while paused now. */
  private pauses: { start: number; end: number | null }[] = [];
  private upHoldMs: number;
  private upAt: number | null = null;
  private loopResyncAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly levelCount: number,
    now: number,
    private readonly settings: LevelControllerSettings = DEFAULT_LEVEL_CONTROLLER,
  ) {
    this.changedAt = now;
    this.upHoldMs = settings.upHoldMs;
  }

  get level(): number {
    return this.current;
  }

  /** The current hold before a step up, ms (doubles after failed step-ups). */
  get holdMs(): number {
    return this.upHoldMs;
  }

  /** The decoder at the level last decided has taken over: it is judged from now on, after the settle time. */
  started(now: number): void {
    this.changedAt = now;
    this.frames = [];
    this.pauses = [];
    this.waits = [];
    this.encodeSheds = [];
  }

  /**
   * A frame reached the pacer; `shed` when it was already too late to go on air; `durationMs` the media time it
   * covers (one frame interval).
   */
  frame(now: number, shed: boolean, durationMs: number): void {
    this.lastFrameAt = now;
    this.frames.push({ at: now, shed, durationMs });
    if (shed) this.lastShedAt = now;
    const oldest = now - this.settings.windowMs;
    while (this.frames.length > 0 && (this.frames[0] as { at: number }).at < oldest) this.frames.shift();
  }

  /**
   * A frame that went on air was not sent: its JPEG encode took so long by itself that it finished too late (not
   * an encode that waited for a busy event loop: that is the `event-loop` case). Counts against the level as
   * `frames` shed frames: a slow encode also held an encoder while the frames after it came, and those were
   * dropped before encoding.
   */
  encodeShed(now: number, frames: number): void {
    this.encodeSheds.push({ at: now, frames: Math.max(1, frames) });
    this.lastShedAt = now;
    const oldest = now - this.settings.windowMs;
    while (this.encodeSheds.length > 0 && (this.encodeSheds[0] as { at: number }).at < oldest)
      this.encodeSheds.shift();
  }

  /** `samples` taken since the last call of whether the decoder was blocked writing to us; `waiting` found it so. */
  writeWaits(now: number, samples: number, waiting: number): void {
    if (samples > 0) this.waits.push({ at: now, samples, waiting });
    const oldest = now - this.settings.windowMs;
    while (this.waits.length > 0 && (this.waits[0] as { at: number }).at < oldest) this.waits.shift();
  }

  /** The pacer paused (`true`) or resumed (`false`) the decoder. */
  pressure(now: number, paused: boolean): void {
    const open = this.pauses.at(-1);
    if (paused && (!open || open.end !== null)) this.pauses.push({ start: now, end: null });
    else if (!paused && open && open.end === null) open.end = now;
    const oldest = now - this.settings.maxUpHoldMs;
    while (this.pauses.length > 1 && ((this.pauses[0] as { end: number | null }).end ?? now) < oldest)
      this.pauses.shift();
  }

  /**
   * The level to change to now, or null to stay. A returned level is taken: the caller restarts its decoder at
   * it (the current level again when it is the lowest and still behind).
   */
  decide(now: number): number | null {
    if (this.upAt !== null && now - this.upAt >= this.settings.failedProbeMs) {
      this.upAt = null;
      this.upHoldMs = this.settings.upHoldMs;
    }
    const sinceChange = now - this.changedAt;
    if (sinceChange < this.settings.settleMs) return null;
    if (this.behind(now)) {
      if (this.cause(now) === 'event-loop') {
        // Nothing would be gained one level down; a restart only when the reading is hopelessly behind.
        const lost = this.stalled(now) || this.shedShare(now) >= DEEP_SHED_FRACTION;
        if (!lost) return null;
        const again = now - this.loopResyncAt < LOOP_RESYNC_REPEAT_MS;
        this.loopResyncAt = again ? Number.NEGATIVE_INFINITY : now;
        return this.change(now, again ? Math.min(this.current + 1, this.levelCount - 1) : this.current);
      }
      if (this.upAt !== null) this.upHoldMs = Math.min(this.settings.maxUpHoldMs, this.upHoldMs * 2);
      this.upAt = null;
      // At the lowest level there is nothing left to shed: the same level again puts a fresh decoder on the
      // timeline, so output stays near live (with gaps) instead of drifting behind.
      // Nearly everything shed: one level would not be enough (each about halves the work), so two at once.
      const step = this.shedShare(now) >= DEEP_SHED_FRACTION ? 2 : 1;
      return this.change(now, Math.min(this.current + step, this.levelCount - 1));
    }
    if (this.current > 0 && this.hasRoom(now)) {
      this.upAt = now;
      return this.change(now, this.current - 1);
    }
    return null;
  }

  /** Whether the channel is behind now: its frames are shed, or the decoder has stalled. */
  behind(now: number): boolean {
    return (
      this.stalled(now) ||
      this.shedShare(now) >= this.settings.shedFraction ||
      this.encodeShedShare(now) >= this.settings.shedFraction
    );
  }

  /** Why the channel is behind now; null when it is not. */
  cause(now: number): BehindCause | null {
    if (!this.behind(now)) return null;
    if (this.encodeShedShare(now) >= this.settings.shedFraction) return 'encoder';
    const speed = this.decoderSpeed(now);
    return speed !== null && speed >= 1 ? 'event-loop' : 'decoder';
  }

  /**
   * How fast the decoder produces by itself, as a multiple of real time: the media time of the window's frames
   * over the part of the window it spent not blocked writing to us (computing, or waiting for its input or for
   * CPU). Null without enough samples to tell.
   */
  decoderSpeed(now: number): number | null {
    const from = now - this.settings.windowMs;
    let samples = 0;
    let waiting = 0;
    for (const report of this.waits) {
      if (report.at < from) continue;
      samples += report.samples;
      waiting += report.waiting;
    }
    // Just after a change the window holds only the new decoder's part of it.
    const spanMs = now - Math.max(from, this.changedAt);
    if (samples < MIN_WAIT_SAMPLES || spanMs < this.settings.windowMs / 4) return null;
    const busyShare = 1 - waiting / samples;
    const mediaMs = this.frames
      .filter((frame) => frame.at >= from)
      .reduce((sum, frame) => sum + frame.durationMs, 0);
    const speed = busyShare === 0 ? MAX_SPEED : mediaMs / (spanMs * busyShare);
    return Math.min(MAX_SPEED, speed);
  }

  private stalled(now: number): boolean {
    const lastFrameAt = this.lastFrameAt;
    return lastFrameAt !== null && now - Math.max(lastFrameAt, this.changedAt) >= this.settings.stallMs;
  }

  /** Share of the window's frames (on air or not) whose encodes were shed; 0 with too few frames to tell. */
  private encodeShedShare(now: number): number {
    const from = now - this.settings.windowMs;
    const frames = this.frames.filter((frame) => frame.at >= from).length;
    if (frames < 4) return 0;
    const shed = this.encodeSheds.reduce((sum, entry) => (entry.at >= from ? sum + entry.frames : sum), 0);
    return Math.min(1, shed / frames);
  }

  /** Share of the window's frames that were shed; 0 with too few frames to tell. */
  private shedShare(now: number): number {
    const inWindow = this.frames.filter((frame) => frame.at >= now - this.settings.windowMs);
    if (inWindow.length < 4) return 0;
    return inWindow.filter((frame) => frame.shed).length / inWindow.length;
  }

  private hasRoom(now: number): boolean {
    const from = now - this.upHoldMs;
    if (this.changedAt > from || this.lastShedAt > from) return false;
    let paused = 0;
    for (const pause of this.pauses)
      paused += Math.max(0, Math.min(pause.end ?? now, now) - Math.max(pause.start, from));
    return paused / this.upHoldMs >= this.settings.upPausedFraction;
  }

  private change(now: number, level: number): number {
    this.current = level;
    this.changedAt = now;
    this.frames = [];
    // The next decoder starts unpaused and reports its own pauses and waits.
    this.pauses = [];
    this.waits = [];
    this.encodeSheds = [];
    return level;
  }
}
