import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How a supervised child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error: Error | null;
}

/** Enough of ffmpeg's stderr to say why it died, without keeping a long run's log in memory. */
const STDERR_TAIL_CHARS = 2048;

/** How long a child may take to end after SIGTERM before it gets SIGKILL. */
export const KILL_GRACE_MS = 2_000;

/** What every long-running ffmpeg child gives its owner: its pid, whether it runs, how it ended, why, and a safe kill. */
export interface SupervisedChild {
  readonly pid: number | null;
  /** True until `exited` has settled. */
  readonly isRunning: boolean;
  readonly exited: Promise<ChildExit>;
  stderrTail(): string;
  kill(signal?: NodeJS.Signals): void;
}

/** What stats show of a child. */
export type ChildStatus = Pick<SupervisedChild, 'pid' | 'isRunning'>;

/** Watches a child spawned with a piped stderr. */
export function superviseChild(child: ChildProcess): SupervisedChild {
  let stderr = '';
  let running = true;
  (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  });
  void exited.then(() => {
    running = false;
  });
  return {
    pid: child.pid ?? null,
    get isRunning() {
      return running;
    },
    exited,
    stderrTail: () => stderr.trim(),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/**
 * Ends a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. `pipes` are output pipes its owner
 * may have paused. Resolves once the child has exited.
 */
export async function stopWithGrace(
  child: SupervisedChild,
  graceMs: number,
  pipes: readonly (Readable | null)[] = [],
): Promise<void> {
  if (!child.isRunning) return;
  child.kill('SIGTERM');
  // A paused pipe can leave ffmpeg blocked in write(); reading on lets it see the signal and exit.
  for (const pipe of pipes) pipe?.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(killer);
}

/** Why an ffmpeg child ended, in words for the logs and the viewers' `ONAIR_CHANNEL_FAILED` message. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return `ffmpeg could not run: ${exit.error.message}`;
  if (exit.signal) return `ffmpeg was killed by ${exit.signal}`;
  return `ffmpeg exited with code ${exit.code}`;
}
