import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inNamespace, NAMESPACES } from './network-namespaces';

export interface NamespacedDemoServer {
  pid: number;
  /** The page, e.g. `http://10.77.0.1:8080/`. */
  url: string;
  /** Server output (stderr and stdout), the last few KB: shown when something fails. */
  log(): string;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 8_000;

/**
 * `npm start -- --hls` as a user runs it (the demo: `onair serve` on the generated samples, HLS with its default
 * 1 s segments), inside the server's namespace and bound to its veth address. Resolves once it prints where it
 * serves; its page must have been built and its samples generated before (`prepareDemo`), so this only starts.
 */
export async function startNamespacedDemoServer(host: string, port: number): Promise<NamespacedDemoServer> {
  const [command, ...args] = inNamespace(NAMESPACES.server, process.execPath, [
    '--conditions=@onair/source',
    '--import',
    'tsx',
    'examples/demo/server.ts',
    '--hls',
  ]);
  const child: ChildProcess = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: host, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-8000);
  };
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exited = once(child, 'exit');
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo server did not start in ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(`${line}\n`);
      const url = /serving .*: (http:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`the demo server exited (${signal ?? `code ${code}`}):\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM is the CLI's orderly stop (viewers, ffmpeg, server); SIGKILL if it takes too long.
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  let url: string;
  try {
    url = await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, url, log: () => output, stop };
}
