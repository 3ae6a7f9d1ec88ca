import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LiveStreamOptions, LiveStreamStats } from '@onair/server-middleware';
import type { BroadcastServerConfig } from './broadcast-server-process';
import { findDescendants, type ProcessSample, sampleProcess } from './proc-stats';
import type { LoopDelay, ServerRequest } from './server-ipc';

export interface ServerStats {
  live: LiveStreamStats;
  /** The server's event-loop delay since the previous `liveStats()` call. */
  loopDelay: LoopDelay;
  /** The server's `process.memoryUsage()` when it answered. */
  memory: NodeJS.MemoryUsage;
}

export interface ServerChild {
  pid: number;
  /** WebSocket URL of the mount, e.g. ws://127.0.0.1:41234/live/ws */
  wsUrl: string;
  /** HTTP URL of the mount, e.g. http://127.0.0.1:41234/live */
  httpUrl: string;
  sample(): ProcessSample;
  /** The server's own view (channels, rungs being encoded, sessions) and its event-loop delay. */
  liveStats(): Promise<ServerStats>;
  /** The server's ffmpeg processes right now, with their CPU time so far. */
  ffmpegProcesses(): { pid: number; cpuSeconds: number }[];
  stop(): Promise<void>;
}

type ServerReply =
  | { type: 'ready'; port: number }
  | { type: 'stats'; id: number; stats: LiveStreamStats; loopDelay: LoopDelay; memory: NodeJS.MemoryUsage };

const SERVER_ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const BROADCAST_SERVER_ENTRY = fileURLToPath(new URL('./broadcast-server-process.ts', import.meta.url));

/** Forks `server-process.ts` (same Node, same source condition, tsx) and waits until it listens. */
export function startServerChild(videoPath: string, options: LiveStreamOptions): Promise<ServerChild> {
  return forkServerChild(SERVER_ENTRY, [videoPath, JSON.stringify(options)]);
}

/** Forks `broadcast-server-process.ts`: no channel of its own, the bench page at `/`, maybe a Redis hub. */
export function startBroadcastServerChild(config: BroadcastServerConfig): Promise<ServerChild> {
  return forkServerChild(BROADCAST_SERVER_ENTRY, [JSON.stringify(config)]);
}

/**
 * Forks a server entry that speaks `server-process.ts`'s IPC (ready, stats, stop) with `args`, and waits until it
 * listens.
 */
export async function forkServerChild(entry: string, args: string[]): Promise<ServerChild> {
  const child: ChildProcess = fork(entry, args, {
    execArgv: [
      '--conditions=@onair/source',
      '--import',
      'tsx',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles'] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pendingStats = new Map<number, (stats: ServerStats) => void>();
  let nextId = 0;
  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (message: ServerReply) => {
      if (message.type === 'ready') resolve(message.port);
      else if (message.type === 'stats') {
        pendingStats.get(message.id)?.({
          live: message.stats,
          loopDelay: message.loopDelay,
          memory: message.memory,
        });
        pendingStats.delete(message.id);
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`server exited early (${signal ?? `code ${code}`})`)),
    );
  });
  let port: number;
  try {
    port = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid!;
  const send = (request: ServerRequest) => child.send(request);
  return {
    pid,
    wsUrl: `ws://127.0.0.1:${port}/live/ws`,
    httpUrl: `http://127.0.0.1:${port}/live`,
    sample: () => sampleProcess(pid),
    liveStats: () =>
      new Promise((resolve) => {
        const id = nextId++;
        pendingStats.set(id, resolve);
        send({ type: 'stats', id });
      }),
    ffmpegProcesses: () => findDescendants(pid, 'ffmpeg'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds used so far by each of the server's ffmpeg processes, by pid. */
export function ffmpegCpuSeconds(server: ServerChild): Map<number, number> {
  return new Map(server.ffmpegProcesses().map((process) => [process.pid, process.cpuSeconds]));
}

/** The ffmpeg processes' CPU between two `ffmpegCpuSeconds` readings `seconds` apart, % of one core. */
export function ffmpegCpuPercent(
  before: Map<number, number>,
  after: Map<number, number>,
  seconds: number,
): number {
  let used = 0;
  for (const [pid, cpuSeconds] of after) used += cpuSeconds - (before.get(pid) ?? 0);
  return (used / seconds) * 100;
}
