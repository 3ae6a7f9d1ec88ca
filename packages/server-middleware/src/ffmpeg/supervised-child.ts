import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';

/** How a supervised child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (ENOENT, EACCES, EMFILE, …) or could not be signalled. */
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

/** A supervised child and its output pipes by fd (null where the layout did not ask for a pipe). */
export interface SpawnedChild {
  readonly child: SupervisedChild;
  /**
   * The child's readable pipes, by fd. Never missing where the layout asked for a pipe: when the spawn failed
   * (on EMFILE Node gives a child with no stdio at all) each is an empty stream that has already ended, so
   * readers see end of input and the failure arrives in `exited`, like any other exit.
   */
  readonly pipes: readonly (Readable | null)[];
  /**
   * The child's stdin when the layout asked for a pipe there, else null. Never missing either: a failed spawn
   * gets a sink that discards what is written. Its errors (EPIPE once the child is gone) are swallowed: the
   * child's end arrives in `exited`.
   */
  readonly input: Writable | null;
}

/** An already-ended stream standing in for a pipe a failed spawn never opened. */
function endedStream(): Readable {
  return Readable.from([]);
}

/** A stdin a failed spawn never opened: writes are accepted and dropped. */
function discardingSink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function inputPipe(stdin: Writable | null | undefined, asked: boolean): Writable | null {
  if (!asked) return null;
  const input = stdin ?? discardingSink();
  input.on('error', () => {});
  return input;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Watches a child. Never throws, whatever state the child is in: a child whose spawn failed has no stderr (or no
 * stdio at all, on EMFILE), and its failure arrives as an `error` event that ends up in `exited`.
 */
export function superviseChild(child: ChildProcess): SupervisedChild {
  let stderr = '';
  let running = true;
  const pipe = child.stderr as Readable | null | undefined;
  if (pipe) {
    pipe.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    // A pipe error (the child killed mid-write) ends in the exit; without a listener it would crash the host.
    pipe.on('error', () => {});
  }
  const exited = new Promise<ChildExit>((resolve) => {
    // `on`, not `once`: a failed kill emits 'error' again later, and an 'error' nobody listens to is thrown.
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
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
      if (!running || child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(signal);
      } catch {
        // An unknown signal name; nothing is running that this could stop.
      }
    },
  };
}

/** A child that never ran: `exited` holds why, each pipe asked for is an ended stream. */
function failedChild(error: Error, stdio: readonly string[]): SpawnedChild {
  const child: SupervisedChild = {
    pid: null,
    isRunning: false,
    exited: Promise.resolve({ code: null, signal: null, error }),
    stderrTail: () => '',
    kill: () => {},
  };
  return {
    child,
    pipes: stdio.map((kind, fd) => (kind === 'pipe' && fd > 0 ? endedStream() : null)),
    input: inputPipe(null, stdio[0] === 'pipe'),
  };
}

/**
 * The one way the package starts ffmpeg and ffprobe. `stdio` is the layout by fd (`'pipe'` or `'ignore'`; a
 * stdin pipe comes back as `input`, output pipes as `pipes`). It never throws and never hands out a child without the pipes it asked for:
 * ENOENT and EACCES (the binary deleted or made non-executable while running), EMFILE/ENFILE (no file
 * descriptor left) and EAGAIN (no process left) all end in `exited` with `error` set, which owners handle like
 * an ffmpeg exit (a channel backs off, a thumbnail answers 503), never as an exception inside a socket handler.
 */
export function spawnSupervised(
  command: string,
  args: readonly string[],
  stdio: readonly string[],
): SpawnedChild {
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: stdio as StdioOptions, windowsHide: true });
  } catch (error) {
    // Node throws (rather than emits) for errors it does not count as run-time ones (E2BIG, a NUL in an argument).
    return failedChild(asError(error), stdio);
  }
  const opened = child.stdio as (Readable | null)[] | undefined;
  const pipes = stdio.map((kind, fd) => {
    if (kind !== 'pipe' || fd === 0) return null;
    return opened?.[fd] ?? endedStream();
  });
  return { child: superviseChild(child), pipes, input: inputPipe(child.stdin, stdio[0] === 'pipe') };
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
  if (exit.error) return `ffmpeg could not run: ${describeSpawnError(exit.error)}`;
  if (exit.signal) return `ffmpeg was killed by ${exit.signal}`;
  return `ffmpeg exited with code ${exit.code}`;
}

const SPAWN_ERRORS: Record<string, string> = {
  ENOENT: 'the binary is missing (ENOENT)',
  EACCES: 'the binary is not executable (EACCES)',
  EMFILE: 'no file descriptor left (EMFILE)',
  ENFILE: 'no file descriptor left in the system (ENFILE)',
  EAGAIN: 'no process can be started now (EAGAIN)',
};

/**
 * A spawn error in words without the binary's path: viewers see `describeExit`'s text in
 * `ONAIR_CHANNEL_FAILED`, and a server path is nothing a client should learn.
 */
export function describeSpawnError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return 'the process could not be started';
  return SPAWN_ERRORS[code] ?? `the process could not be started (${code})`;
}
