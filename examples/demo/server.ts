// `npm start`: `onair serve` on the generated samples, through the CLI's own code (signals, output, exit codes).
import { CliFailure, type ExitCode } from '../../packages/server-middleware/src/cli/cli-error';
import type { CliOutput } from '../../packages/server-middleware/src/cli/cli-output';
import { runAsProcess } from '../../packages/server-middleware/src/cli/run-as-process';
import { runServe } from '../../packages/server-middleware/src/cli/serve/serve-command';
import { DEMO_MOUNT, prepareDemo } from './start-demo';

/** `npm start [-- files…] [--hls]`, with `PORT` and `HOST` from the environment. */
async function serveDemo(args: string[], output: CliOutput): Promise<ExitCode> {
  const hls = args.includes('--hls');
  const files = args.filter((arg) => arg !== '--hls');
  const port = Number(process.env.PORT ?? 3000);
  // Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
  const host = process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliFailure(`PORT must be 0–65535, got ${process.env.PORT}`);
  // Progress on stderr, like the CLI's: stdout says where the server is.
  const videos = await prepareDemo(files.length ? files : undefined, output.err);
  return runServe({ videos, port, host, mount: DEMO_MOUNT, hls }, output);
}

runAsProcess((output) => serveDemo(process.argv.slice(2), output));
