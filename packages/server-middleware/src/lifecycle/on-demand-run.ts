import { type ChildExit, describeExit } from '../ffmpeg';
import type { ResolvedOptions } from '../options/live-stream-options';
import { RestartBackoff } from './restart-backoff';

/**
 * `starting` covers everything before the run delivers: preparing (a probe, a folder), spawning, and waiting for
 * its first output.
 */
export type RunState = 'idle' | 'starting' | 'running' | 'backoff' | 'closed';

export interface OnDemandRunSettings
  extends Pick<ResolvedOptions, 'logger' | 'restartDelayMs' | 'maxRestartDelayMs'> {
  /** Names the run in the logs: `channel "a"`, `HLS packager of "a"`. */
  label: string;
  videoId: string;
  /** How long a run outlives the last time it was wanted. */
  idleTimeoutMs: number;
}

/** How a run tells its lifecycle how it goes. Calls from a run that is no longer the current one do nothing. */
export interface RunReport {
  /** False once the run has exited or been stopped: what it still reports belongs to no one. */
  isCurrent(): boolean;
  /** The run delivers (a first frame, a first segment of every rendition). */
  running(): void;
  /** The run's process ended; `requested` when `halt` stopped it. */
  exited(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

/** What differs between the owners of a lifecycle (a channel's decoder, a channel's HLS packager). */
export interface OnDemandRunHooks<Plan, Run> {
  /** Someone holds the run now (a viewer, an eager channel, a waiting request): it cannot idle out meanwhile. */
  held(): boolean;
  /**
   * What a run needs before it spawns (a probed format, a folder): a value when it is known at once. `signal`
   * aborts when the start is called off (idle, closed): what the preparation made should then be undone, and
   * whatever it resolves or rejects with is dropped.
   */
  prepare(signal: AbortSignal): Plan | Promise<Plan>;
  spawn(plan: Plan, report: RunReport): Run;
  /** Ends `run` (null when none is spawned) and forgets what belonged to it; resolves when nothing of it is left. */
  halt(run: Run | null): Promise<void>;
  /** A run failed (or could not be prepared) and a restart is scheduled. */
  failed?(reason: string): void;
  /** The first run after a failure delivers again. */
  recovered?(): void;
}

// A run that has delivered and lasted this long was healthy: its failure restarts at the first delay.
const HEALTHY_AFTER_MS = 10_000;

/**
 * The life of one on-demand ffmpeg run: started when first wanted, stopped `idleTimeoutMs` after it was last
 * wanted, restarted with a doubling backoff when it dies, never started again once closed.
 *
 *   idle → starting → running;  starting/running → backoff (failure) → starting (still wanted) or idle;
 *   any → idle (unwanted for idleTimeoutMs);  any → closed.
 *
 * Stopping aborts a preparation and forgets the run, so whatever an older start or run still reports is
 * ignored.
 */
export class OnDemandRun<Plan, Run> {
  private stateValue: RunState = 'idle';
  private preparation: AbortController | null = null;
  private current: Run | null = null;
  private lastWantedAt = 0;
  private spawnedAt = 0;
  private delivered = false;
  private recovering = false;
  private failures = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly backoff: RestartBackoff;
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly settings: OnDemandRunSettings,
    private readonly hooks: OnDemandRunHooks<Plan, Run>,
  ) {
    this.backoff = new RestartBackoff(settings.restartDelayMs, settings.maxRestartDelayMs);
  }

  get state(): RunState {
    return this.stateValue;
  }

  /** The run spawned and not yet exited or stopped. */
  get run(): Run | null {
    return this.current;
  }

  /** Failures so far, each followed by a restart (or by idling when nobody wanted the run any more). */
  get restarts(): number {
    return this.failures;
  }

  /** Someone wants the run: starts it when idle, and counts as use for the idle timeout. */
  want(reason: string): void {
    if (this.stateValue === 'closed') return;
    this.lastWantedAt = Date.now();
    if (this.stateValue === 'idle') this.start(reason);
    this.armIdleCheck();
  }

  /** Use that never starts a run (a viewer leaving, a segment read): keeps a live one from idling out. */
  keepAlive(): void {
    if (this.stateValue === 'idle' || this.stateValue === 'closed') return;
    this.lastWantedAt = Date.now();
    this.armIdleCheck();
  }

  /** Stops the run and every timer; nothing starts again. Resolves when every run ever stopped has ended. */
  async close(): Promise<void> {
    if (this.stateValue !== 'idle' && this.stateValue !== 'closed') this.logStop('closed');
    this.stateValue = 'closed';
    await this.halt();
    // An idle stop may still be ending an earlier run, and close() promises that no ffmpeg is left.
    await Promise.all(this.stopping);
  }

  private wanted(): boolean {
    return this.hooks.held() || Date.now() - this.lastWantedAt < this.settings.idleTimeoutMs;
  }

  private armIdleCheck(): void {
    if (this.stateValue === 'idle' || this.stateValue === 'closed') return;
    if (this.hooks.held()) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
    } else if (this.idleTimer === null) {
      this.idleTimer = setTimeout(() => this.checkIdle(), this.settings.idleTimeoutMs);
    }
  }

  /** One timer, re-armed for what is left, rather than a new timer for every request. */
  private checkIdle(): void {
    this.idleTimer = null;
    // A holder calls keepAlive() when it lets go, which arms the next check.
    if (this.hooks.held()) return;
    const idleFor = Date.now() - this.lastWantedAt;
    if (idleFor < this.settings.idleTimeoutMs) {
      this.idleTimer = setTimeout(() => this.checkIdle(), this.settings.idleTimeoutMs - idleFor);
    } else {
      this.goIdle(`unused for ${idleFor} ms`);
    }
  }

  private start(reason: string): void {
    this.settings.logger.info?.(`${this.settings.label} starting: ${reason}`, {
      videoId: this.settings.videoId,
    });
    this.stateValue = 'starting';
    this.delivered = false;
    const preparation = new AbortController();
    this.preparation = preparation;
    const plan = this.hooks.prepare(preparation.signal);
    if (!(plan instanceof Promise)) {
      this.spawn(plan);
      return;
    }
    plan.then(
      (ready) => {
        if (!preparation.signal.aborted) this.spawn(ready);
      },
      (error: Error) => {
        if (!preparation.signal.aborted) this.fail(error.message, '');
      },
    );
  }

  private spawn(plan: Plan): void {
    this.preparation = null;
    this.spawnedAt = Date.now();
    const isCurrent = () => this.current === run;
    const run: Run = this.hooks.spawn(plan, {
      isCurrent,
      running: () => {
        if (!isCurrent() || this.stateValue !== 'starting') return;
        this.stateValue = 'running';
        this.delivered = true;
        if (this.recovering) {
          this.recovering = false;
          this.hooks.recovered?.();
        }
      },
      exited: (exit, requested, stderrTail) => {
        if (!isCurrent()) return;
        this.current = null;
        if (!requested) this.fail(describeExit(exit), stderrTail);
      },
    });
    this.current = run;
  }

  private fail(reason: string, stderr: string): void {
    this.failures++;
    this.recovering = true;
    if (this.delivered && Date.now() - this.spawnedAt > HEALTHY_AFTER_MS) this.backoff.reset();
    const delay = this.backoff.next();
    const { label, videoId, logger } = this.settings;
    logger.warn(`${label} failed, restarting in ${delay} ms: ${reason}`, { videoId, stderr });
    this.hooks.failed?.(reason);
    this.stateValue = 'backoff';
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stateValue !== 'backoff') return;
      if (this.wanted()) this.start('restart after a failure');
      else this.goIdle('nobody wants it after a failure');
    }, delay);
  }

  private goIdle(reason: string): void {
    this.logStop(reason);
    // Idle at once, not when ffmpeg has exited: a viewer or request arriving meanwhile starts a fresh run.
    this.stateValue = 'idle';
    void this.halt();
  }

  private logStop(reason: string): void {
    this.settings.logger.info?.(`${this.settings.label} stopping: ${reason}`, {
      videoId: this.settings.videoId,
    });
  }

  /** Stops whatever runs (the run, its preparation, the timers). */
  private async halt(): Promise<void> {
    for (const timer of [this.idleTimer, this.restartTimer]) if (timer) clearTimeout(timer);
    this.idleTimer = null;
    this.restartTimer = null;
    this.preparation?.abort();
    this.preparation = null;
    this.recovering = false;
    const run = this.current;
    this.current = null;
    const stopped = this.hooks.halt(run);
    this.stopping.add(stopped);
    await stopped;
    this.stopping.delete(stopped);
  }
}
