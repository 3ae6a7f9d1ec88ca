import { ErrorCode, type QualityChangedMessage } from '@onair/protocol';
import { type FeedbackSample, RungController, type RungDecision } from '../ladder/rung-controller';

type QualityReason = QualityChangedMessage['reason'];

export interface ViewerRungDeps {
  ladder: readonly number[];
  initialRung: number;
  send(message: QualityChangedMessage): void;
  refuse(code: ErrorCode, message: string): void;
  /** The rung changed: the channel must send this viewer the other encoding from now on. */
  moved(rung: number): void;
}

/**
 * One viewer's place on the JPEG ladder: the controller's choice while in `auto`, the viewer's own while
 * `locked`, and the `quality-changed` message that tells the client either way.
 */
export class ViewerRung {
  private current: number;
  private lockMode: 'auto' | 'locked' = 'auto';
  private count = 0;
  private readonly controller: RungController;

  constructor(private readonly deps: ViewerRungDeps) {
    this.current = deps.initialRung;
    this.controller = new RungController(deps.ladder.length, deps.initialRung);
  }

  get rung(): number {
    return this.current;
  }

  get mode(): 'auto' | 'locked' {
    return this.lockMode;
  }

  /** Rung changes so far, for the stats. */
  get switches(): number {
    return this.count;
  }

  /** The viewer's `quality` message. */
  request(rung: number | 'auto'): void {
    if (rung === 'auto') {
      this.lockMode = 'auto';
      this.controller.reset(this.current);
      this.announce('request');
      return;
    }
    if (rung >= this.deps.ladder.length) {
      this.deps.refuse(
        ErrorCode.BadRung,
        `rung ${rung} is not on the ladder (0 to ${this.deps.ladder.length - 1})`,
      );
      return;
    }
    this.lockMode = 'locked';
    this.moveTo(rung, 'request');
  }

  /** The viewer's `feedback`; a locked viewer keeps its rung whatever it reports. */
  feedback(sample: FeedbackSample): void {
    if (this.lockMode === 'auto') this.apply(this.controller.onFeedback(sample, Date.now()));
  }

  /** The server skipped a frame for this viewer (window full or socket backed up). */
  skipped(): void {
    if (this.lockMode === 'auto') this.apply(this.controller.onServerSkip(Date.now()));
  }

  announce(reason: QualityReason): void {
    const quality = this.deps.ladder[this.current] ?? 0;
    this.deps.send({ type: 'quality-changed', rung: this.current, quality, mode: this.lockMode, reason });
  }

  private apply(decision: RungDecision | null): void {
    if (decision) this.moveTo(decision.rung, decision.reason);
  }

  private moveTo(rung: number, reason: QualityReason): void {
    if (rung !== this.current) {
      this.deps.moved(rung);
      this.current = rung;
      this.count++;
    }
    if (this.lockMode === 'locked') this.controller.reset(rung);
    this.announce(reason);
  }
}
