import { FPS_DECIMATION_STEPS } from '@onair/protocol';

/** Why the controller moved a viewer (the `reason` of a `quality-changed` message). */
export type RungSwitchReason = 'buffer-low' | 'buffer-high' | 'drops' | 'backpressure' | 'throughput' | 'cpu';

/** Where a viewer is: a rung, and below rung 0 a frame-rate step (an index into `FPS_DECIMATION_STEPS`). */
export interface RungDecision {
  rung: number;
  /** 0: the channel's full rate; n: the channel's rate divided by `FPS_DECIMATION_STEPS[n]`. */
  fpsStep: number;
  reason: RungSwitchReason;
}

/** What the server measured of the link over the last few reports (`LinkMeter`). */
export interface LinkSample {
  /** Video bytes acknowledged per second, as kbit/s. */
  kbps: number;
  /**
   * The link, not the sender, set that rate: video was held back for it in the period. Otherwise the rate only
   * says the link carries at least what was sent.
   */
  limited: boolean;
  /**
   * The rate a video frame's bytes crossed the link at (`LinkMeter`), kbit/s; null before the round trip is
   * known. Unlike `kbps` it sees a link wider than what is sent, and it errs low.
   */
  burstKbps: number | null;
}

/** One `feedback` report, with what the server knows beside it. */
export interface FeedbackSample {
  /** Jitter-buffer fill as a fraction of its target (1 = at target). */
  bufferLevel: number;
  droppedFrames: number;
  /** Of `droppedFrames`, those the player's own decode or render dropped: not the link's fault. */
  renderDroppedFrames: number;
  lateFrames: number;
  decodeMs: number;
  /** The longest the page went without running its player since the last report (`feedback.pageStallMs`). */
  pageStallMs: number;
  /** 1000 / the viewer's frame rate. */
  frameIntervalMs: number;
  /** Each rung's bitrate at the channel's full frame rate, kbit/s, lowest rung first. */
  rungKbps: readonly number[];
  link: LinkSample | null;
}

/**
 * What the server knows of its own load when a viewer seems to get less through (`ServerLoad`): a busy event loop
 * acks late and sends late to every viewer alike, which no rung of one viewer fixes.
 */
export interface ServerPressure {
  /** The server's event loop is saturated. */
  saturated: boolean;
  /** This viewer gets clearly less through than the server's other viewers: its own link is the cause. */
  outlier: boolean;
  /** Whether the viewer's channel encodes `rung` now (somebody watches it): going there adds no encoder. */
  encoded(rung: number): boolean;
}

/** Moves that a saturated server causes for every viewer alike (not `cpu`: that is the player's own). */
const LINK_REASONS: ReadonlySet<RungSwitchReason> = new Set([
  'buffer-low',
  'drops',
  'backpressure',
  'throughput',
]);

export interface RungControllerTuning {
  /** Weight of the newest report in the smoothed buffer level (EWMA). */
  smoothing: number;
  /** A single report this low means the buffer is about to run dry: go down at once. */
  criticalLevel: number;
  /** Go down when the smoothed level is below this. */
  lowLevel: number;
  /** A report counts as good when it and the smoothed level are at least this (and nothing was dropped). */
  highLevel: number;
  /** Least time between two down-switches: the previous one needs a moment to show in the reports. */
  downCooldownMs: number;
  /** Least time after a down-switch before a low average (not a critical report) can cause another. */
  settleMs: number;
  /** A report this far under the smoothed level, and under target, means the buffer is draining: not good. */
  drainTolerance: number;
  /** Good reports needed in a row, as time, before going up one step. */
  upHoldMs: number;
  /** The hold never grows past this. */
  maxUpHoldMs: number;
  /** A down-switch this soon after an up-switch means the probe failed: the hold of that step doubles. */
  failedUpWindowMs: number;
  /** Late frames per report tolerated before they count as drops. */
  lateFramesAllowed: number;
  /** Decode time above this share of the frame interval means the viewer's CPU cannot keep up. */
  slowDecodeShare: number;
  /** Share of the measured link rate a rung may use: the rest absorbs variation and the audio's share. */
  headroom: number;
  /**
   * A failed probe's hold is forgotten once the link's burst rate is this many times what it was when the probe
   * failed (and the step fits it): the link has widened since.
   */
  widerLink: number;
  /** A link-limited measurement keeps vetoing up-steps that would not fit it for this long. */
  capacityMemoryMs: number;
  /** After a down-step, throughput is not read for this long: the link meter's window still spans the old step. */
  remeasureMs: number;
  /**
   * A move for the viewer's own CPU (`cpu`) caps its rung for this long: probing back up at once would only
   * overload the same CPU again.
   */
  cpuCapMs: number;
  /** Reports in a row with slow decode before a `cpu` move: one slow report is a hiccup of a busy page. */
  slowDecodeReports: number;
  /**
   * The hold of up-steps from the start until the first down-step (a quick start, as TCP's slow start): a viewer
   * on an ample link reaches the top in seconds, one on a narrow link learns its capacity at the first overload.
   */
  startupUpHoldMs: number;
  /** From the first report, buffer rules wait this long for the buffer to fill once (it starts empty). */
  primeGraceMs: number;
  /**
   * An up-step that needs at most `roomyBurstShare` of the burst rate, to a step whose probes never failed, holds
   * only `roomyUpHoldMs`: the link shows room for it.
   */
  roomyBurstShare: number;
  roomyUpHoldMs: number;
  /**
   * A report whose page stalled at least `pageStallMs` excuses what the stall did to the reports and the
   * measurement: for `stallGraceMs` from it, no move down for throughput, drops, the buffer or a server skip
   * (the sender's skips fit what it sends to the viewer meanwhile). At most once per
   * `stallExcuseEveryMs`: a page that stalls more often than that is too busy for its step.
   */
  pageStallMs: number;
  stallGraceMs: number;
  stallExcuseEveryMs: number;
}

export const DEFAULT_RUNG_TUNING: RungControllerTuning = {
  smoothing: 0.3,
  criticalLevel: 0.1,
  lowLevel: 0.3,
  highLevel: 0.5,
  drainTolerance: 0.15,
  downCooldownMs: 1_000,
  settleMs: 3_000,
  upHoldMs: 2_000,
  maxUpHoldMs: 16_000,
  failedUpWindowMs: 5_000,
  lateFramesAllowed: 2,
  slowDecodeShare: 0.8,
  headroom: 0.8,
  widerLink: 1.5,
  capacityMemoryMs: 5_000,
  remeasureMs: 2_000,
  cpuCapMs: 20_000,
  slowDecodeReports: 3,
  startupUpHoldMs: 500,
  primeGraceMs: 3_000,
  roomyBurstShare: 0.5,
  roomyUpHoldMs: 500,
  pageStallMs: 150,
  stallGraceMs: 2_000,
  stallExcuseEveryMs: 10_000,
};

/**
 * Chooses a viewer's rung, and below the lowest rung its frame rate, from three signals:
 *
 * 1. Throughput (rate-based, as BOLA's and DASH.js' throughput rule): video bytes acknowledged per second, taken as
 *    the link's capacity only while the link was the bottleneck (the sender had to hold video back) and not
 *    within `remeasureMs` of a down-step (the measurement would span the step before). The viewer then jumps
 *    straight to the highest step whose bitrate fits `headroom` of it: no walking one rung per cool-down. The same
 *    figure vetoes up-steps that would not fit for `capacityMemoryMs`, unless the link's burst rate is higher.
 * 2. Buffer (as BBA, Huang et al. 2014): the player's jitter-buffer level. Low or draining: down one step; high and
 *    steady for `upHoldMs`: up one step. Up is the only way to learn that more fits, so it is a probe: an up-step
 *    undone within `failedUpWindowMs` doubles the hold before that step (probe backoff, per step), one that holds
 *    halves it back. A hold is forgotten when the link's burst rate (`LinkSample.burstKbps`, the rate a frame's
 *    bytes cross it at) has grown by half since that probe failed, and the step fits it: the link has widened.
 *    No step is tried that needs more than the burst rate: it could only fail. One that needs at most half of it
 *    (and never failed) holds only `roomyUpHoldMs` (0.5 s).
 * 3. Trouble the player reports: frames dropped or late off the network (not `renderDroppedFrames`, its own CPU),
 *    go down one step with a short cool-down, but only when the link agrees (the sender had to hold video back,
 *    or the buffer is low): a player whose own CPU is busy drops and delays frames on a link with room to spare,
 *    and stepping its link rung down fixes nothing (issue 9: 9 switches on a 50 Mbit/s link). A server-side skip
 *    (the sender held a frame back) is the link's own evidence: one step down. JPEG decode slower than
 *    `slowDecodeShare` of the frame interval for `slowDecodeReports` reports in a row goes down with reason `cpu`
 *    and caps the rung for `cpuCapMs`, so the buffer-high probe does not take the same CPU straight back up
 *    (players that send `viewer-limits` also cap their frame rate themselves).
 *    A page that stalled (`pageStallMs`: a long task, or a CPU busy elsewhere) stopped reading and acking for that
 *    long, and its buffer drained for it: for `stallGraceMs` the throughput, drop, buffer and skip rules do not move it
 *    down (issue 9: page stalls of 300–400 ms on a 50 Mbit/s link, each a step down and back up), once per
 *    `stallExcuseEveryMs`.
 *
 * Start: the buffer starts empty, so the buffer rules wait until it has filled once (or `primeGraceMs`), and
 * until the first down-step up-steps hold only `startupUpHoldMs` (as TCP's slow start): on an ample link the top
 * is reached in seconds, on a narrow one the first overload measures the link and ends the quick start.
 *
 * Steps are positions: rungs 0…n−1 at the full rate, then below rung 0 its frame rate divided by 2, 3, 6
 * (`FPS_DECIMATION_STEPS`: 30 → 15 → 10 → 5 fps) before anything freezes. Pure: time comes in as an argument.
 *
 * A saturated server (`ServerPressure`) lowers every viewer's acked throughput and buffer at once, and each rung
 * that a down-step opens adds a JPEG encode per frame to that same server: a feedback loop (issue 9, fan-out). So
 * while it is saturated, down-steps for link reasons (throughput, buffer, drops, server skips) are held, and the
 * sender's skips alone fit each viewer to what the server can send; only an `outlier` (it gets far less through
 * than the others: its own link is slow) moves as on an idle server. Moving the crowd even to rungs already
 * encoded, or decimating it, was tried: hundreds of viewers then slid to rung 0 at 5 fps together. `cpu` moves
 * are never held. Up-steps still go on, but not to a rung nobody is encoded for: the next step up is then the
 * lowest encoded rung above (if it fits the link as measured), else none; 500 viewers with full buffers otherwise
 * climbed from the middle rung to the top one by one, keeping every rung between encoded.
 */
export class RungController {
  /** ≥ 0: that rung at the full rate; < 0: rung 0 at fps step −position. */
  private position: number;
  private maxRung: number;
  private smoothed: number | null = null;
  private goodSince: number | null = null;
  private lastDownAt = Number.NEGATIVE_INFINITY;
  private lastUpAt: number | null = null;
  /** The position the last up-step went to, while it is on trial (`lastUpAt`). */
  private probed = 0;
  private capacity: { kbps: number; at: number } | null = null;
  /**
   * Each step's own up-hold, where its probes failed (`holdOf`), and the link's burst rate when one last failed;
   * a step never failed, or that held, has none.
   */
  private readonly holds = new Map<number, { ms: number; burstKbps: number | null }>();
  /** The link's latest burst rate (`LinkSample.burstKbps`), or null. */
  private burstKbps: number | null = null;
  /** The highest position while the viewer's CPU could not keep up, and until when. */
  private cpuCap: { position: number; until: number } | null = null;
  private slowDecodes = 0;
  /** Until the first down-step: up-steps take `startupUpHoldMs`. */
  private startingUp = true;
  /** Time of the first report; null before it. */
  private firstReportAt: number | null = null;
  /** The buffer has filled (to `highLevel`) once: buffer rules apply. */
  private primed = false;
  /** The server's load as of the current call. */
  private pressure: ServerPressure | null = null;
  /** When a page stall was last excused. */
  private stallExcusedAt: number | null = null;
  private readonly tuning: RungControllerTuning;
  private readonly lowest = -(FPS_DECIMATION_STEPS.length - 1);

  constructor(
    private readonly rungCount: number,
    initialRung: number,
    tuning: Partial<RungControllerTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_RUNG_TUNING, ...tuning };
    this.maxRung = rungCount - 1;
    this.position = this.clamp(initialRung);
  }

  get rung(): number {
    return Math.max(0, this.position);
  }

  get fpsStep(): number {
    return Math.max(0, -this.position);
  }

  /** The hold the next up-switch needs, in ms. */
  get upHoldMs(): number {
    return this.holdOf(this.position + 1);
  }

  /** Moves to `rung` chosen elsewhere (the viewer locked it, then went back to auto): history no longer applies. */
  reset(rung: number): void {
    this.position = this.clamp(rung);
    this.smoothed = null;
    this.goodSince = null;
    this.lastUpAt = null;
    this.capacity = null;
    this.cpuCap = null;
    this.slowDecodes = 0;
  }

  /** The highest rung the viewer's screen or CPU takes (`viewer-limits.maxHeight`); moves it down if above. */
  limitRung(maxRung: number): RungDecision | null {
    this.maxRung = Math.min(Math.max(0, maxRung), this.rungCount - 1);
    if (this.position <= this.maxRung) return null;
    this.position = this.maxRung;
    this.goodSince = null;
    return this.decision('cpu');
  }

  /** `pressure`: the server's load now; without it, the server is taken to be idle. */
  onFeedback(sample: FeedbackSample, now: number, pressure?: ServerPressure): RungDecision | null {
    this.pressure = pressure ?? null;
    const { smoothing, criticalLevel, lowLevel, lateFramesAllowed, slowDecodeShare } = this.tuning;
    const level = sample.bufferLevel;
    const smoothed = this.smoothed === null ? level : smoothing * level + (1 - smoothing) * this.smoothed;
    this.smoothed = smoothed;
    this.firstReportAt ??= now;
    if (level >= this.tuning.highLevel) this.primed = true;
    // The buffer starts empty: read as low, it stepped every viewer down at its first report.
    const judgeBuffer = this.primed || now - this.firstReportAt >= this.tuning.primeGraceMs;
    this.burstKbps = sample.link?.burstKbps ?? null;
    this.forgetHoldsOfAWiderLink(sample.rungKbps);
    this.noteStall(sample.pageStallMs, now);
    const excused = this.inStallGrace(now);

    // Right after a down-step the measurement still spans the step before it: its backlog draining, then the
    // sender's own lower rate, flagged limited by the hold-backs that caused the step. Taken as the link's
    // capacity, that rate walked a viewer of a 3 Mbit/s link down to 144p at 15 fps, each step measuring the last
    // (issue 9, profile E).
    if (sample.link?.limited && !excused && now - this.lastDownAt >= this.tuning.remeasureMs) {
      this.capacity = { kbps: sample.link.kbps, at: now };
      const fits = this.highestFitting(sample.rungKbps, sample.link.kbps);
      if (fits < this.position) return this.downTo(fits, now, 'throughput');
    }
    const networkDrops = Math.max(0, sample.droppedFrames - sample.renderDroppedFrames);
    const linkStrained =
      sample.link?.limited === true || (judgeBuffer && (smoothed < lowLevel || level < criticalLevel));
    // Frames dropped before the buffer first filled are the player's start (the first frames race the clock).
    const troubled = networkDrops > 0 || sample.lateFrames > lateFramesAllowed;
    if (troubled && linkStrained && judgeBuffer && !excused)
      return this.downTo(this.position - 1, now, 'drops');
    this.slowDecodes = sample.decodeMs > slowDecodeShare * sample.frameIntervalMs ? this.slowDecodes + 1 : 0;
    if (this.slowDecodes >= this.tuning.slowDecodeReports) {
      this.slowDecodes = 0;
      const decision = this.downTo(this.position - 1, now, 'cpu');
      if (decision) this.cpuCap = { position: this.position, until: now + this.tuning.cpuCapMs };
      return decision;
    }
    if (!judgeBuffer) return null;
    if (excused) {
      this.goodSince = null;
      return null;
    }
    if (level < criticalLevel) return this.downTo(this.position - 1, now, 'buffer-low');
    // A low average right after a down-switch is mostly the drain before it: give the new step time to refill
    // the buffer, or one bad moment walks the viewer down several steps.
    if (smoothed < lowLevel && now - this.lastDownAt >= this.tuning.settleMs)
      return this.downTo(this.position - 1, now, 'buffer-low');

    if (this.lastUpAt !== null && now - this.lastUpAt >= this.tuning.failedUpWindowMs) {
      this.relax(this.probed);
      this.lastUpAt = null;
    }
    const { highLevel, drainTolerance } = this.tuning;
    // Good means high and not draining: a buffer falling fast after an up-switch is the new step failing. Above
    // its target a buffer is not at risk: the player's level moves by a whole audio chunk as chunks arrive, and
    // reading that as draining restarted the climb after a recovery again and again (issue 9, profile E).
    const draining = level < smoothed - drainTolerance && level < 1;
    if (smoothed < highLevel || level < highLevel || draining) {
      this.goodSince = null;
      return null;
    }
    this.goodSince ??= now;
    // A report of slow decoding takes no step, however full the buffer: a bigger step would only add to the
    // decoding. It does not restart the hold either: a doubled hold (8 s) that one slow report in a busy second
    // restarted was never served (issue 9, profile E on a busy machine: never back on the top rung).
    if (this.slowDecodes > 0) return null;
    // A saturated server gets no quick start: its viewers climbing together add encodes to it (fan-out).
    const stepHold = this.holdOf(this.position + 1);
    let hold = stepHold;
    if (!this.pressure?.saturated) {
      if (this.startingUp) hold = Math.min(hold, this.tuning.startupUpHoldMs);
      if (this.roomyFor(sample.rungKbps, stepHold)) hold = Math.min(hold, this.tuning.roomyUpHoldMs);
    }
    return now - this.goodSince >= hold ? this.up(sample.rungKbps, now) : null;
  }

  /** A report's page stall, excused from `now` when long enough and none was within `stallExcuseEveryMs`. */
  private noteStall(pageStallMs: number, now: number): void {
    const last = this.stallExcusedAt;
    const excuseAgain = last === null || now - last >= this.tuning.stallExcuseEveryMs;
    if (pageStallMs >= this.tuning.pageStallMs && excuseAgain) this.stallExcusedAt = now;
  }

  /** Whether the moves down for the link are excused now: a page stall was excused lately (see the class). */
  private inStallGrace(now: number): boolean {
    return this.stallExcusedAt !== null && now - this.stallExcusedAt < this.tuning.stallGraceMs;
  }

  /**
   * The next step needs at most `roomyBurstShare` of the burst rate and no probe of it failed: the link plainly
   * carries it, and a full hold per step only delays the climb (issue 9, profile E: five steps of 2 s from 144p
   * after the link came back to 20 Mbit/s, the top 11–16 s after it).
   */
  private roomyFor(rungKbps: readonly number[], stepHold: number): boolean {
    const burst = this.burstKbps;
    if (burst === null || stepHold > this.tuning.upHoldMs) return false;
    return this.kbpsAt(rungKbps, this.position + 1) <= this.tuning.roomyBurstShare * burst;
  }

  /** The server had to hold a frame back for this viewer (window full or socket backed up). */
  onServerSkip(now: number, pressure?: ServerPressure): RungDecision | null {
    this.pressure = pressure ?? null;
    if (this.inStallGrace(now)) return null;
    return this.downTo(this.position - 1, now, 'backpressure');
  }

  /** kbit/s a position needs: its rung's bitrate, divided by the frame-rate step below rung 0. */
  private kbpsAt(rungKbps: readonly number[], position: number): number {
    const kbps = rungKbps[Math.max(0, position)] ?? Number.POSITIVE_INFINITY;
    return kbps / FPS_DECIMATION_STEPS[Math.max(0, -position)]!;
  }

  /** The highest position (up to the rung limit) whose bitrate fits `headroom` of `linkKbps`; else the lowest. */
  private highestFitting(rungKbps: readonly number[], linkKbps: number): number {
    const budget = this.tuning.headroom * linkKbps;
    for (let position = this.maxRung; position > this.lowest; position--) {
      if (this.kbpsAt(rungKbps, position) <= budget) return position;
    }
    return this.lowest;
  }

  private downTo(target: number, now: number, reason: RungSwitchReason): RungDecision | null {
    this.goodSince = null;
    const position = Math.max(this.lowest, target);
    if (this.heldByServer(reason)) return null;
    if (position >= this.position || now - this.lastDownAt < this.tuning.downCooldownMs) return null;
    // The viewer's CPU failing a step says nothing of its link: the CPU cap, not a longer probe hold, answers it.
    if (reason !== 'cpu' && this.lastUpAt !== null && now - this.lastUpAt < this.tuning.failedUpWindowMs) {
      this.holds.set(this.probed, {
        ms: Math.min(this.tuning.maxUpHoldMs, this.holdOf(this.probed) * 2),
        burstKbps: this.burstKbps,
      });
    }
    this.lastUpAt = null;
    this.lastDownAt = now;
    this.position = position;
    this.startingUp = false;
    return this.decision(reason);
  }

  /** The position an up-step goes to: the next, or on a saturated server the next on an encoded rung; null: none. */
  private nextUp(now: number): number | null {
    const cap = this.cpuCap && now < this.cpuCap.until ? this.cpuCap.position : this.maxRung;
    for (let position = this.position + 1; position <= Math.min(cap, this.maxRung); position++) {
      if (!this.pressure?.saturated || this.pressure.encoded(Math.max(0, position))) return position;
    }
    return null;
  }

  /** A saturated server, not this viewer's link, is the likelier cause of a move for `reason`. */
  private heldByServer(reason: RungSwitchReason): boolean {
    const pressure = this.pressure;
    return pressure?.saturated === true && !pressure.outlier && LINK_REASONS.has(reason);
  }

  private up(rungKbps: readonly number[], now: number): RungDecision | null {
    // The next step up needs a hold of its own.
    this.goodSince = now;
    const next = this.nextUp(now);
    if (next === null) return null;
    // A recent measurement of the link says the next step does not fit: probing it would only fail. Unless frames
    // now cross the link faster than that measurement: it was of a narrower link (the window of a throughput
    // reading just after E's recovery still held the 3 Mbit/s phase, and vetoed every step for 5 s).
    const capacity = this.capacity;
    if (
      capacity &&
      now - capacity.at < this.tuning.capacityMemoryMs &&
      this.kbpsAt(rungKbps, next) > this.tuning.headroom * Math.max(capacity.kbps, this.burstKbps ?? 0)
    ) {
      return null;
    }
    // Frames cross the link slower than the next step needs: that probe cannot hold, and while it fails the video
    // it queued holds the sound back (issue 9, D: 240p at 2.1 Mbit/s tried on a 1.5 Mbit/s link every few
    // seconds, each try a 0.4–0.9 s audio gap). The burst rate reads low, never high, so no headroom here.
    if (this.burstKbps !== null && this.kbpsAt(rungKbps, next) > this.burstKbps) return null;
    // The previous up-switch was never undone: it held, so probing it may speed up again.
    if (this.lastUpAt !== null) this.relax(this.probed);
    this.position = next;
    this.probed = next;
    this.lastUpAt = now;
    return this.decision('buffer-high');
  }

  /**
   * The hold before an up-step to `position`: the longest of its own and of the steps below it (a step above one
   * that failed needs more still). Per step because the probes that failed in a narrow phase (to 360p, say) once
   * lengthened the climb from 144p after the link came back, though 240p had never failed (issue 9, profile E:
   * 16 s on 144p at 20 Mbit/s).
   */
  private holdOf(position: number): number {
    let hold = this.tuning.upHoldMs;
    for (const [step, stepHold] of this.holds) if (step <= position) hold = Math.max(hold, stepHold.ms);
    return hold;
  }

  /**
   * Forgets the hold of a step whose probe failed on a narrower link: the burst rate has grown by `widerLink`
   * since, and the step fits `headroom` of it now. On TCP nothing else shows a link that widened while the sender
   * uses less than it, and the holds a narrow phase left made each step back up wait 4–9 s after it ended (issue
   * 9, profile E: the top came 20 s after). A probe that failed on a link as wide as now (a busy player, a pause)
   * keeps its hold: it says nothing new.
   */
  private forgetHoldsOfAWiderLink(rungKbps: readonly number[]): void {
    const now = this.burstKbps;
    if (now === null) return;
    for (const [step, hold] of this.holds) {
      const widened = hold.burstKbps !== null && now >= this.tuning.widerLink * hold.burstKbps;
      if (widened && this.kbpsAt(rungKbps, step) <= this.tuning.headroom * now) this.holds.delete(step);
    }
  }

  /** A probe of `position` held: its own hold halves, back to the default. */
  private relax(position: number): void {
    const hold = this.holds.get(position);
    if (!hold || hold.ms / 2 <= this.tuning.upHoldMs) this.holds.delete(position);
    else this.holds.set(position, { ...hold, ms: hold.ms / 2 });
  }

  private decision(reason: RungSwitchReason): RungDecision {
    return { rung: this.rung, fpsStep: this.fpsStep, reason };
  }

  private clamp(rung: number): number {
    return Math.min(Math.max(0, Math.trunc(rung)), this.maxRung);
  }
}
