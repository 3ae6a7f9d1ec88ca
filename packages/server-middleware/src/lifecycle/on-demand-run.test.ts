import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChildExit } from '../ffmpeg';
import {
  OnDemandRun,
  type OnDemandRunHooks,
  type OnDemandRunSettings,
  type RunReport,
} from './on-demand-run';

interface FakeRun {
  plan: string;
  report: RunReport;
  stop: () => Promise<void>;
}

const CRASH: ChildExit = { code: 1, signal: null, error: null };

function setup(
  settings: Partial<OnDemandRunSettings> = {},
  hooks: Partial<OnDemandRunHooks<string, FakeRun>> = {},
) {
  const runs: FakeRun[] = [];
  const halted: (FakeRun | null)[] = [];
  const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn() };
  const failed = vi.fn();
  const recovered = vi.fn();
  let held = false;
  const lifecycle = new OnDemandRun<string, FakeRun>(
    {
      logger,
      restartDelayMs: 100,
      maxRestartDelayMs: 400,
      label: 'thing "a"',
      videoId: 'a',
      idleTimeoutMs: 1_000,
      ...settings,
    },
    {
      held: () => held,
      prepare: () => 'plan',
      spawn: (plan, report) => {
        const run = { plan, report, stop: vi.fn(() => Promise.resolve()) };
        runs.push(run);
        return run;
      },
      halt: async (run) => {
        halted.push(run);
        await run?.stop();
      },
      failed,
      recovered,
      ...hooks,
    },
  );
  const latest = () => {
    const run = runs.at(-1);
    if (!run) throw new Error('no run spawned');
    return run;
  };
  return {
    lifecycle,
    runs,
    halted,
    logger,
    failed,
    recovered,
    latest,
    hold: (value: boolean) => {
      held = value;
    },
    crash: () => latest().report.exited(CRASH, false, 'the tail of stderr'),
  };
}

describe('OnDemandRun', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays idle until wanted, then starts, and runs once the run delivers', () => {
    const { lifecycle, runs, latest } = setup();
    vi.advanceTimersByTime(10_000);
    expect(lifecycle.state).toBe('idle');
    expect(runs).toHaveLength(0);

    lifecycle.want('a viewer joined');
    expect(lifecycle.state).toBe('starting');
    expect(lifecycle.run).toBe(latest());
    latest().report.running();
    expect(lifecycle.state).toBe('running');
  });

  it('starts one run however often it is wanted', () => {
    const { lifecycle, runs } = setup();
    lifecycle.want('first');
    lifecycle.want('second');
    expect(runs).toHaveLength(1);
  });

  it('keepAlive() never starts a run', () => {
    const { lifecycle, runs } = setup();
    lifecycle.keepAlive();
    expect(lifecycle.state).toBe('idle');
    expect(runs).toHaveLength(0);
  });

  it('is starting while an asynchronous preparation runs, and spawns with what it resolved', async () => {
    let resolvePlan: (plan: string) => void = () => {};
    const { lifecycle, runs } = setup(
      {},
      { prepare: () => new Promise((resolve) => (resolvePlan = resolve)) },
    );
    lifecycle.want('x');
    expect(lifecycle.state).toBe('starting');
    expect(runs).toHaveLength(0);
    resolvePlan('folder');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.map((run) => run.plan)).toEqual(['folder']);
  });

  it('stops idleTimeoutMs after it was last wanted, and idles at once rather than when the run has ended', () => {
    const { lifecycle, runs, halted } = setup();
    lifecycle.want('x');
    const run = runs[0];
    vi.advanceTimersByTime(600);
    lifecycle.keepAlive();
    vi.advanceTimersByTime(999);
    expect(lifecycle.state).toBe('starting');
    vi.advanceTimersByTime(1);
    expect(lifecycle.state).toBe('idle');
    expect(halted).toEqual([run]);
    expect(run?.stop).toHaveBeenCalledOnce();
    expect(lifecycle.run).toBeNull();

    lifecycle.want('again');
    expect(runs).toHaveLength(2);
  });

  it('never idles while held, and counts down from the moment it is let go', () => {
    const { lifecycle, hold } = setup();
    hold(true);
    lifecycle.want('x');
    vi.advanceTimersByTime(60_000);
    expect(lifecycle.state).toBe('starting');
    hold(false);
    lifecycle.keepAlive();
    vi.advanceTimersByTime(999);
    expect(lifecycle.state).toBe('starting');
    vi.advanceTimersByTime(1);
    expect(lifecycle.state).toBe('idle');
  });

  it('restarts a failed run after a delay that doubles up to the cap, telling the owner each time', () => {
    const { lifecycle, runs, failed, crash, logger, hold } = setup();
    hold(true);
    lifecycle.want('x');
    const delays: number[] = [];
    for (let failure = 0; failure < 4; failure++) {
      crash();
      expect(lifecycle.state).toBe('backoff');
      expect(lifecycle.run).toBeNull();
      const before = runs.length;
      let waited = 0;
      while (runs.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 400]);
    expect(lifecycle.restarts).toBe(4);
    expect(failed).toHaveBeenCalledTimes(4);
    expect(failed).toHaveBeenLastCalledWith('ffmpeg exited with code 1');
    expect(logger.warn).toHaveBeenLastCalledWith(
      'thing "a" failed, restarting in 400 ms: ffmpeg exited with code 1',
      { videoId: 'a', stderr: 'the tail of stderr' },
    );
  });

  it('restarts at the first delay again after a run that delivered for HEALTHY_AFTER_MS', () => {
    const { lifecycle, crash, latest, logger, hold } = setup();
    hold(true);
    lifecycle.want('x');
    crash();
    vi.advanceTimersByTime(100);
    crash();
    vi.advanceTimersByTime(200);
    latest().report.running();
    vi.advanceTimersByTime(10_001);
    crash();
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining('restarting in 100 ms'),
      expect.anything(),
    );
  });

  it('keeps backing off after a run that delivered but did not last', () => {
    const { lifecycle, crash, latest, logger, hold } = setup();
    hold(true);
    lifecycle.want('x');
    crash();
    vi.advanceTimersByTime(100);
    latest().report.running();
    vi.advanceTimersByTime(5_000);
    crash();
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining('restarting in 200 ms'),
      expect.anything(),
    );
  });

  it('keeps backing off after a run that never delivered, however long it lasted', () => {
    const { lifecycle, crash, logger, hold } = setup();
    hold(true);
    lifecycle.want('x');
    crash();
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(20_000);
    crash();
    expect(logger.warn).toHaveBeenLastCalledWith(
      expect.stringContaining('restarting in 200 ms'),
      expect.anything(),
    );
  });

  it('tells the owner once when the first run after a failure delivers, never on a first start', () => {
    const { lifecycle, crash, latest, recovered } = setup();
    lifecycle.want('x');
    latest().report.running();
    expect(recovered).not.toHaveBeenCalled();
    crash();
    vi.advanceTimersByTime(100);
    expect(lifecycle.state).toBe('starting');
    latest().report.running();
    latest().report.running();
    expect(recovered).toHaveBeenCalledOnce();
    expect(lifecycle.state).toBe('running');
  });

  it('goes idle instead of restarting when nobody wanted it for idleTimeoutMs', () => {
    const { lifecycle, runs, crash, halted } = setup({ restartDelayMs: 5_000, maxRestartDelayMs: 5_000 });
    lifecycle.want('x');
    crash();
    vi.advanceTimersByTime(1_000);
    // The idle check saw it unwanted first.
    expect(lifecycle.state).toBe('idle');
    expect(halted).toEqual([null]);
    vi.advanceTimersByTime(10_000);
    expect(runs).toHaveLength(1);
  });

  it('restarts a failed run that is still held, however long ago it was last wanted', () => {
    const { lifecycle, runs, crash, hold } = setup({ restartDelayMs: 5_000, maxRestartDelayMs: 5_000 });
    hold(true);
    lifecycle.want('x');
    vi.advanceTimersByTime(60_000);
    crash();
    vi.advanceTimersByTime(5_000);
    expect(runs).toHaveLength(2);
    expect(lifecycle.state).toBe('starting');
  });

  it('goes idle at the end of a backoff when it is no longer wanted', () => {
    const { lifecycle, runs, crash, hold, halted } = setup({ idleTimeoutMs: 50 });
    hold(true);
    lifecycle.want('x');
    crash();
    hold(false);
    vi.advanceTimersByTime(100);
    expect(lifecycle.state).toBe('idle');
    expect(halted).toEqual([null]);
    expect(runs).toHaveLength(1);
  });

  it('ignores what a stopped run still reports', () => {
    const { lifecycle, runs, failed } = setup();
    lifecycle.want('x');
    vi.advanceTimersByTime(1_000);
    expect(lifecycle.state).toBe('idle');
    const stopped = runs[0];
    expect(stopped?.report.isCurrent()).toBe(false);
    lifecycle.want('again');
    stopped?.report.running();
    stopped?.report.exited(CRASH, true, '');
    stopped?.report.exited(CRASH, false, '');
    expect(lifecycle.state).toBe('starting');
    expect(lifecycle.run).toBe(runs[1]);
    expect(failed).not.toHaveBeenCalled();
  });

  it('treats an exit it asked for as no failure', () => {
    const { lifecycle, latest, failed } = setup();
    lifecycle.want('x');
    latest().report.exited({ code: null, signal: 'SIGTERM', error: null }, true, '');
    expect(failed).not.toHaveBeenCalled();
    expect(lifecycle.run).toBeNull();
  });

  it('aborts a preparation that is called off and drops what it resolves', async () => {
    const signals: AbortSignal[] = [];
    let resolvePlan: (plan: string) => void = () => {};
    const { lifecycle, runs } = setup(
      {},
      {
        prepare: (given) => {
          signals.push(given);
          return new Promise((resolve) => (resolvePlan = resolve));
        },
      },
    );
    lifecycle.want('x');
    vi.advanceTimersByTime(1_000);
    expect(lifecycle.state).toBe('idle');
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    resolvePlan('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(0);
  });

  it('fails and backs off when the preparation rejects', async () => {
    const { lifecycle, failed } = setup(
      {},
      { prepare: () => Promise.reject(new Error('probe failed: no such file')) },
    );
    lifecycle.want('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(lifecycle.state).toBe('backoff');
    expect(failed).toHaveBeenCalledWith('probe failed: no such file');
  });

  it('close() stops the run and every timer, waits for an idle stop still ending, and never starts again', async () => {
    let finishFirstStop: () => void = () => {};
    const { lifecycle, runs, latest } = setup();
    lifecycle.want('x');
    const first = latest();
    first.stop = () => new Promise((resolve) => (finishFirstStop = resolve));
    vi.advanceTimersByTime(1_000);
    lifecycle.want('again');
    const closing = lifecycle.close();
    expect(lifecycle.state).toBe('closed');
    expect(latest().stop).toHaveBeenCalledOnce();
    let closed = false;
    void closing.then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    finishFirstStop();
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(true);

    lifecycle.want('after close');
    lifecycle.keepAlive();
    expect(vi.getTimerCount()).toBe(0);
    expect(runs).toHaveLength(2);
    expect(lifecycle.state).toBe('closed');
  });

  it('logs each start and stop with its reason and the video id', () => {
    const { lifecycle, logger } = setup();
    lifecycle.want('a viewer joined');
    vi.advanceTimersByTime(1_000);
    expect(logger.info.mock.calls).toEqual([
      ['thing "a" starting: a viewer joined', { videoId: 'a' }],
      ['thing "a" stopping: unused for 1000 ms', { videoId: 'a' }],
    ]);
  });
});
