// `npm start`: `onair serve` on the generated samples, through the CLI's own code (signals, output, exit codes).
import { COMMAND_HELP } from '../../packages/server-middleware/src/cli/args/help-text';
import { parseServeArgs } from '../../packages/server-middleware/src/cli/args/serve-args';
import { CliFailure, ExitCode } from '../../packages/server-middleware/src/cli/cli-error';
import type { CliOutput } from '../../packages/server-middleware/src/cli/cli-output';
import { runAsProcess } from '../../packages/server-middleware/src/cli/run-as-process';
import { runServe } from '../../packages/server-middleware/src/cli/serve/serve-command';
import { prepareDemo } from './start-demo';

/**
 * `npm start [-- files…] [serve options]`: `onair serve`'s options (`--hls`, `--max-fps`, `--max-height`, `--id`,
 * `--title`, `--port`, `--host`, `--mount`), with `PORT` and `HOST` from the environment as the defaults of the
 * last two. Without files, the generated samples (`--id` and `--title` then rename them, in order).
 */
async function serveDemo(args: string[], output: CliOutput): Promise<ExitCode> {
  const port = Number(process.env.PORT ?? 3000);
  // Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
  const host = process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliFailure(`PORT must be 0–65535, got ${process.env.PORT}`);
  const parsed = parseServeArgs(args, { videosRequired: false, port, host });
  if (parsed === null) {
    output.out(COMMAND_HELP.serve.replaceAll('onair serve', 'npm start --').trimEnd());
    return ExitCode.Ok;
  }
  // Progress on stderr, like the CLI's: stdout says where the server is.
  const videos = await prepareDemo(parsed.videos.length ? parsed.videos : undefined, output.err);
  return runServe({ ...parsed, videos }, output);
}

runAsProcess((output) => serveDemo(process.argv.slice(2), output));
