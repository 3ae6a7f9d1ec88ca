import { ErrorCode, FPS_DECIMATION_STEPS, type QualityChangedMessage } from '@onair/protocol';
import {
  type FeedbackSample,
  RungController,
  type RungDecision,
  type RungSwitchReason,
  type ServerPressure,
} from '../ladder/rung-controller';
import type { ChannelRung } from '../ladder/rung-plan';
import { middleRung } from '../options/defaults';
import { processServerLoad, type ServerLoad } from './server-load';

type QualityReason = QualityChangedMessage['reason'];

export interface ViewerRungDeps {
  /** The option; null: the middle of each channel's ladder. */
  initialRung: number | null;
  /** How many rungs a `quality` request may name before the first stream (the configured ladder's length). */
  configuredRungs: number;
  send(message: QualityChangedMessage): void;
  refuse(code: ErrorCode, message: string): void;
  /** The rung changed: the channel must send this viewer the other encoding from the next frame on. */
  moved(rung: number): void;
  /** The frame-rate step changed: the session decimates anew. */
  rateChanged(): void;
  /** Frames per second the viewer gets now, for `quality-changed.viewerFps`. */
  viewerFps(): number;
  /** Whether the viewer's channel encodes `rung` now (somebody is on it). */
  encodes(rung: number): boolean;
  /** Default: the process's (`processServerLoad`). */
  load?: ServerLoad;
  now?: () => number;
}

/**
 * One viewer's place on its channel's ladder, and below rung 0 its frame-rate step: the controller's choice
 * while in `auto`, the viewer's own while `locked`, capped by its `viewer-limits`, and the `quality-changed`
 * message that tells the client either way.
 */
export class ViewerRung {
  private current: number;
  private step = 0;
  private lockMode: 'auto' | 'locked' = 'auto';
  private count = 0;
  private rungs: readonly ChannelRung[] = [];
  private maxHeight: number | null = null;
  private controller: RungController | null = null;
  /** Of its step's bitrate, the share the viewer's acks showed at its last feedback; null: not measured. */
  private share: number | null = null;
  /** This viewer in the server's load, for as long as its share stays fresh: a token, not the session behind it. */
  private readonly loadKey = {};
  private readonly now: () => number;
  private readonly load: ServerLoad;
  private readonly encodes: (rung: number) => boolean;

  constructor(private readonly deps: ViewerRungDeps) {
    this.current = deps.initialRung ?? 0;
    this.now = deps.now ?? Date.now;
    this.load = deps.load ?? processServerLoad();
    this.encodes = (rung) => deps.encodes(rung);
  }

  get rung(): number {
    return this.current;
  }

  /** 0: the channel's full rate; n: divided by `FPS_DECIMATION_STEPS[n]`. */
  get fpsStep(): number {
    return this.step;
  }

  get mode(): 'auto' | 'locked' {
    return this.lockMode;
  }

  /** Rung changes so far, for the stats. */
  get switches(): number {
    return this.count;
  }

  get label(): string | null {
    return this.rungs[this.current]?.label ?? null;
  }

  /**
   * A new stream: the channel's ladder. The rung is kept (capped to the ladder; the first time, the option's
   * or the middle one) and the controller starts over on it. Returns the rung, for the channel.
   */
  configure(rungs: readonly ChannelRung[]): number {
    const first = this.controller === null;
    this.rungs = rungs;
    const top = Math.max(0, rungs.length - 1);
    // A viewer that locked a rung before its first stream keeps it; otherwise the first stream places it.
    const placed = first && this.deps.initialRung === null && this.lockMode === 'auto';
    const wanted = placed ? middleRung(rungs.length) : this.current;
    this.current = Math.min(Math.max(0, wanted), top);
    this.step = 0;
    this.share = null;
    this.controller = new RungController(rungs.length, this.current);
    if (this.lockMode === 'auto') this.applyLimit();
    return this.current;
  }

  /** The viewer's `quality` message. */
  request(rung: number | 'auto'): void {
    if (rung === 'auto') {
      this.lockMode = 'auto';
      this.controller?.reset(this.current);
      this.applyLimit();
      this.announce('request');
      return;
    }
    const size = this.controller ? this.rungs.length : this.deps.configuredRungs;
    if (rung >= size) {
      this.deps.refuse(ErrorCode.BadRung, `rung ${rung} is not on the ladder (0 to ${size - 1})`);
      return;
    }
    this.lockMode = 'locked';
    this.moveTo(rung, 0, 'request');
  }

  /** The viewer's `feedback` with what the server measured; a locked viewer keeps its rung whatever it reports. */
  feedback(sample: FeedbackSample): void {
    this.measure(sample);
    if (this.lockMode === 'auto' && this.controller)
      this.apply(this.controller.onFeedback(sample, this.now(), this.pressure()));
  }

  /** The server held a frame back for this viewer (window full, pipe congested or socket backed up). */
  skipped(): void {
    if (this.lockMode === 'auto' && this.controller)
      this.apply(this.controller.onServerSkip(this.now(), this.pressure()));
  }

  /** `viewer-limits.maxHeight`: rungs taller than this are off limits (rung 0 stays the floor). */
  limitHeight(maxHeight: number | null): void {
    this.maxHeight = maxHeight;
    if (this.lockMode === 'auto') this.applyLimit();
  }

  announce(reason: QualityReason): void {
    const info = this.rungs[this.current];
    const message: QualityChangedMessage = {
      type: 'quality-changed',
      rung: this.current,
      quality: info?.quality ?? 1,
      mode: this.lockMode,
      reason,
      viewerFps: this.deps.viewerFps(),
    };
    if (info) Object.assign(message, { label: info.label, width: info.width, height: info.height });
    this.deps.send(message);
  }

  /** The viewer's delivered share, kept and told to the server's load (locked viewers are part of the crowd). */
  private measure({ link, rungKbps }: FeedbackSample): void {
    const needs = (rungKbps[this.current] ?? 0) / FPS_DECIMATION_STEPS[this.step]!;
    this.share = link && needs > 0 ? link.kbps / needs : null;
    if (this.share !== null) this.load.report(this.loadKey, this.share);
  }

  private pressure(): ServerPressure {
    return this.load.pressure(this.share, this.encodes);
  }

  private applyLimit(): void {
    if (!this.controller || this.rungs.length === 0) return;
    let maxRung = this.rungs.length - 1;
    if (this.maxHeight !== null) {
      while (maxRung > 0 && this.rungs[maxRung]!.height > this.maxHeight) maxRung--;
    }
    this.apply(this.controller.limitRung(maxRung));
  }

  private apply(decision: RungDecision | null): void {
    if (decision) this.moveTo(decision.rung, decision.fpsStep, decision.reason);
  }

  private moveTo(rung: number, fpsStep: number, reason: RungSwitchReason | QualityReason): void {
    if (rung !== this.current) {
      this.deps.moved(rung);
      this.current = rung;
      this.count++;
    }
    if (fpsStep !== this.step) {
      this.step = fpsStep;
      this.deps.rateChanged();
    }
    if (this.lockMode === 'locked') this.controller?.reset(rung);
    this.announce(reason);
  }
}
