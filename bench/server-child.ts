import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { findDescendants, type ProcessSample, sampleProcess } from './proc-stats';

export interface ServerChild {
  pid: number;
  /** WebSocket URL of the channel's mount, e.g. ws://127.0.0.1:41234/live/ws */
  wsUrl: string;
  sample(): ProcessSample;
  /** The server's ffmpeg processes right now, with their CPU time so far. */
  ffmpegProcesses(): { pid: number; cpuSeconds: number }[];
  stop(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));

/** Forks `server-process.ts` (same Node, same source condition, tsx) and waits until it listens. */
export async function startServerChild(videoPath: string): Promise<ServerChild> {
  const child: ChildProcess = fork(SERVER_ENTRY, [videoPath], {
    execArgv: ['--conditions=@onair/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'ready' && message.port) resolve(message.port);
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
  return {
    pid,
    wsUrl: `ws://127.0.0.1:${port}/live/ws`,
    sample: () => sampleProcess(pid),
    ffmpegProcesses: () => findDescendants(pid, 'ffmpeg'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
