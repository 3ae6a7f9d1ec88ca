import { createRequire } from 'node:module';
import { COMMAND_HELP, TOOL_HELP } from './args/help-text';
import { parseCommandLine } from './args/parse-command-line';
import { ExitCode } from './cli-error';
import type { CliOutput } from './cli-output';
import { runServe } from './serve/serve-command';
import { runWatch } from './watch/watch-command';

function packageVersion(): string {
  // Self-reference through the package's own exports: the same answer from src and from dist.
  const require = createRequire(import.meta.url);
  return (require('@onair/server-middleware/package.json') as { version: string }).version;
}

/**
 * Runs `onair` with `argv` (without node and the script) and resolves with the exit code; a command line it
 * cannot read rejects with a `UsageError`, a failure at run time with a `CliFailure` (`runAsProcess` says them).
 */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<ExitCode> {
  const commandLine = parseCommandLine(argv);
  switch (commandLine.kind) {
    case 'help':
      output.out((commandLine.command ? COMMAND_HELP[commandLine.command] : TOOL_HELP).trimEnd());
      return ExitCode.Ok;
    case 'version':
      output.out(packageVersion());
      return ExitCode.Ok;
    case 'serve':
      return runServe(commandLine.args, output);
    case 'watch':
      return runWatch(commandLine.args, output);
  }
}
