import { CliFailure, ExitCode, UsageError } from './cli-error';
import { type CliOutput, processOutput } from './cli-output';

/** The exit code of a failure the user can act on, once said; anything else is a bug and is rethrown. */
function reportFailure(error: unknown, output: CliOutput): ExitCode {
  if (error instanceof UsageError) {
    const usage = error.command ? `onair ${error.command} --help` : 'onair --help';
    output.err(`onair: ${error.message}\nSee \`${usage}\` for usage.`);
    return ExitCode.Usage;
  }
  if (error instanceof CliFailure) {
    output.err(`onair: ${error.message}`);
    return ExitCode.Failure;
  }
  throw error;
}

/**
 * Runs a command as this process (`onair`, and `npm start`), the only code that touches the process: the
 * command resolves with its exit code, and the process ends when nothing is left running (sockets, ffmpeg),
 * which `serve` and `watch` make sure of before they return.
 */
export function runAsProcess(command: (output: CliOutput) => Promise<ExitCode>): void {
  command(processOutput)
    .catch((error: unknown) => reportFailure(error, processOutput))
    .then(
      (code) => {
        process.exitCode = code;
        // A handle someone forgot (a host's logger, a stuck socket) must not turn a finished command into a
        // hang; unref'd, this timer alone keeps nothing alive.
        setTimeout(() => process.exit(code), 3000).unref();
      },
      (error: unknown) => {
        console.error('onair: unexpected failure:', error);
        process.exitCode = 1;
      },
    );
}
