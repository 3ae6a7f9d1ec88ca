import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const SERVING = /OnAir is serving \d+ video\(s\): (http:\/\/\S+)/;

/** `npm start` as a user runs it, its output kept line by line. For the first-run test and bench step. */
export interface NpmStartChild {
  child: ChildProcess;
  /** Every line so far, stdout and stderr together, in arrival order. */
  lines: string[];
  /** Resolves with the page URL and how long after the spawn it was printed; rejects if npm exits first. */
  served: Promise<{ url: string; afterMs: number }>;
  /** SIGTERM to npm and everything it started; resolves when npm has exited. */
  stop(): Promise<void>;
}

export function startNpmStart(args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): NpmStartChild {
  const started = performance.now();
  // Its own process group: npm, its shell and the node under it stop together.
  const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const served = new Promise<{ url: string; afterMs: number }>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          lines.push(line);
          const match = SERVING.exec(line);
          if (match?.[1]) resolve({ url: match[1], afterMs: performance.now() - started });
        }
      });
    }
    exited.then(() => reject(new Error(`npm start exited before printing its URL:\n${lines.join('\n')}`)));
  });
  served.catch(() => {});
  return {
    child,
    lines,
    served,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(-child.pid, 'SIGTERM');
      }
      await exited;
    },
  };
}

/**
 * What `npm start` may print: npm's own header, one line per first-run step, the server's address block and its
 * shutdown line. Anything else (Vite's or Rolldown's internals, size warnings, ffmpeg's chatter) is noise.
 */
export const NPM_START_LINES: readonly RegExp[] = [
  /^$/,
  /^> /, // npm: "> onair-monorepo@… start" and the command it runs
  /^Generating sample \d\/\d: .+…$/,
  /^Building the demo page with Vite…$/,
  SERVING,
  /^ {2}catalog: http:\/\/\S+\/videos$/,
  /^ {2}watch: {3}onair watch http:\/\/\S+$/,
  /^ {2}ffmpeg: {2}.+$/,
  /^SIG(INT|TERM): stopping \(viewers, ffmpeg, server\)…$/,
];

/** The lines of `lines` that are not on `NPM_START_LINES`. */
export const unexpectedLines = (lines: readonly string[]) =>
  lines.filter((line) => !NPM_START_LINES.some((allowed) => allowed.test(line)));
