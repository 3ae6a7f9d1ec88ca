import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_ARGS = [
  '--conditions=@onair/source',
  '--import',
  'tsx',
  'packages/server-middleware/src/cli/main.ts',
];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `onair …` as a real process, from the sources, the way `npm run onair` starts it (after its page build). */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [...CLI_ARGS, ...args], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = once(this.child, 'close').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
      stdout: this.stdout,
      stderr: this.stderr,
    }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends or time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (!this.running) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `no ${pattern} in the output of onair (${this.running ? 'still running' : 'exited'}):\n` +
        `stdout: ${this.stdout}\nstderr: ${this.stderr}`,
    );
  }

  /** Waits for the exit, killing the process if it takes longer than `timeoutMs`. */
  async finish(timeoutMs: number): Promise<CliResult> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs `onair …` to its end. */
export function runCli(args: readonly string[], timeoutMs = 30_000): Promise<CliResult> {
  return new CliProcess(args).finish(timeoutMs);
}
