import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { DecodeExit } from './decode-process';

/** Enough of ffmpeg's stderr to say why it died, without keeping a long run's log in memory. */
const STDERR_TAIL_CHARS = 2048;

/** What every long-running ffmpeg child gives its owner: its pid, how it ended, why, and a safe kill. */
export interface SupervisedChild {
  readonly pid: number | null;
  readonly exited: Promise<DecodeExit>;
  stderrTail(): string;
  kill(signal?: NodeJS.Signals): void;
}

/** Watches a child spawned with a piped stderr. */
export function superviseChild(child: ChildProcess): SupervisedChild {
  let stderr = '';
  (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<DecodeExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  });
  return {
    pid: child.pid ?? null,
    exited,
    stderrTail: () => stderr.trim(),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Why an ffmpeg child ended, in words for the logs and the viewers' `ONAIR_CHANNEL_FAILED` message. */
export function describeExit(exit: DecodeExit): string {
  if (exit.error) return `ffmpeg could not run: ${exit.error.message}`;
  if (exit.signal) return `ffmpeg was killed by ${exit.signal}`;
  return `ffmpeg exited with code ${exit.code}`;
}
