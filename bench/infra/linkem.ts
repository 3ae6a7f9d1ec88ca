import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inNamespace, LINK_INTERFACES, NAMESPACES } from './network-namespaces';

/** One direction of the emulated link, as linkem takes it (`rate=…,delay=…`). */
export interface LinkDirection {
  /** Bottleneck in bit/s; 0 = unlimited. */
  rate: number;
  /** One-way delay, ms. */
  delay: number;
  /** Uniform ± jitter on the one-way delay, ms (linkem never reorders). */
  jitter: number;
  /** Random loss, percent. */
  loss: number;
}

/** The link both ways: `down` carries the server's media to the player, `up` the player's requests and acks. */
export interface LinkSetting {
  down: LinkDirection;
  up: LinkDirection;
}

/** One second of linkem's counters for one direction (its stdout, one JSON line a second). */
export interface LinkSecond {
  txBytes: number;
  rxBytes: number;
  dropLoss: number;
  dropQueue: number;
  dropRing: number;
  qwaitAvgMs: number;
  qwaitMaxMs: number;
}

export interface LinkReport {
  /** Wall clock (Unix ms) at the end of the second. */
  t: number;
  down: LinkSecond;
  up: LinkSecond;
}

/** linkem's `k=v,…` spelling of one direction. */
export function linkemSpec(direction: LinkDirection): string {
  return `rate=${direction.rate},delay=${direction.delay},jitter=${direction.jitter},loss=${direction.loss}`;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINKEM_RELATIVE = path.join('..', 'shared', 'tools', 'linkem');

/**
 * Where linkem's source is: `LINKEM_DIR`, else `../shared/tools/linkem` beside the repository, else beside the
 * main checkout when this is a git worktree (whose `..` is the folder of worktrees, not the project's).
 */
export function findLinkemDirectory(): { directory: string | null; looked: string[] } {
  const candidates = process.env.LINKEM_DIR ? [process.env.LINKEM_DIR] : [];
  candidates.push(path.resolve(REPO_ROOT, LINKEM_RELATIVE));
  try {
    const commonGitDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 5_000,
      stdio: 'pipe',
    }).trim();
    candidates.push(path.resolve(path.dirname(commonGitDir), LINKEM_RELATIVE));
  } catch {
    // Not a git checkout (an unpacked tarball): the first two places are all there is.
  }
  const looked = [...new Set(candidates)];
  const directory = looked.find((candidate) => existsSync(path.join(candidate, 'linkem.c'))) ?? null;
  return { directory, looked };
}

const BUILD_DIRECTORY = fileURLToPath(new URL('../results/linkem/', import.meta.url));

/** Compiles linkem.c into bench/results/linkem/ (again only when the source is newer). Returns the binary. */
export function buildLinkem(sourceDirectory: string): string {
  const source = path.join(sourceDirectory, 'linkem.c');
  const binary = path.join(BUILD_DIRECTORY, 'linkem');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(BUILD_DIRECTORY, { recursive: true });
  execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source], { timeout: 60_000, stdio: 'pipe' });
  return binary;
}

/** A running linkem in the link namespace: change its setting while it runs, read its per-second counters. */
export interface RunningLink {
  set(setting: LinkSetting): void;
  /** Every per-second report since the start. */
  readonly reports: readonly LinkReport[];
  stop(): Promise<void>;
}

export async function startLink(binary: string, setting: LinkSetting): Promise<RunningLink> {
  const [command, ...args] = inNamespace(NAMESPACES.link, binary, [
    LINK_INTERFACES.serverSide,
    LINK_INTERFACES.clientSide,
    '--down',
    linkemSpec(setting.down),
    '--up',
    linkemSpec(setting.up),
    '--seed',
    '1',
  ]);
  const child: ChildProcess = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const reports: LinkReport[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      reports.push(JSON.parse(line) as LinkReport);
    } catch {
      // Not a report line.
    }
  });
  const exited = once(child, 'exit');
  // linkem prints "bridging" once both packet sockets are bound; a bad interface name exits at once instead.
  const bridging = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`linkem did not start: ${stderr}`)), 5_000);
    child.stderr!.on('data', () => {
      if (stderr.includes('bridging')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`linkem exited: ${stderr}`));
    });
  });
  try {
    await bridging;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    reports,
    set(next) {
      child.stdin!.write(`down ${linkemSpec(next.down)}\nup ${linkemSpec(next.up)}\n`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.write('quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
