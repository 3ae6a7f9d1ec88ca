/** Exit codes of `onair`: 2 for a command line it cannot read (the shell convention), 1 for a failure at run time. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The command line is wrong: the message says what, and the command's usage is printed under it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The command whose usage to show; undefined for the tool's own. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A failure the user can act on (a closed port, a refused hello): printed as one line, without a stack. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
